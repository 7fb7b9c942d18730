// Draws the small ECharts charts declared in the page: <div data-chart="spark" data-series='{"x":[…],"y":[…]}'>.
// No inline script: the Content-Security-Policy allows only files served by the application.
(function () {
  "use strict";
  function spark(el, series) {
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 2, right: 2, top: 4, bottom: 2 },
      xAxis: { type: "category", data: series.x, show: false },
      yAxis: { type: "value", show: false, min: 0 },
      tooltip: { trigger: "axis", confine: true },
      series: [{ type: "line", data: series.y, symbolSize: 3, lineStyle: { width: 1.5, color: "#a61b1b" },
                 itemStyle: { color: "#a61b1b" }, areaStyle: { color: "rgba(166,27,27,0.08)" } }]
    });
  }
  function bars(el, series) {
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 110, right: 30, top: 28, bottom: 20 },
      legend: { top: 0 },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
      xAxis: { type: "value", max: function (v) { return Math.max(100, Math.ceil(v.max / 10) * 10); } },
      yAxis: { type: "category", data: series.x, inverse: true },
      series: [{ name: series.names[0], type: "bar", data: series.y, itemStyle: { color: "#a61b1b" } },
               { name: series.names[1], type: "bar", data: series.y2, itemStyle: { color: "#9aa5b1" } }]
    });
  }
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var series = JSON.parse(el.getAttribute("data-series"));
    if (el.getAttribute("data-chart") === "spark") { spark(el, series); } else { bars(el, series); }
  });
})();
