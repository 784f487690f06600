/* Staff pages: writing is using Heard.
 *
 * A staff session ends after HEARD_STAFF_IDLE_MINUTES with no request, and a long reply
 * typed on one page sends none. So while someone types, this asks the server, at most once
 * a minute, that they are still here (which restarts the idle time); and when the answer
 * is "sign in" (the session ended: idle on another tab, or signed out elsewhere) it says so
 * at once, before they send what they wrote and lose it. Without JavaScript the session
 * ends as set, and a form sent after it comes back after signing in where it can. */
(function () {
  "use strict";
  var holder = document.getElementById("staff-session");
  if (!holder || !window.fetch) {
    return;
  }
  var EVERY = 60 * 1000;
  var last = Date.now(); // the page itself was a request
  var told = false;

  function ended() {
    if (told) {
      return;
    }
    told = true;
    var box = document.createElement("div");
    box.className = "notice";
    box.setAttribute("role", "alert");
    box.textContent = holder.getAttribute("data-ended");
    var main = document.getElementById("main");
    main.insertBefore(box, main.firstChild);
  }

  function stillHere() {
    var now = Date.now();
    if (told || now - last < EVERY) {
      return;
    }
    last = now;
    fetch(holder.getAttribute("data-still-here"), {
      credentials: "same-origin",
      redirect: "manual",
      cache: "no-store"
    }).then(function (response) {
      if (response.status !== 204) {
        ended();
      }
    }, function () {
      last = Date.now() - EVERY + 10 * 1000; // no network: ask again in 10 seconds
    });
  }

  document.addEventListener("input", stillHere);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      stillHere();
    }
  });
})();
