/* Assessment pages: small additions to htmx's autosave. No framework; CSP allows only this file. */
(function () {
  "use strict";

  var pending = 0;

  /* Conflicts (409) and invalid values (422) come back with the message to show: swap them in. */
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  /* Keep aria-invalid and the attention mark of a question in step with its status line. */
  function syncQuestion(status) {
    var question = status.closest(".question");
    if (!question) { return; }
    var failed = ["error", "conflict", "warning"].indexOf(status.dataset.state) >= 0;
    question.classList.toggle("question--attention", failed);
    question.querySelectorAll("input:not([type=hidden]), textarea").forEach(function (input) {
      if (failed) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
    });
  }

  document.addEventListener("htmx:load", function (event) {
    var element = event.detail.elt;
    if (element.classList && element.classList.contains("question__status")) { syncQuestion(element); }
  });

  /* An exclusive option such as "none" cannot be ticked together with others: untick the rest
     before htmx posts the change (capture phase runs before htmx's listener on the question). */
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "checkbox" || !input.checked) { return; }
    var group = input.closest("[data-exclusive]");
    if (!group) { return; }
    var exclusive = group.dataset.exclusive.split(" ");
    group.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      if (box !== input && (exclusive.indexOf(input.value) >= 0 || exclusive.indexOf(box.value) >= 0)) {
        box.checked = false;
      }
    });
  }, true);

  /* Enter in a one-line answer saves that answer and keeps the focus there, instead of posting the
     whole section (the form's default, kept for pages without JavaScript). The browser's own change
     event on leaving the field would post the same value again: it is dropped. */
  function isLineInput(input) {
    return input.tagName === "INPUT" && (input.type === "number" || input.type === "text")
      && input.closest(".assess-form .question");
  }

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Enter" || event.isComposing || !isLineInput(input)) { return; }
    event.preventDefault();
    if (input.value !== input.dataset.sent) {
      input.dataset.sent = input.value;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!event.isTrusted || !isLineInput(input)) { return; }
    if (input.value === input.dataset.sent) { event.stopPropagation(); return; }
    input.dataset.sent = input.value;
  }, true);

  /* A save that never reached the server: say so beside the question, the value stays in the field. */
  function showFailure(event) {
    var question = event.detail.elt.closest(".question");
    var form = event.detail.elt.closest("form[data-msg-failed]");
    if (!question || !form) { return; }
    var status = question.querySelector(".question__status");
    status.dataset.state = "error";
    var message = document.createElement("p");
    message.className = "question__error";
    message.textContent = form.dataset.msgFailed;
    status.querySelectorAll("p").forEach(function (old) { old.remove(); });
    status.appendChild(message);
    syncQuestion(status);
  }

  document.addEventListener("htmx:sendError", showFailure);
  document.addEventListener("htmx:responseError", showFailure);
  document.addEventListener("htmx:beforeRequest", function () { pending += 1; });
  document.addEventListener("htmx:afterRequest", function () { pending = Math.max(0, pending - 1); });

  /* Leaving while an answer is still on its way would lose it: ask first. */
  window.addEventListener("beforeunload", function (event) {
    if (pending > 0) { event.preventDefault(); event.returnValue = ""; }
  });
}());
