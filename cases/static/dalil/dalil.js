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
