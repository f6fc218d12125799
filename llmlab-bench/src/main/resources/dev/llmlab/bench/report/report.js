/* llmlab bench report: draws every chart of the page's JSON with uPlot, one instance per spec.
 * Sets <body data-charts-rendered="N"> once done, and data-chart-error on the first script error. */
(function () {
  "use strict";
  var body = document.body;
  function fail(message) {
    if (!body.dataset.chartError) body.dataset.chartError = String(message);
  }
  window.onerror = function (message) { fail(message); };

  var PALETTE = ["#1d4ed8", "#c2410c", "#047857", "#7c3aed", "#be123c", "#0e7490", "#a16207", "#4338ca", "#4d7c0f",
    "#9d174d", "#475569", "#0369a1"];
  var SLO = "#b42318";
  var AXIS = { stroke: "#536072", grid: { stroke: "#e8eaee", width: 1 }, ticks: { stroke: "#d0d5dd", width: 1 },
    font: "11px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    labelFont: "600 12px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" };
  var HEIGHT = 280;

  function num(v) {
    if (v == null || !isFinite(v)) return "\u2013";
    var a = Math.abs(v);
    if (v === Math.round(v) || a >= 1000) return Math.round(v).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    if (a >= 100) return v.toFixed(1);
    if (a >= 1) return v.toFixed(2);
    if (a === 0) return "0";
    return v.toPrecision(3);
  }
  function tick(v) {
    if (v == null) return "";
    var a = Math.abs(v);
    if (a >= 1e6) return +(v / 1e6).toFixed(2) + "M";
    if (a >= 1e4) return +(v / 1e3).toFixed(1) + "k";
    return +v.toFixed(6) + "";
  }
  /* x in nines: 0 is p0, 1 p90, 2 p99, 3 p99.9 */
  function pct(x) { return 100 * (1 - Math.pow(10, -x)); }
  function pctLabel(x) {
    var r = Math.round(x);
    if (Math.abs(x - r) < 1e-9) return pct(r).toFixed(Math.max(0, r - 2)); /* 0, 90, 99, 99.9, 99.99 */
    return pct(x).toFixed(Math.min(6, Math.floor(x) + 1));
  }
  function zeroBased(u, min, max) {
    return [0, max == null || !(max > 0) ? 1 : max * 1.06];
  }
  function padded(u, min, max) {
    if (min == null || max == null) return [0, 1];
    var pad = max > min ? (max - min) * 0.04 : Math.max(1, Math.abs(max) * 0.1);
    return [min >= 0 ? Math.max(0, min - pad) : min - pad, max + pad];
  }
  function axis(extra) {
    var a = {};
    for (var k in AXIS) a[k] = AXIS[k];
    for (var e in extra) a[e] = extra[e];
    return a;
  }

  function drawSlos(u, slos) {
    var ctx = u.ctx;
    slos.forEach(function (l) {
      if (!u.series[l.index].show || l.bound == null) return;
      var y = Math.round(u.valToPos(l.bound, l.scale, true)) + 0.5;
      ctx.save();
      ctx.strokeStyle = SLO;
      ctx.lineWidth = 1.5 * uPlot.pxRatio;
      ctx.setLineDash([6 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
      ctx.beginPath();
      ctx.moveTo(u.bbox.left, y);
      ctx.lineTo(u.bbox.left + u.bbox.width, y);
      ctx.stroke();
      ctx.restore();
    });
  }

  function make(spec, el) {
    var cdf = spec.kind === "cdf";
    var x = { label: spec.xLabel };
    if (cdf) x.value = function (u, v) { return v == null ? "\u2013" : "p" + pctLabel(v); };
    else if (spec.kind === "time") x.value = function (u, v) { return v == null ? "\u2013" : num(v) + " s"; };
    else x.value = function (u, v) { return num(v); };
    var series = [x];
    var data = [spec.x];
    var hasY2 = false;
    var colour = 0;
    var slos = [];
    spec.series.forEach(function (s) {
      if (s.slo) slos.push({ index: series.length, bound: s.data[0], scale: s.axis === "y2" ? "y2" : "y" });
      var unit = s.unit ? " " + s.unit : "";
      var right = s.axis === "y2";
      hasY2 = hasY2 || right;
      series.push({
        label: s.label,
        scale: right ? "y2" : "y",
        stroke: s.slo ? SLO : PALETTE[colour++ % PALETTE.length],
        width: s.slo ? 1.5 : 2,
        dash: s.slo ? [6, 4] : undefined,
        spanGaps: !!spec.spanGaps,
        points: s.slo ? { show: false } : spec.points ? { show: true, size: 6 } : { show: false },
        /* an SLO's line spans the whole plot (drawn below), not just from the first point to the last */
        paths: s.slo ? function () { return null; } : undefined,
        value: function (u, v) { return v == null ? "\u2013" : num(v) + unit; }
      });
      data.push(s.data);
    });
    var axes = [
      axis({ label: spec.kind === "time" ? "seconds since the run began" : spec.xLabel }),
      axis({ label: spec.yLabel, scale: "y", size: 60, values: function (u, splits) { return splits.map(tick); } })
    ];
    if (cdf) {
      axes[0].splits = function (u, i, min, max) {
        var s = [];
        for (var k = Math.ceil(min); k <= max + 1e-9; k++) s.push(k);
        return s;
      };
      axes[0].values = function (u, splits) { return splits.map(pctLabel); };
    }
    if (hasY2) {
      axes.push(axis({ label: spec.y2Label, scale: "y2", side: 1, size: 60, grid: { show: false },
        values: function (u, splits) { return splits.map(tick); } }));
    }
    var scales = { x: { time: false }, y: { range: zeroBased }, y2: { range: zeroBased } };
    if (cdf) scales.x.range = function () { return [0, spec.xMax]; };
    else if (spec.kind === "num") scales.x.range = padded;
    var opts = {
      width: Math.max(280, el.clientWidth),
      height: HEIGHT,
      series: series,
      axes: axes,
      scales: scales,
      legend: { live: true },
      cursor: spec.sync ? { sync: { key: spec.sync } } : {},
      hooks: { draw: [function (u) { drawSlos(u, slos); }] }
    };
    return new uPlot(opts, data, el);
  }

  var plots = [];
  var specs = [];
  try {
    specs = JSON.parse(document.getElementById("llmlab-charts").textContent);
  } catch (e) {
    fail("chart data: " + (e && e.message ? e.message : e));
  }
  specs.forEach(function (spec, i) {
    var el = document.getElementById("chart-" + i);
    try {
      if (!el) throw new Error("no element for chart " + i);
      plots.push({ plot: make(spec, el), el: el });
    } catch (e) {
      fail("chart " + i + ": " + (e && e.message ? e.message : e));
    }
  });
  body.dataset.chartsRendered = String(plots.length);

  var pending = false;
  window.addEventListener("resize", function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () {
      pending = false;
      plots.forEach(function (p) { p.plot.setSize({ width: Math.max(280, p.el.clientWidth), height: HEIGHT }); });
    });
  });
})();
