/* "Read this to me": a button beside each question that reads the question, its hint,
   any error and the answers aloud. Added only where the browser can speak; without
   JavaScript or speech the page is complete as it is. The words come from the form's
   data attributes, so they are translated with the rest of the page. */
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
