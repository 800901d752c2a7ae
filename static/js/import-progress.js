// Follows a member import while it runs, then reloads to show the result.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || box.dataset.finished === "true") { return; }
  var bar = document.getElementById("import-bar");
  var count = document.getElementById("import-count");
  var status = document.getElementById("import-status");
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.max = Math.max(data.total, 1);
        bar.value = data.processed;
        status.textContent = data.status_display;
        count.textContent = data.processed + " / " + data.total;
        if (data.finished) { window.location.reload(); } else { window.setTimeout(poll, 700); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 300);
}());
