/* Progressive enhancement for long <select> lists (the industry list): a search box above the select
   that hides options not matching every typed word. Matches the option text and its data-search
   attribute (code, both languages' names, tags). Without JavaScript the plain <select> still works.
   Markup: <select data-filter data-filter-label="Filter" data-filter-count="{n} matches"> */
(function () {
  "use strict";

  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function applyFilter(select, query) {
    var terms = words(query);
    var visible = 0;
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value) { return; }
      var haystack = (option.text + " " + (option.getAttribute("data-search") || "")).toLowerCase();
      var match = terms.every(function (term) { return haystack.indexOf(term) !== -1; });
      option.hidden = !match;
      option.disabled = !match && !option.selected;
      if (match) { visible += 1; }
    });
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
      group.hidden = !group.querySelector("option:not([hidden])");
    });
    select.size = terms.length ? Math.max(2, Math.min(8, visible + 1)) : 0;
    return visible;
  }

  function enhance(select) {
    if (select.dataset.filterReady) { return; }
    select.dataset.filterReady = "1";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "select-filter";
    input.id = select.id + "-filter";
    input.setAttribute("autocomplete", "off");
    var label = document.createElement("label");
    label.className = "select-filter__label";
    label.htmlFor = input.id;
    label.textContent = select.getAttribute("data-filter-label") || "";
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    select.parentNode.insertBefore(label, select);
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(status, select);
    input.addEventListener("input", function () {
      var count = applyFilter(select, input.value);
      var template = select.getAttribute("data-filter-count") || "{n}";
      status.textContent = input.value ? template.replace("{n}", String(count)) : "";
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "Enter") {
        event.preventDefault();
        select.focus();
      }
    });
  }

  function enhanceAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("select[data-filter]"), enhance);
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.target); });
})();
