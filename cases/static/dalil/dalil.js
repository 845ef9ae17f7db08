/* Dalil: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // Event form: show only the fieldsets that belong to the chosen event type.
  // Fieldsets carry data-event-types="coercion contract"; without JavaScript all stay visible.
  function syncEventTypeFields(select) {
    var chosen = select.value;
    var groups = document.querySelectorAll("[data-event-types]");
    Array.prototype.forEach.call(groups, function (group) {
      var types = group.getAttribute("data-event-types").split(/\s+/);
      group.classList.toggle("is-hidden", types.indexOf(chosen) === -1);
    });
  }

  // Long lists of checkboxes or radio buttons (perpetrators, places): a filter box narrows them as one types.
  // The box stays hidden without JavaScript, where the whole list is shown. Chosen items always stay visible.
  function normalise(text) {
    return text.toLowerCase().replace(/ё/g, "е").replace(/\s+/g, " ").trim();
  }

  function setUpFilter(box) {
    var list = document.getElementById(box.getAttribute("data-filter-for"));
    var input = box.querySelector("input[type=search]");
    var count = box.querySelector("[data-filter-count]");
    if (!list || !input) { return; }
    var items = list.querySelectorAll("li");
    var labels = Array.prototype.map.call(items, function (item) { return normalise(item.textContent); });
    function apply() {
      var wanted = normalise(input.value);
      var shown = 0;
      Array.prototype.forEach.call(items, function (item, index) {
        var choice = item.querySelector("input");
        var keep = !wanted || labels[index].indexOf(wanted) !== -1 || (choice && choice.checked);
        item.hidden = !keep;
        if (keep) { shown += 1; }
      });
      count.textContent = wanted ? count.getAttribute("data-template")
        .replace("%(shown)s", shown).replace("%(total)s", items.length) : "";
    }
    input.addEventListener("input", apply);
    // Enter in the filter box narrows the list; it must not send the form.
    input.addEventListener("keydown", function (event) { if (event.key === "Enter") { event.preventDefault(); } });
    box.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-filter-for]"), setUpFilter);
    var typeSelect = document.querySelector("select[data-event-type-select]");
    if (typeSelect) {
      syncEventTypeFields(typeSelect);
      typeSelect.addEventListener("change", function () { syncEventTypeFields(typeSelect); });
    }
  });
})();

/* Tables on a phone: each row becomes a small card, and each cell is labelled with its column's header. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table"), function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
      if (!heads.length) { return; }
      Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (!cell.hasAttribute("data-label") && heads[i] && cell.colSpan === 1) { cell.setAttribute("data-label", heads[i]); }
        });
      });
    });
  });
})();
