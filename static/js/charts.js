// Draws the charts of a page from the vendored Chart.js. Every chart has its numbers in a
// table next to it, so nothing depends on this script or on colour.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var patterns = ["#1b5e20", "#0d47a1", "#e65100", "#b71c1c", "#616161", "#4a148c"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var spec = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
    var data = spec[canvas.dataset.key] || spec;
    data.datasets.forEach(function (set, i) {
      set.backgroundColor = patterns[i % patterns.length];
      set.borderColor = patterns[i % patterns.length];
      set.pointStyle = ["circle", "triangle", "rect", "crossRot", "dash", "star"][i % 6];
      set.pointRadius = 4;
    });
    new Chart(canvas, {
      type: canvas.dataset.type || "bar",
      data: data,
      options: {
        animation: false,
        responsive: true,
        plugins: { legend: { labels: { usePointStyle: true } } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  });
}());
