/* Draws the statistics trend with Chart.js from the JSON data island #trend-data.
   Without JavaScript (or Chart.js) the trend table below the chart stays the only view. */
(function () {
  "use strict";

  var COLORS = ["#1d4ed8", "#15803d", "#b91c1c", "#b45309"];

  function draw() {
    var island = document.getElementById("trend-data");
    var holder = document.getElementById("trend-chart");
    if (!island || !holder || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(island.textContent);
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", holder.getAttribute("data-label") || "");
    holder.appendChild(canvas);
    holder.hidden = false;
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (series, i) {
          return {
            label: series.label,
            data: series.data,
            backgroundColor: COLORS[i % COLORS.length],
            borderColor: COLORS[i % COLORS.length]
          };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              title: function (items) {
                return items.length ? data.periods[items[0].dataIndex].label : "";
              }
            }
          }
        }
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
