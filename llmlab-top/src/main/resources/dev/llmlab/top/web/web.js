/* llmlab top's web view: reads the snapshots of /events (Server-Sent Events), shows the latest as
 * tables and keeps the last 10 minutes of them for the charts (uPlot). Every name shown comes
 * from the servers watched, so it is set as text, never as HTML.
 * <body> says how it goes, for people and tests: data-state (connecting, connected, reconnecting),
 * data-updates (snapshots received), data-last-id (the last event's id), data-error (a script error). */
(function () {
  "use strict";
  var body = document.body;
  function fail(message) {
    if (!body.dataset.error) body.dataset.error = String(message);
  }
  window.onerror = function (message) { fail(message); };

  var KEEP_S = 600;          /* the charts' span */
  var MAX_POINTS = 7200;     /* and at most this many snapshots, whatever the interval */
  var DASH = "\u2013";
  var PALETTE = ["#1d4ed8", "#c2410c", "#047857", "#7c3aed", "#be123c", "#0e7490", "#a16207", "#4338ca", "#4d7c0f",
    "#9d174d", "#475569", "#0369a1"];
  var AXIS = { stroke: "#536072", grid: { stroke: "#e8eaee", width: 1 }, ticks: { stroke: "#d0d5dd", width: 1 },
    font: "11px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    labelFont: "600 12px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" };
  var HEIGHT = 250;

  /* ---- formatting, as the text table (SnapshotText) */

  function fixed(v, decimals) {
    return v == null || !isFinite(v) ? null : v.toFixed(decimals);
  }
  function pct(v) {
    return v == null || !isFinite(v) ? null : (100 * v).toFixed(1);
  }
  function seconds(s) {
    if (s < 0.001) return (s * 1e6).toFixed(0) + "\u00b5s";
    if (s < 1) return (s * 1e3).toFixed(s < 0.01 ? 2 : 1) + "ms";
    return s.toFixed(2) + "s";
  }
  /* a percentile: {text, cls} */
  function latency(q) {
    if (q == null) return { text: DASH, cls: "dash" };
    if (q.empty) return { text: "idle", cls: "idle" };
    if (q.unbounded || q.ms == null) return { text: "?", cls: "dash" };
    if (q.capped) return { text: ">" + seconds(q.ms / 1000), cls: "capped" };
    return { text: seconds(q.ms / 1000), cls: "" };
  }
  /* the value a percentile sorts and charts by */
  function latencyMs(q) {
    return q == null || q.empty || q.ms == null ? null : q.ms;
  }
  function clock(d) {
    return d.toLocaleTimeString([], { hour12: false });
  }

  var COLUMNS = [
    { head: "MODEL", text: function (r) { return r.model; } },
    { head: "REPLICA", text: function (r) { return r.replica != null ? r.replica : null; } },
    { head: "KIND", text: function (r) { return r.kind; } },
    { head: "REQ/S", field: "requests_per_s", fmt: function (v) { return fixed(v, 1); } },
    { head: "ERR%", field: "error_rate", fmt: pct },
    { head: "RUN", field: "running", fmt: function (v) { return fixed(v, 0); } },
    { head: "WAIT", field: "waiting", fmt: function (v) { return fixed(v, 0); } },
    { head: "KV%", field: "kv_cache_usage", fmt: pct },
    { head: "TTFT50", quantile: "ttft_p50" },
    { head: "TTFT99", quantile: "ttft_p99" },
    { head: "ITL50", quantile: "itl_p50" },
    { head: "ITL99", quantile: "itl_p99" },
    { head: "E2E99", quantile: "e2e_p99" },
    { head: "IN TOK/S", field: "input_tokens_per_s", fmt: function (v) { return fixed(v, 0); } },
    { head: "OUT TOK/S", field: "output_tokens_per_s", fmt: function (v) { return fixed(v, 0); } },
    { head: "PREEMPT/S", field: "preemptions_per_s", fmt: function (v) { return fixed(v, 2); } },
    { head: "PREFIX%", field: "prefix_cache_hit_rate", fmt: pct }
  ];

  function sortValue(col, r) {
    if (col.text) {
      var t = col.text(r);
      return t == null ? null : String(t).toLowerCase();
    }
    if (col.quantile) return latencyMs(r[col.quantile]);
    var v = r[col.field];
    return v == null || !isFinite(v) ? null : v;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  /* ---- the table */

  var table = document.getElementById("rows");
  var tbody = table.tBodies[0];
  var headRow = table.tHead.rows[0];
  var filterBox = document.getElementById("filter");
  var expanded = Object.create(null);
  var sort = { col: -1, desc: false };
  var latest = null;

  COLUMNS.forEach(function (c, i) {
    var th = el("th", c.text ? "" : "n", c.head);
    th.title = "Sort by " + c.head;
    th.addEventListener("click", function () {
      if (sort.col === i) sort.desc = !sort.desc;
      else { sort.col = i; sort.desc = !c.text; }
      renderRows();
    });
    headRow.appendChild(th);
  });
  filterBox.addEventListener("input", function () { renderRows(); });

  function compare(a, b) {
    if (sort.col < 0) return 0;
    var col = COLUMNS[sort.col];
    var x = sortValue(col, a), y = sortValue(col, b);
    if (x == null && y == null) return 0;
    if (x == null) return 1;   /* missing figures last, either way */
    if (y == null) return -1;
    var c = x < y ? -1 : x > y ? 1 : 0;
    return sort.desc ? -c : c;
  }

  function cells(tr, r, first, second) {
    COLUMNS.forEach(function (c, i) {
      var td;
      if (i === 0) td = first;
      else if (i === 1) td = el("td", "name", second);
      else if (c.text) td = el("td", "", c.text(r));
      else if (c.quantile) {
        var l = latency(r[c.quantile]);
        td = el("td", "n " + l.cls, l.text);
        if (r[c.quantile] && r[c.quantile].observations != null)
          td.title = r[c.quantile].observations + " observations";
      } else {
        var s = c.fmt(r[c.field]);
        td = el("td", s == null ? "n dash" : "n", s == null ? DASH : s);
      }
      tr.appendChild(td);
    });
  }

  function renderRows() {
    Array.prototype.forEach.call(headRow.cells, function (th, i) {
      if (i === sort.col) th.setAttribute("aria-sort", sort.desc ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
      th.textContent = COLUMNS[i].head + (i === sort.col ? (sort.desc ? " \u25be" : " \u25b4") : "");
    });
    var rows = [];
    if (latest) {
      var q = filterBox.value.trim().toLowerCase();
      var hit = function (r) {
        return !q || [r.model, r.replica, r.kind].some(function (v) {
          return v != null && String(v).toLowerCase().indexOf(q) >= 0;
        });
      };
      var byModel = Object.create(null);
      latest.replicas.forEach(function (r) { (byModel[r.model] = byModel[r.model] || []).push(r); });
      var models = latest.models.slice().sort(compare);
      models.forEach(function (m) {
        var replicas = (byModel[m.model] || []).slice().sort(compare);
        var modelHit = hit(m);
        var shown = modelHit ? replicas : replicas.filter(hit);
        if (!modelHit && shown.length === 0) return;
        var open = !!expanded[m.model] || (!modelHit && shown.length > 0);
        var tr = el("tr", "model");
        tr.dataset.model = m.model;
        var first = el("td", "name");
        var button = el("button", "toggle", open ? "\u25be" : "\u25b8");
        button.type = "button";
        button.setAttribute("aria-expanded", open ? "true" : "false");
        button.setAttribute("aria-label", (open ? "Hide" : "Show") + " the replicas of " + m.model);
        first.appendChild(button);
        first.appendChild(document.createTextNode(m.model));
        tr.addEventListener("click", function () {
          expanded[m.model] = !expanded[m.model];
          renderRows();
        });
        cells(tr, m, first, "(" + m.replicas + (m.replicas === 1 ? " replica)" : " replicas)"));
        rows.push(tr);
        if (!open) return;
        shown.forEach(function (r) {
          var rt = el("tr", "replica");
          rt.dataset.replica = r.replica;
          cells(rt, r, el("td"), r.replica);
          rows.push(rt);
        });
      });
      if (rows.length === 0) {
        var why = latest.models.length === 0
          ? (latest.targets.length > 0 && latest.targets.every(function (t) { return !t.error && t.last_scrape_ago_ms >= 0; })
            ? "Fewer than two readings of every target yet."
            : "No model to show: no target has been read twice.")
          : "No row matches the filter.";
        var empty = el("tr");
        var td = el("td", "muted", why);
        td.colSpan = COLUMNS.length;
        empty.appendChild(td);
        rows.push(empty);
      }
    }
    tbody.replaceChildren.apply(tbody, rows);
  }

  /* ---- targets and errors */

  var alerts = document.getElementById("alerts");
  var targetBody = document.getElementById("target-rows").tBodies[0];

  /* what a recorded or replayed session's snapshot says of it (SnapshotText's line) */
  function recording(r) {
    var text = r.mode === "replay"
      ? "Replay of " + r.file + " at " + r.speed + "x (" + r.scrapes + " scrapes)" + (r.ended ? ": ended" : "")
        + (r.lost > 0 ? "; the recording lost " + r.lost + " scrapes up to here" : "")
      : "Recording to " + r.file + " (" + r.scrapes + " scrapes)"
        + (r.lost > 0 ? "; " + r.lost + " lost: the disk did not keep up" : "");
    return r.note ? text + "; " + r.note : text;
  }

  function renderTargets(s) {
    var notes = [];
    if (s.recording) notes.push(el("div", s.recording.lost > 0 || s.recording.note ? "alert" : "alert soft", recording(s.recording)));
    if (s.source_error) notes.push(el("div", "alert", "Targets could not be listed: " + s.source_error));
    s.targets.forEach(function (t) {
      if (t.error) notes.push(el("div", "alert", t.name + ": " + t.error));
    });
    alerts.replaceChildren.apply(alerts, notes);
    var rows = s.targets.map(function (t) {
      var tr = el("tr");
      tr.appendChild(el("td", "name", t.name));
      tr.appendChild(el("td", "", t.url));
      tr.appendChild(el("td", "", t.kind));
      tr.appendChild(el("td", "n", t.last_scrape_ago_ms < 0 ? DASH : (t.last_scrape_ago_ms / 1000).toFixed(1) + " s ago"));
      if (t.error) tr.appendChild(el("td", "err", t.error));
      else if (t.last_scrape_ago_ms < 0) tr.appendChild(el("td", "muted", "not read yet"));
      else tr.appendChild(el("td", "ok", "read"));
      return tr;
    });
    targetBody.replaceChildren.apply(targetBody, rows);
  }

  /* ---- SLOs, GPUs and gateways: shown when the snapshot has them */

  function row(cells) {
    var tr = el("tr");
    cells.forEach(function (c) { tr.appendChild(el("td", c[1] || "n", c[0] == null ? DASH : c[0])); });
    return tr;
  }

  function show(id, rows) {
    var section = document.getElementById(id);
    section.hidden = rows.length === 0;
    var body = section.querySelector("tbody");
    body.replaceChildren.apply(body, rows);
  }

  function trend(t) {
    if (!t || t.points < 3) return "";
    var when = t.minutes_to_violation === 0 ? "at or over 1x now"
      : t.minutes_to_violation == null ? "not heading to 1x"
      : "1x in ~" + Math.max(1, Math.round(t.minutes_to_violation)) + " min";
    return "burn " + fixed(t.burn_now, 2) + "x " + (t.slope_per_min >= 0 ? "+" : "") + fixed(t.slope_per_min, 2)
      + "/min, r2 " + fixed(t.r2, 2) + " over " + Math.round(t.window_s) + " s (" + t.points + " slots): " + when;
  }

  function renderExtras(s) {
    var slos = s.slos || [];
    var head = document.getElementById("slo-rows").tHead.rows[0];
    if (slos.length > 0 && head.cells.length === 0) {
      ["SLO", "MODEL", "OBJECTIVE"].concat(slos[0].windows.map(function (w) { return w.window; }), ["ALERT", "TREND"])
        .forEach(function (h, i) { head.appendChild(el("th", i >= 3 && i < 3 + slos[0].windows.length ? "n" : "", h)); });
    }
    show("slos", slos.map(function (o) {
      var cells = [[o.slo, "name"], [o.model, ""], [o.objective + (o.estimate ? " ~" : ""), ""]];
      o.windows.forEach(function (w) {
        cells.push([o.unmeasurable ? "n/a" : w.total > 0 ? pct(w.attainment) + "% " + fixed(w.burn_rate, 1) + "x" : DASH]);
      });
      cells.push([o.alert ? o.alert.toUpperCase() : "", o.alert === "page" ? "err" : o.alert ? "warn" : ""]);
      cells.push([o.unmeasurable ? "cannot measure: " + o.unmeasurable : trend(o.trend), "muted"]);
      return row(cells);
    }));
    show("gpus", (s.gpus || []).map(function (g) {
      return row([[g.target, "name"], [g.gpus], [pct(g.utilization)], [g.memory_bytes == null ? null : fixed(g.memory_bytes / 1e9, 1)],
        [fixed(g.watts, 0)], [fixed(g.joules_per_s, 0)]]);
    }));
    document.getElementById("energy").textContent = s.joules_per_output_token == null ? ""
      : "Energy per output token: " + s.joules_per_output_token.toFixed(3)
        + " J (the GPUs' energy over the models' output tokens; an estimate when the GPUs watched are not exactly the ones serving them).";
    show("gateways", (s.gateways || []).map(function (g) {
      return row([[g.target, "name"], [g.kind, ""], [fixed(g.requests_per_s, 1)], [fixed(g.usd_per_hour, 2)],
        [fixed(g.usd_per_million_tokens, 2)], [pct(g.cache_hit_rate)], [fixed(g.retries_per_s, 2)],
        [fixed(g.open_breakers, 0)], [fixed(g.key_cooldowns_per_s, 2)]]);
    }));
  }

  /* ---- the charts: the last KEEP_S seconds of snapshots, one array per series */

  var times = [];
  var values = Object.create(null);   /* "rps|model" -> [v per time] */
  var colours = Object.create(null);  /* model -> colour, in the order the models came */
  var colourCount = 0;

  function colour(model) {
    if (!(model in colours)) colours[model] = PALETTE[colourCount++ % PALETTE.length];
    return colours[model];
  }

  var CHARTS = [
    { id: "chart-rps", unit: "req/s", parts: [{ key: "rps", label: "", get: function (m) { return m.requests_per_s; } }] },
    { id: "chart-ttft", unit: "ms", parts: [
      { key: "ttft50", label: " p50", get: function (m) { return latencyMs(m.ttft_p50); } },
      { key: "ttft99", label: " p99", dash: true, get: function (m) { return latencyMs(m.ttft_p99); } }] },
    { id: "chart-queue", unit: "requests", parts: [
      { key: "run", label: " running", get: function (m) { return m.running; } },
      { key: "wait", label: " waiting", dash: true, get: function (m) { return m.waiting; } }] },
    { id: "chart-kv", unit: "%", max100: true, parts: [
      { key: "kv", label: "", get: function (m) { return m.kv_cache_usage == null ? null : 100 * m.kv_cache_usage; } }] },
    { id: "chart-tokens", unit: "tok/s", parts: [
      { key: "out", label: " out", get: function (m) { return m.output_tokens_per_s; } },
      { key: "in", label: " in", dash: true, get: function (m) { return m.input_tokens_per_s; } }] }
  ];
  CHARTS.forEach(function (c) { c.el = document.getElementById(c.id); c.plot = null; c.keys = ""; });

  function record(s) {
    var t = Date.parse(s.at) / 1000;
    if (!isFinite(t) || (times.length > 0 && t <= times[times.length - 1])) return false;
    times.push(t);
    var n = times.length;
    s.models.forEach(function (m) {
      colour(m.model);
      CHARTS.forEach(function (c) {
        c.parts.forEach(function (p) {
          var k = p.key + "|" + m.model;
          var a = values[k];
          if (!a) { a = values[k] = new Array(n - 1).fill(null); }
          var v = p.get(m);
          a.push(v == null || !isFinite(v) ? null : v);
        });
      });
    });
    var drop = 0;
    while (drop < times.length - 1 && (times[drop] < t - KEEP_S || times.length - drop > MAX_POINTS)) drop++;
    if (drop > 0) times.splice(0, drop);
    for (var k in values) {
      var a = values[k];
      while (a.length < n) a.push(null);   /* a model gone from this snapshot */
      if (drop > 0) a.splice(0, drop);
      if (a.every(function (v) { return v == null; })) delete values[k];
    }
    return true;
  }

  function tick(v) {
    if (v == null) return "";
    var a = Math.abs(v);
    if (a >= 1e6) return +(v / 1e6).toFixed(2) + "M";
    if (a >= 1e4) return +(v / 1e3).toFixed(1) + "k";
    return +v.toFixed(3) + "";
  }

  function drawChart(c) {
    var series = [{}];
    var data = [times];
    var keys = [];
    Object.keys(colours).forEach(function (model) {
      c.parts.forEach(function (p) {
        var k = p.key + "|" + model;
        if (!values[k]) return;
        keys.push(k);
        data.push(values[k]);
        series.push({
          label: model + p.label,
          stroke: colours[model],
          width: 2,
          dash: p.dash ? [6, 4] : undefined,
          points: { show: false },
          value: function (u, v) { return v == null ? DASH : tick(v) + " " + c.unit; }
        });
      });
    });
    var signature = keys.join("\n");
    if (keys.length === 0) {
      if (c.plot) { c.plot.destroy(); c.plot = null; }
      if (!c.el.querySelector(".empty")) c.el.replaceChildren(el("div", "empty", "Nothing to draw yet."));
      c.keys = "";
      return;
    }
    if (c.plot && signature === c.keys) {
      c.plot.setData(data);
      return;
    }
    if (c.plot) c.plot.destroy();
    c.el.replaceChildren();
    c.keys = signature;
    c.plot = new uPlot({
      width: Math.max(280, c.el.clientWidth),
      height: HEIGHT,
      series: series,
      axes: [
        Object.assign({}, AXIS),
        Object.assign({}, AXIS, { label: c.unit, size: 60, values: function (u, splits) { return splits.map(tick); } })
      ],
      scales: {
        /* at least a minute across, so that the first seconds are not labelled in milliseconds */
        x: { time: true, range: function (u, min, max) { return [Math.min(min, max - 60), max]; } },
        y: { range: function (u, min, max) {
          var top = max == null || !(max > 0) ? 1 : max * 1.08;
          return [0, c.max100 ? Math.max(Math.min(100, top), 1) : top];
        } }
      },
      legend: { live: true },
      cursor: { sync: { key: "top" } }
    }, data, c.el);
  }

  function drawCharts() {
    CHARTS.forEach(function (c) {
      try {
        drawChart(c);
      } catch (e) {
        fail(c.id + ": " + (e && e.message ? e.message : e));
      }
    });
  }

  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      CHARTS.forEach(function (c) {
        if (c.plot) c.plot.setSize({ width: Math.max(280, c.el.clientWidth), height: HEIGHT });
      });
    }, 100);
  });

  /* ---- the stream */

  var stateBadge = document.getElementById("state");
  var updatedText = document.getElementById("updated");
  var windowText = document.getElementById("window");
  var updates = 0;
  var lastAt = null;

  function setState(state) {
    body.dataset.state = state;
    stateBadge.textContent = state;
    stateBadge.className = "badge " + (state === "connected" ? "good" : state === "reconnecting" ? "warn" : "");
  }

  function showAge() {
    if (!lastAt) return;
    var ago = Math.max(0, Math.round((Date.now() - lastAt.getTime()) / 1000));
    updatedText.textContent = "last update " + clock(lastAt) + (ago >= 2 ? " (" + ago + " s ago)" : "");
  }
  setInterval(showAge, 1000);

  function onSnapshot(e) {
    var s;
    try {
      s = JSON.parse(e.data);
    } catch (err) {
      fail("a snapshot that is not JSON: " + err.message);
      return;
    }
    latest = s;
    updates++;
    lastAt = new Date();
    body.dataset.updates = String(updates);
    body.dataset.lastId = e.lastEventId;
    setState("connected");
    showAge();
    windowText.textContent = "window " + s.window_s + " s \u00b7 snapshot of " + clock(new Date(s.at)) + " \u00b7 "
      + s.models.length + (s.models.length === 1 ? " model, " : " models, ") + s.targets.length
      + (s.targets.length === 1 ? " target" : " targets");
    try {
      renderRows();
      renderTargets(s);
      renderExtras(s);
    } catch (err) {
      fail("table: " + (err && err.message ? err.message : err));
    }
    if (record(s)) drawCharts();
  }

  var source = null;
  function connect() {
    source = new EventSource("events");
    source.addEventListener("snapshot", onSnapshot);
    source.onopen = function () { setState("connected"); };
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED) {
        /* the browser gave up (an answer that was not a stream): try again ourselves */
        setState("reconnecting");
        setTimeout(connect, 5000);
      } else {
        setState("reconnecting");
      }
    };
  }
  renderRows();
  connect();
})();
