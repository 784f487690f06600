/* The question page's two helpers, one file so the page makes one request. Without
   JavaScript the page is complete as it is. Their words come from the form's data
   attributes, so they are translated with the rest of the page.

   "Read this to me": a button beside each question that reads the question, its hint,
   any error and the answers aloud. Added only where the browser can speak. */
(function () {
  "use strict";
  var synth = window.speechSynthesis;
  var form = document.querySelector("form[data-read-aloud]");
  if (!synth || !window.SpeechSynthesisUtterance || !form) return;
  var readLabel = form.getAttribute("data-read-aloud");
  var stopLabel = form.getAttribute("data-read-aloud-stop") || readLabel;
  var speaking = null;

  function words(el) {
    var text = el ? el.textContent.replace(/\s+/g, " ").trim() : "";
    return text && !/[.?!:]$/.test(text) ? text + "." : text;
  }

  function script(group) {
    var parts = [words(group.querySelector("legend, label"))];
    var extras = group.querySelectorAll(".hint:not(.choice-hint), .error-message");
    var answers = group.querySelectorAll(".choice-label, .scale-label, .date-part .label, .choice-hint");
    var i;
    for (i = 0; i < extras.length; i++) parts.push(words(extras[i]));
    for (i = 0; i < answers.length; i++) parts.push(words(answers[i]));
    return parts.join(" ");
  }

  function reset() {
    if (speaking) speaking.textContent = readLabel;
    speaking = null;
  }

  function add(group) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button-secondary read-aloud";
    button.textContent = readLabel;
    button.addEventListener("click", function () {
      var was = speaking;
      synth.cancel();
      reset();
      if (was === button) return; // a second press stops it
      var utterance = new window.SpeechSynthesisUtterance(script(group));
      utterance.lang = document.documentElement.lang || "en";
      utterance.onend = utterance.onerror = function () {
        if (speaking === button) reset();
      };
      speaking = button;
      button.textContent = stopLabel;
      synth.speak(utterance);
    });
    var question = group.querySelector("legend, .label-wrapper, label");
    question.parentNode.insertBefore(button, question.nextSibling);
  }

  var groups = form.querySelectorAll(".form-group");
  for (var i = 0; i < groups.length; i++) add(groups[i]);
})();

/* Characters left: under a text box with a limit, once three quarters of it is used, how
   many characters are left (or how many too many), as it is typed, so a long answer is
   trimmed before it is sent, not after; a short answer sees nothing but the limit in the
   hint. Counted as the server counts: letters, not UTF-16 units; the ends trimmed. A screen
   reader hears the figure once typing pauses, not at every key. Counted again when the
   page is shown from the history, where the browser may have put text back. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-count-left]");
  if (!form || !Array.from) return;
  var left = form.getAttribute("data-count-left");
  var over = form.getAttribute("data-count-over");
  var fields = form.querySelectorAll("[data-maxlength]");

  function add(field) {
    var max = parseInt(field.getAttribute("data-maxlength"), 10);
    var shown = document.createElement("div");
    shown.className = "hint character-count";
    shown.setAttribute("aria-hidden", "true");
    var heard = document.createElement("div");
    heard.className = "visually-hidden";
    heard.setAttribute("aria-live", "polite");
    var timer = null;

    function words() {
      var n = max - Array.from(field.value.trim()).length;
      if (n > max * 0.25) return { over: false, text: "" };
      return { over: n < 0, text: (n < 0 ? over : left).replace("%(num)s", String(Math.abs(n))) };
    }

    function update(announce) {
      var now = words();
      shown.textContent = now.text;
      shown.hidden = !now.text;
      shown.className = "hint character-count" + (now.over ? " character-count-over" : "");
      if (!announce) return;
      clearTimeout(timer);
      timer = setTimeout(function () { heard.textContent = words().text; }, 1000);
    }

    field.parentNode.insertBefore(shown, field.nextSibling);
    field.parentNode.insertBefore(heard, shown.nextSibling);
    field.addEventListener("input", function () { update(true); });
    window.addEventListener("pageshow", function () { update(false); });
    update(false);
  }

  for (var i = 0; i < fields.length; i++) add(fields[i]);
})();

/* A page that shows an error is the answer to the form just sent. Once the answer is put
   right and the next page opens, Back would ask to send that form again ("Confirm form
   resubmission"): the entry becomes a plain visit to the page, which opens with what was
   saved. */
(function () {
  "use strict";
  if (document.querySelector(".error-summary") && window.history && history.replaceState) {
    history.replaceState(history.state, "", location.href);
  }
})();
