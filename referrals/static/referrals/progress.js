// Polls the build's progress and updates the bar; no inline script (strict CSP).
(function () {
  "use strict";
  function start() {
    var box = document.getElementById("build-progress");
    if (!box) { return; }
    var url = box.getAttribute("data-url");
    var bar = document.getElementById("build-bar");
    var step = document.getElementById("build-step");
    var error = document.getElementById("build-error");
    var done = document.getElementById("build-done");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (d) {
          bar.value = d.progress;
          bar.textContent = d.progress + "%";
          step.textContent = d.step || d.status;
          error.textContent = d.error || "";
          box.setAttribute("data-status", d.status);
          if (d.status === "done") { done.hidden = false; return; }
          if (d.status === "failed" || d.stale) { window.location.reload(); return; }
          window.setTimeout(poll, 1000);
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    var status = box.getAttribute("data-status");
    if ((status === "queued" || status === "running") && box.getAttribute("data-stale") !== "1") { poll(); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
