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

  document.addEventListener("DOMContentLoaded", function () {
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
