/* Staff pages: writing is using Heard.
 *
 * A staff session ends after HEARD_STAFF_IDLE_MINUTES with no request, and a long reply
 * typed on one page sends none. So while someone types, or comes back to the tab, this
 * asks the server, at most once a minute, that they are still here (which restarts the
 * idle time). When the answer is "sign in" (the session ended: left idle, or signed out in
 * another tab) it says so at once, in a banner that stays in view, and a form sent from
 * the page after a minute or more without a word from the server is checked first: one
 * whose session has ended is not sent, so what was written stays on the screen to copy.
 * Without JavaScript the session ends as set, and a form sent after it comes back after
 * signing in where it can. */
(function () {
  "use strict";
  var holder = document.getElementById("staff-session");
  if (!holder || !window.fetch) {
    return;
  }
  var EVERY = 60 * 1000;
  var last = Date.now(); // the page itself was a request
  var told = false;
  var box = null;

  function ended() {
    if (!told) {
      told = true;
      box = document.createElement("div");
      box.className = "notice notice-urgent session-ended";
      box.setAttribute("role", "alert");
      box.textContent = holder.getAttribute("data-ended");
      var main = document.getElementById("main");
      main.insertBefore(box, main.firstChild);
    }
  }

  function ask(then) {
    last = Date.now();
    fetch(holder.getAttribute("data-still-here"), {
      credentials: "same-origin",
      redirect: "manual",
      cache: "no-store"
    }).then(function (response) {
      if (response.status === 204) {
        then(true);
      } else {
        ended();
        then(false);
      }
    }, function () {
      last = Date.now() - EVERY + 10 * 1000; // no network: ask again in 10 seconds
      then(true); // and let a form go: the server keeps what it can
    });
  }

  function stillHere() {
    if (!told && Date.now() - last >= EVERY) {
      ask(function () {});
    }
  }

  document.addEventListener("input", stillHere);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      stillHere();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.getAttribute("data-checked") === "yes") {
      return; // checked a moment ago: on its way
    }
    if (told) {
      event.preventDefault();
      box.scrollIntoView();
      return;
    }
    if (Date.now() - last < EVERY || form.action.indexOf("/sign-out") !== -1) {
      return;
    }
    event.preventDefault();
    var submitter = event.submitter || null;
    ask(function (live) {
      if (live) {
        form.setAttribute("data-checked", "yes");
        if (form.requestSubmit) {
          form.requestSubmit(submitter);
        } else {
          form.submit();
        }
      } else {
        box.scrollIntoView();
      }
    });
  });
})();
