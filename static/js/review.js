/* The review page on a plant network that drops: every review form is posted from a queue kept in
   localStorage, so an edit made offline stays, is retried, and the page says how many wait.
   The server's revision check still refuses an edit based on a state someone else changed.
   Without JavaScript the same forms post normally and the server redirects back. */
(function () {
  "use strict";

  var root = document.querySelector("[data-review]");
  if (!root || !window.fetch || !window.localStorage) { return; }
  var storageKey = "review-queue-" + root.dataset.review;
  var queue = load();
  var sending = false;
  var delay = 2000;

  function load() {
    try { return JSON.parse(localStorage.getItem(storageKey) || "[]"); } catch (e) { return []; }
  }

  function persist() {
    localStorage.setItem(storageKey, JSON.stringify(queue));
    var counter = document.getElementById("review-unsaved");
    if (!counter) { return; }
    counter.hidden = queue.length === 0;
    counter.textContent = root.dataset.msgUnsaved.replace("{n}", String(queue.length));
  }

  /* Latest edit of a question wins: an older queued edit of the same question is dropped, so the
     revision it carries never conflicts with the newer one. */
  function enqueue(entry) {
    queue = queue.filter(function (other) { return other.url !== entry.url; });
    queue.push(entry);
    persist();
    flush();
  }

  /* Each element of the answer replaces the element of the page with the same id. */
  function swap(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    /* A copy of the list: replaceWith moves each element out of the template as it goes. */
    Array.prototype.slice.call(template.content.children).forEach(function (fresh) {
      var old = fresh.id && document.getElementById(fresh.id);
      if (!old) { return; }
      old.replaceWith(fresh);
      if (window.htmx) { window.htmx.process(fresh); }
    });
  }

  function flush() {
    if (sending || queue.length === 0) { return; }
    sending = true;
    var entry = queue[0];
    fetch(entry.url, {
      method: "POST", body: entry.body, credentials: "same-origin",
      headers: {"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true"}
    }).then(function (response) {
      if (response.status >= 500) { throw new Error("server " + response.status); }
      return response.text().then(function (text) {
        queue.shift();
        persist();
        delay = 2000;
        if (response.ok || response.status === 409 || response.status === 422) { swap(text); }
        else { window.alert(root.dataset.msgFailed); }
      });
    }).catch(function () {
      window.setTimeout(flush, delay);
      delay = Math.min(delay * 2, 30000);
    }).then(function () {
      sending = false;
      if (queue.length && delay === 2000) { flush(); }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-review-form]")) { return; }
    event.preventDefault();
    var data = new URLSearchParams(new FormData(form));
    if (event.submitter && event.submitter.name) { data.set(event.submitter.name, event.submitter.value); }
    enqueue({url: form.getAttribute("action"), body: data.toString()});
  });

  /* The adjust form and the evidence upload are fetched when opened (htmx, [data-review-fetch]):
     without a network that cannot work, so the card says so next to the control, which stays for
     another try. Edits made in forms already open are queued like every other. */
  function fetchFailed(event) {
    var control = event.detail.elt;
    if (!control || !control.matches || !control.matches("[data-review-fetch]")) { return; }
    var note = control.parentNode.querySelector(".rq__fetch-failed");
    if (!note) {
      note = document.createElement("p");
      note.className = "rq__message rq__fetch-failed";
      note.setAttribute("role", "alert");
      control.insertAdjacentElement("afterend", note);
    }
    note.textContent = navigator.onLine === false || event.type === "htmx:sendError"
      ? root.dataset.msgFetchOffline : root.dataset.msgFetchFailed;
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var control = event.detail.elt;
    var note = control && control.matches && control.matches("[data-review-fetch]")
      ? control.parentNode.querySelector(".rq__fetch-failed") : null;
    if (note) { note.remove(); }
  });
  document.addEventListener("htmx:sendError", fetchFailed);
  document.addEventListener("htmx:responseError", fetchFailed);

  window.addEventListener("online", function () { delay = 2000; flush(); });
  window.addEventListener("beforeunload", function (event) {
    if (queue.length) { event.preventDefault(); event.returnValue = ""; }
  });
  persist();
  flush();
}());
