/* Evidence uploads (templates/evidence/_list.html): the limits checked before anything is sent,
   refusals (409, 413, 422) swapped in like a success, upload progress, and a lost connection said
   inside the fragment. The server checks everything again; this only spares a doomed upload. */
(function () {
  "use strict";

  function uploadForm(element) {
    return element && element.closest ? element.closest("form.evidence__upload") : null;
  }

  function fragmentOf(element) {
    return element && element.closest ? element.closest(".evidence") : null;
  }

  function say(fragment, lines) {
    var box = fragment.querySelector(".evidence__notices");
    if (!box) { return; }
    box.textContent = "";
    lines.forEach(function (line) {
      var message = document.createElement("p");
      message.className = "flash flash--error";
      message.textContent = line;
      box.appendChild(message);
    });
  }

  function chosenFiles(form) {
    var chosen = [];
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) { chosen.push(file); });
    });
    return chosen;
  }

  function problems(form, chosen) {
    var data = form.dataset, found = [], total = 0;
    if (chosen.length > Number(data.maxFiles)) {
      found.push(data.msgTooMany.replace("{count}", String(chosen.length)));
    }
    chosen.forEach(function (file) {
      total += file.size;
      if (file.size > Number(data.maxFileBytes)) { found.push(file.name + " — " + data.msgTooLarge); }
    });
    if (total > Number(data.maxRequestBytes)) { found.push(data.msgRequestTooLarge); }
    return found;
  }

  /* A picker closed without a choice sends nothing; a choice over the limits is refused here. */
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = uploadForm(event.detail.elt);
    if (!form) { return; }
    var chosen = chosenFiles(form);
    var found = chosen.length ? problems(form, chosen) : [form.dataset.msgNone];
    if (found.length) {
      event.preventDefault();
      form.querySelectorAll("input[type=file]").forEach(function (input) { input.value = ""; });
      say(fragmentOf(form), found);
      return;
    }
    var progress = form.querySelector(".evidence__progress");
    if (progress) { progress.value = 0; progress.hidden = false; }
  });

  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = uploadForm(event.detail.elt);
    var progress = form ? form.querySelector(".evidence__progress") : null;
    if (progress && event.detail.lengthComputable) {
      progress.value = Math.round(100 * event.detail.loaded / event.detail.total);
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (fragmentOf(event.detail.elt) && (status === 409 || status === 413 || status === 422)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function failed(event) {
    var fragment = fragmentOf(event.detail.elt);
    var form = fragment ? fragment.querySelector("form.evidence__upload") : null;
    if (!fragment) { return; }
    var progress = fragment.querySelector(".evidence__progress");
    if (progress) { progress.hidden = true; }
    say(fragment, [form ? form.dataset.msgFailed : event.detail.xhr.statusText]);
  }

  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:responseError", failed);
}());
