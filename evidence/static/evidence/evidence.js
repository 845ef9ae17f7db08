/* Evidence file page: follow background processing until the file is ready. Works without it (reload). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.getElementById("processing");
    if (!panel || !window.fetch) { return; }
    var url = panel.getAttribute("data-progress-url");
    var bar = document.getElementById("file-progress");
    var note = document.getElementById("file-progress-note");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (bar) { bar.value = data.progress; bar.textContent = data.progress + "%"; }
          if (note) { note.textContent = data.note; }
          if (data.state === "processing") { window.setTimeout(poll, 1500); } else { window.location.reload(); }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 1000);
  });
})();
