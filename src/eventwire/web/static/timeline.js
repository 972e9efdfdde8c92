/* The timeline: events per day (or month) as SVG bars stacked by type.
   Data: the server's matrix in <script id="timeline-data">; see eventwire/web/pages.py.
   Each bar segment links to /events with the period and type, keeping the other filters. */
(function () {
  "use strict";
  var ew = window.eventwire;
  var HEIGHT = 280, TOP = 12, BOTTOM = 46, LEFT = 40, RIGHT = 40;
  var MIN_PITCH = 7, MAX_PITCH = 48, LABEL_GAP = 78;

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  /* Every period from the first to the last key, gaps included, so time is to scale. */
  function allPeriods(unit, first, last) {
    var out = [];
    if (unit === "month") {
      var y = +first.slice(0, 4), m = +first.slice(5, 7);
      var endKey = last.slice(0, 7);
      for (var guard = 0; guard < 100000; guard++) {
        var key = y + "-" + pad(m);
        out.push(key);
        if (key >= endKey) break;
        m += 1; if (m > 12) { m = 1; y += 1; }
      }
      return out;
    }
    var day = new Date(first + "T00:00:00Z"), end = new Date(last + "T00:00:00Z");
    while (day <= end && out.length < 100000) {
      out.push(day.toISOString().slice(0, 10));
      day.setUTCDate(day.getUTCDate() + 1);
    }
    return out;
  }

  function niceMax(n) {
    if (n <= 5) return Math.max(1, n);
    var step = Math.pow(10, Math.floor(Math.log10(n)));
    var candidates = [1, 1.5, 2, 2.5, 5, 10];
    for (var i = 0; i < candidates.length; i++) {
      if (candidates[i] * step >= n) return candidates[i] * step;
    }
    return 10 * step;
  }

  function draw(data, box) {
    var byKey = {};
    data.periods.forEach(function (p) { byKey[p.key] = p; });
    var keys = allPeriods(data.unit, data.periods[0].key, data.periods[data.periods.length - 1].key);
    var avail = Math.max(280, box.clientWidth - LEFT - RIGHT);
    var pitch = Math.min(MAX_PITCH, Math.max(MIN_PITCH, Math.floor(avail / keys.length)));
    var width = LEFT + RIGHT + pitch * keys.length;
    var plotH = HEIGHT - TOP - BOTTOM;
    var most = 0;
    data.periods.forEach(function (p) {
      var sum = 0;
      Object.keys(p.counts).forEach(function (t) { sum += p.counts[t]; });
      most = Math.max(most, sum);
    });
    var top = niceMax(most);
    var y = function (v) { return TOP + plotH - (v / top) * plotH; };

    var svg = ew.svg("svg", { width: width, height: HEIGHT, viewBox: "0 0 " + width + " " + HEIGHT,
      role: "group", "aria-labelledby": "timeline-title", "class": "timeline-svg" });
    svg.appendChild(ew.svg("title", { id: "timeline-title" },
      "Events per " + data.unit + ", stacked by type"));

    var grid = ew.svg("g", { "class": "grid" });
    var axis = ew.svg("g", { "class": "axis" });
    var ticks = top <= 5 ? top : 4;
    for (var i = 0; i <= ticks; i++) {
      var v = Math.round((top / ticks) * i * 100) / 100;
      grid.appendChild(ew.svg("line", { x1: LEFT, x2: width - RIGHT, y1: y(v), y2: y(v) }));
      axis.appendChild(ew.svg("text", { x: LEFT - 6, y: y(v) + 4, "text-anchor": "end" }, v));
    }
    axis.appendChild(ew.svg("line", { x1: LEFT, x2: width - RIGHT, y1: y(0), y2: y(0) }));
    svg.appendChild(grid);

    var bars = ew.svg("g", { "class": "bars" });
    var barW = Math.max(3, pitch - (pitch > 10 ? 3 : 1));
    keys.forEach(function (key, index) {
      var period = byKey[key];
      if (!period) return;
      var x = LEFT + index * pitch + (pitch - barW) / 2;
      var base = 0;
      data.types.forEach(function (type) {
        var n = period.counts[type];
        if (!n) return;
        var params = new URLSearchParams(data.base);
        params.set("since", period.since);
        params.set("until", period.until);
        params.set("type", type);
        var link = ew.svg("a", { href: ew.link("/events", params), "class": "bar-link",
          "data-period": key, "data-type": type, "aria-label": key + ": " + n + " " + type });
        var rect = ew.svg("rect", { x: x, y: y(base + n), width: barW,
          height: Math.max(1, y(base) - y(base + n)), "class": "bar type-" + type });
        rect.appendChild(ew.svg("title", {}, key + " · " + type + ": " + n));
        link.appendChild(rect);
        bars.appendChild(link);
        base += n;
      });
    });
    svg.appendChild(bars);

    var every = Math.max(1, Math.ceil(LABEL_GAP / pitch));
    keys.forEach(function (key, index) {
      if (index % every !== 0) return;
      var x = LEFT + index * pitch + pitch / 2;
      axis.appendChild(ew.svg("line", { x1: x, x2: x, y1: y(0), y2: y(0) + 4 }));
      axis.appendChild(ew.svg("text", { x: x, y: y(0) + 18, "text-anchor": "middle" }, key));
    });
    svg.appendChild(axis);
    box.appendChild(svg);
  }

  function start() {
    var box = document.getElementById("timeline-chart");
    var data = ew.readJSON("timeline-data");
    if (!box || !data || !data.periods.length) return;
    draw(data, box);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
