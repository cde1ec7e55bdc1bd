/* 结果分析 and 评估结果: draws the charts from the page's JSON (json_script "results-data")
   with the vendored ECharts; every chart has its data as a table beside it, and a button that
   downloads it as PNG. No inline script: the page only carries data. */
(function () {
  "use strict";
  var node = document.getElementById("results-data");
  if (!node || typeof echarts === "undefined") return;
  var data = JSON.parse(node.textContent);
  var palette = data.palette || ["#1a7f5a", "#6fb36b", "#e0c341", "#e58a3a", "#c0392b"];
  var series = data.series || ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1"];
  var zh = (document.documentElement.lang || "zh").indexOf("zh") === 0;
  var t = function (cn, en) { return zh ? cn : en; };
  var charts = {};

  function indicatorNames() {
    return (data.indicators || []).map(function (r) { return String(r.number); });
  }

  var builders = {
    levels: function () {
      var cats = indicatorNames();
      var s = [];
      [["self", t("自评", "Self")], ["reviewed", t("评审", "Reviewed")]].forEach(function (kind) {
        for (var lv = 0; lv < 5; lv++) {
          s.push({
            name: kind[1] + " " + t("等级", "level ") + (lv + 1),
            type: "bar", stack: kind[0], itemStyle: { color: palette[lv], opacity: kind[0] === "self" ? 0.55 : 1 },
            data: data.indicators.map(function (r) { return r[kind[0]][lv]; })
          });
        }
      });
      return { animation: false, tooltip: { trigger: "axis" }, legend: { type: "scroll" },
        grid: { left: 40, right: 10, bottom: 30, top: 40 },
        xAxis: { type: "category", data: cats }, yAxis: { type: "value" }, series: s };
    },
    heatmap: function () {
      var h = data.heatmap;
      return { animation: false, tooltip: { position: "top" },
        grid: { left: 180, right: 20, top: 10, bottom: 60 },
        xAxis: { type: "category", data: indicatorNames() },
        yAxis: { type: "category", data: h.enterprises, inverse: true },
        visualMap: { min: 0, max: 100, calculable: true, orient: "horizontal", left: "center", bottom: 0,
          inRange: { color: palette.slice().reverse() } },
        series: [{ type: "heatmap", data: h.cells.map(function (c) { return [c[1] - 1, c[0], c[2]]; }) }] };
    },
    ranking: function () {
      var rows = data.ranking || [];
      return { animation: false, tooltip: {}, grid: { left: 180, right: 20, top: 10, bottom: 30 },
        xAxis: { type: "value", max: 100 },
        yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.rank + ". " + r.name; }) },
        series: [{ type: "bar", itemStyle: { color: series[0] }, data: rows.map(function (r) { return r.score; }) }] };
    },
    boxes: function () {
      var b = data.boxes || [];
      return { animation: false, tooltip: {}, grid: { left: 60, right: 20, top: 20, bottom: 30 },
        xAxis: { type: "category", data: b.map(function (x) { return x.segment; }) },
        yAxis: { type: "value", min: 0, max: 100 },
        series: [{ type: "boxplot", itemStyle: { color: "#e8eef6", borderColor: series[0] },
          data: b.map(function (x) { return x.box; }) }] };
    },
    over: function () {
      return { animation: false, tooltip: {}, grid: { left: 40, right: 10, top: 20, bottom: 30 },
        xAxis: { type: "category", data: indicatorNames() }, yAxis: { type: "value" },
        series: [{ type: "bar", itemStyle: { color: series[1] },
          data: data.indicators.map(function (r) { return r.over; }) }] };
    },
    disagreement: function () {
      return { animation: false, tooltip: {}, grid: { left: 40, right: 10, top: 20, bottom: 30 },
        xAxis: { type: "category", data: indicatorNames() }, yAxis: { type: "value", name: "%" },
        series: [{ type: "bar", itemStyle: { color: series[3] },
          data: data.indicators.map(function (r) { return r.disagreement; }) }] };
    },
    days: function () {
      var d = data.per_day || [];
      return { animation: false, tooltip: { trigger: "axis" }, grid: { left: 40, right: 10, top: 20, bottom: 30 },
        xAxis: { type: "category", data: d.map(function (x) { return x.day; }) }, yAxis: { type: "value" },
        series: [{ type: "bar", itemStyle: { color: series[2] }, data: d.map(function (x) { return x.n; }) }] };
    },
    radar: function () {
      var a = data.areas || [];
      return { animation: false, tooltip: {}, legend: { bottom: 0 },
        radar: { indicator: a.map(function (x) { return { name: x.name, max: 100 }; }) },
        series: [{ type: "radar", data: [
          { name: t("本企业", "This enterprise"), value: a.map(function (x) { return x.reviewed; }), itemStyle: { color: series[0] } },
          { name: t("参评企业中位数", "Cohort median"), value: a.map(function (x) { return x.cohort_median; }), itemStyle: { color: series[1] } }
        ] }] };
    },
    compare: function () {
      var rows = data.indicators || [];
      var s = [
        { name: t("本企业", "This enterprise"), key: "mine", color: series[0] },
        { name: t("参评企业中位数", "Cohort median"), key: "median", color: series[1] },
        { name: t("同类企业中位数", "Peer median"), key: "peer_median", color: series[2] },
        { name: t("同类企业最好", "Peer best"), key: "peer_best", color: series[3] }
      ].filter(function (x) { return rows.some(function (r) { return r[x.key] !== null; }); });
      return { animation: false, tooltip: { trigger: "axis" }, legend: {},
        grid: { left: 40, right: 10, top: 40, bottom: 30 },
        xAxis: { type: "category", data: rows.map(function (r) { return String(r.number); }) },
        yAxis: { type: "value", max: 100 },
        series: s.map(function (x) { return { name: x.name, type: "bar", itemStyle: { color: x.color },
          data: rows.map(function (r) { return r[x.key]; }) }; }) };
    }
  };

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var build = builders[el.getAttribute("data-chart")];
    if (!build) return;
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(build());
    charts[el.id] = chart;
    el.setAttribute("data-ready", "1");
  });
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  });
  document.querySelectorAll("button[data-png]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var chart = charts[btn.getAttribute("data-png")];
      if (!chart) return;
      var a = document.createElement("a");
      a.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#ffffff" });
      a.download = btn.getAttribute("data-png") + ".png";
      document.body.appendChild(a);
      a.click();
      a.remove();
    });
  });
})();
