/* The map: country outlines (GET /map/countries.json) and the matching events that have
   coordinates (GET /api/events, page by page), as SVG in an equirectangular projection.

   The outlines are drawn once, in degrees, and moved with one transform; markers are
   drawn in screen pixels after every move so they keep their size. Markers closer than
   a grid cell (CELL pixels) are shown as one numbered cluster; the grid is anchored to
   the world, so clusters split as you zoom in. */
(function () {
  "use strict";
  var ew = window.eventwire;
  var CELL = 44, RADIUS = 6, PAGE = 500, MAX_ZOOM = 512, FIT_MAX_ZOOM = 6, STEP = 1.6;
  var WORLD = "-180,-90,180,90";

  var view = { width: 0, height: 0, lon: 0, lat: 0, zoom: 1 };
  var config, frame, svg, land, pins, statusLine, filterLink, info, infoTitle, infoBody;
  var points = [];
  var drawQueued = false;

  function scale() { return (view.width / 360) * view.zoom; }
  /* The least zoom at which the world covers the frame (a tall phone frame needs more than 1). */
  function minZoom() { return Math.max(1, (2 * view.height) / view.width); }
  function project(lon, lat) {
    return [view.width / 2 + (lon - view.lon) * scale(), view.height / 2 - (lat - view.lat) * scale()];
  }
  function unproject(x, y) {
    return [view.lon + (x - view.width / 2) / scale(), view.lat - (y - view.height / 2) / scale()];
  }

  /* Keep the world in the frame: no panning off its edges. */
  function clampView() {
    view.zoom = Math.min(MAX_ZOOM, Math.max(minZoom(), view.zoom));
    var halfW = view.width / 2 / scale(), halfH = view.height / 2 / scale();
    view.lon = halfW >= 180 ? 0 : Math.min(180 - halfW, Math.max(-180 + halfW, view.lon));
    view.lat = halfH >= 90 ? 0 : Math.min(90 - halfH, Math.max(-90 + halfH, view.lat));
  }

  function fitBox(west, south, east, north) {
    if (east < west) east += 360;
    var spanLon = Math.max(0.5, east - west), spanLat = Math.max(0.5, north - south);
    view.zoom = Math.min(360 / spanLon, (view.height / view.width) * 360 / spanLat) * 0.9;
    view.lon = (west + east) / 2;
    if (view.lon > 180) view.lon -= 360;
    view.lat = (south + north) / 2;
    clampView();
  }

  /* Start where the events are (never closer than FIT_MAX_ZOOM: one event is not a view). */
  function fitPoints() {
    var west = 180, east = -180, south = 90, north = -90;
    points.forEach(function (p) {
      west = Math.min(west, p.lon); east = Math.max(east, p.lon);
      south = Math.min(south, p.lat); north = Math.max(north, p.lat);
    });
    fitBox(west - 5, Math.max(-90, south - 5), east + 5, Math.min(90, north + 5));
    view.zoom = Math.min(view.zoom, FIT_MAX_ZOOM);
    clampView();
  }

  function queueDraw() {
    if (drawQueued) return;
    drawQueued = true;
    window.requestAnimationFrame(function () { drawQueued = false; draw(); });
  }

  function draw() {
    var k = scale();
    land.setAttribute("transform", "translate(" + (view.width / 2 - view.lon * k) + " " +
      (view.height / 2 + view.lat * k) + ") scale(" + k + ")");
    drawPins();
    updateFilterLink();
  }

  /* --- countries ------------------------------------------------------------------ */

  function ringPath(ring) {
    var parts = [];
    for (var i = 0; i < ring.length; i++) parts.push(ring[i][0] + " " + (-ring[i][1]));
    return "M" + parts.join("L") + "Z";
  }

  function drawCountries(geojson) {
    geojson.features.forEach(function (feature) {
      var geometry = feature.geometry;
      if (!geometry) return;
      var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
      var d = polygons.map(function (rings) { return rings.map(ringPath).join(""); }).join("");
      var props = feature.properties || {};
      var path = ew.svg("path", { d: d, "class": "country", "data-iso": props.iso_a3 || "" });
      path.appendChild(ew.svg("title", {}, props.name || ""));
      land.appendChild(path);
    });
  }

  /* --- events -------------------------------------------------------------------- */

  function loadEvents() {
    var params = new URLSearchParams(config.query);
    params.set("bbox", config.bbox ? config.bbox.join(",") : WORLD);
    params.set("limit", String(PAGE));
    var items = [];
    var located = 0;
    function page(url) {
      return ew.getJSON(url).then(function (body) {
        located = body.total;
        items = items.concat(body.items || []);
        var next = body.next;
        if (next && next.indexOf("/api/events?") === 0 && items.length < config.max) return page(next);
        return { items: items.slice(0, config.max), located: located };
      });
    }
    return page(ew.link("/api/events", params));
  }

  function toPoint(item, index) {
    var place = item.location;
    if (!place || typeof place.lat !== "number" || typeof place.lon !== "number") return null;
    return { lon: place.lon, lat: place.lat, item: item, index: index };
  }

  function groups() {
    var cell = CELL / scale();
    var cells = {};
    var order = [];
    points.forEach(function (p) {
      var key = Math.floor((p.lon + 180) / cell) + ":" + Math.floor((90 - p.lat) / cell);
      if (!cells[key]) { cells[key] = []; order.push(key); }
      cells[key].push(p);
    });
    return order.map(function (key) { return cells[key]; });
  }

  function drawPins() {
    while (pins.firstChild) pins.removeChild(pins.firstChild);
    groups().forEach(function (group, gi) {
      var lon = 0, lat = 0;
      group.forEach(function (p) { lon += p.lon; lat += p.lat; });
      var xy = project(lon / group.length, lat / group.length);
      if (xy[0] < -40 || xy[1] < -40 || xy[0] > view.width + 40 || xy[1] > view.height + 40) return;
      pins.appendChild(group.length === 1 ? pin(group[0], xy) : cluster(group, xy, gi));
    });
  }

  function describe(item) {
    return item.type + " (" + item.status + ")" + (item.location && item.location.name ? " in " + item.location.name : "");
  }

  function pin(p, xy) {
    var item = p.item;
    var g = ew.svg("g", { "class": "pin type-" + item.type, tabindex: "0", role: "button",
      "data-index": p.index, "data-kind": "event", "aria-label": describe(item) });
    g.appendChild(ew.svg("circle", { cx: xy[0], cy: xy[1], r: RADIUS, "class": "marker st-" + item.status }));
    g.appendChild(ew.svg("title", {}, describe(item)));
    return g;
  }

  function cluster(group, xy, gi) {
    var n = group.length;
    var g = ew.svg("g", { "class": "pin cluster-pin", tabindex: "0", role: "button",
      "data-group": gi, "data-kind": "cluster", "data-count": n,
      "aria-label": n + " events here: zoom in" });
    g.appendChild(ew.svg("circle", { cx: xy[0], cy: xy[1], r: 9 + 2 * Math.log2(n), "class": "cluster" }));
    g.appendChild(ew.svg("text", { x: xy[0], y: xy[1], "class": "cluster-count" }, n));
    g.appendChild(ew.svg("title", {}, n + " events: click to zoom in"));
    return g;
  }

  /* A cluster zooms in to its events; one whose events share a place lists them instead. */
  function openCluster(group) {
    var same = group.every(function (p) { return p.lon === group[0].lon && p.lat === group[0].lat; });
    if (same || view.zoom >= MAX_ZOOM) { showList(group); return; }
    var west = 180, east = -180, south = 90, north = -90;
    group.forEach(function (p) {
      west = Math.min(west, p.lon); east = Math.max(east, p.lon);
      south = Math.min(south, p.lat); north = Math.max(north, p.lat);
    });
    var before = view.zoom;
    fitBox(west, south, east, north);
    if (view.zoom < before * 2) {
      view.zoom = before * 2;
      view.lon = (west + east) / 2;
      view.lat = (south + north) / 2;
      clampView();
    }
    queueDraw();
  }

  /* --- the info panel ---------------------------------------------------------------- */

  function eventHref(item) { return "/events/" + encodeURIComponent(item.id); }

  function actor(a) {
    if (!a) return "?";
    var name = a.name || a.text || "?";
    return a.country ? name + " (" + a.country + ")" : name;
  }

  function clearInfo() {
    while (infoBody.firstChild) infoBody.removeChild(infoBody.firstChild);
    info.hidden = false;
  }

  function showEvent(item) {
    clearInfo();
    infoTitle.textContent = item.type + (item.mode ? " (" + item.mode + ")" : "") + " · " + item.status;
    infoBody.appendChild(ew.el("p", { "class": "who" }, actor(item.source) + " → " + actor(item.target)));
    var when = item.time && item.time.start ? item.time.start : (item.published || "");
    var where = item.location ? (item.location.name || item.location.text || "") : "";
    infoBody.appendChild(ew.el("p", { "class": "where" }, [where, when].filter(Boolean).join(" · ")));
    var evidence = item.mentions && item.mentions.length ? item.mentions[0].text : "";
    infoBody.appendChild(ew.el("blockquote", { "class": "evidence" }, evidence));
    if (item.article_title) infoBody.appendChild(ew.el("p", { "class": "article" }, item.article_title));
    infoBody.appendChild(ew.el("a", { href: eventHref(item), "class": "open" }, "Open the event and its evidence →"));
    reveal();
  }

  function showList(group) {
    clearInfo();
    infoTitle.textContent = group.length + " events at this place";
    var list = ew.el("ul", { "class": "cluster-list" });
    group.forEach(function (p) {
      var li = ew.el("li");
      var button = ew.el("button", { type: "button", "class": "linkish", "data-index": p.index }, describe(p.item));
      li.appendChild(button);
      list.appendChild(li);
    });
    infoBody.appendChild(list);
    reveal();
  }

  function reveal() {
    if (window.innerWidth < 1000) info.scrollIntoView({ block: "nearest" });
  }

  /* --- controls -------------------------------------------------------------------- */

  function zoomAt(factor, x, y) {
    var geo = unproject(x, y);
    view.zoom = Math.min(MAX_ZOOM, Math.max(minZoom(), view.zoom * factor));
    var k = scale();
    view.lon = geo[0] - (x - view.width / 2) / k;
    view.lat = geo[1] + (y - view.height / 2) / k;
    clampView();
    queueDraw();
  }

  function updateFilterLink() {
    var nw = unproject(0, 0), se = unproject(view.width, view.height);
    var west = Math.max(-180, Math.floor(nw[0] * 100) / 100);
    var east = Math.min(180, Math.ceil(se[0] * 100) / 100);
    var south = Math.max(-90, Math.floor(se[1] * 100) / 100);
    var north = Math.min(90, Math.ceil(nw[1] * 100) / 100);
    var params = new URLSearchParams(config.query);
    params.set("bbox", [west, south, east, north].join(","));
    filterLink.setAttribute("href", ew.link("/events", params));
  }

  function handleActivate(target) {
    var node = target.closest ? target.closest("[data-kind]") : null;
    if (!node) return false;
    if (node.getAttribute("data-kind") === "event") {
      var p = points[+node.getAttribute("data-index")];
      Array.prototype.forEach.call(pins.querySelectorAll(".selected"), function (n) { n.classList.remove("selected"); });
      node.classList.add("selected");
      showEvent(p.item);
    } else {
      openCluster(groups()[+node.getAttribute("data-group")]);
    }
    return true;
  }

  function wire() {
    var drag = null, dragged = false;
    svg.addEventListener("pointerdown", function (e) {
      if (e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, lon: view.lon, lat: view.lat, id: e.pointerId, on: false };
      dragged = false;
    });
    svg.addEventListener("pointermove", function (e) {
      if (!drag) return;
      var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!drag.on && Math.abs(dx) + Math.abs(dy) > 4) {
        drag.on = true;
        dragged = true;
        svg.setPointerCapture(drag.id);
        svg.classList.add("dragging");
      }
      if (!drag.on) return;
      view.lon = drag.lon - dx / scale();
      view.lat = drag.lat + dy / scale();
      clampView();
      queueDraw();
    });
    function endDrag() {
      if (drag && drag.on && svg.hasPointerCapture(drag.id)) svg.releasePointerCapture(drag.id);
      drag = null;
      svg.classList.remove("dragging");
    }
    svg.addEventListener("pointerup", endDrag);
    svg.addEventListener("pointercancel", endDrag);
    svg.addEventListener("click", function (e) {
      if (dragged) { dragged = false; return; }
      handleActivate(e.target);
    });
    svg.addEventListener("keydown", function (e) {
      if ((e.key === "Enter" || e.key === " ") && handleActivate(e.target)) e.preventDefault();
    });
    svg.addEventListener("wheel", function (e) {
      e.preventDefault();
      var box = svg.getBoundingClientRect();
      zoomAt(e.deltaY < 0 ? 1.25 : 0.8, e.clientX - box.left, e.clientY - box.top);
    }, { passive: false });
    document.getElementById("zoom-in").addEventListener("click", function () {
      zoomAt(STEP, view.width / 2, view.height / 2);
    });
    document.getElementById("zoom-out").addEventListener("click", function () {
      zoomAt(1 / STEP, view.width / 2, view.height / 2);
    });
    document.getElementById("zoom-reset").addEventListener("click", function () {
      view.zoom = minZoom(); view.lon = 0; view.lat = 0; clampView(); queueDraw();
    });
    infoBody.addEventListener("click", function (e) {
      var button = e.target.closest ? e.target.closest("button[data-index]") : null;
      if (button) showEvent(points[+button.getAttribute("data-index")].item);
    });
    window.addEventListener("resize", function () { measure(); clampView(); queueDraw(); });
  }

  function measure() {
    view.width = Math.max(1, frame.clientWidth);
    view.height = Math.max(1, frame.clientHeight);
    svg.setAttribute("viewBox", "0 0 " + view.width + " " + view.height);
  }

  function legend() {
    var counts = {};
    points.forEach(function (p) { counts[p.item.type] = (counts[p.item.type] || 0) + 1; });
    var list = document.getElementById("map-legend");
    Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a]; }).forEach(function (type) {
      var li = ew.el("li", { "class": "type-" + type });
      li.appendChild(ew.el("span", { "class": "swatch", "aria-hidden": "true" }));
      li.appendChild(document.createTextNode(type + " (" + counts[type] + ")"));
      list.appendChild(li);
    });
  }

  function start() {
    frame = document.getElementById("map");
    config = ew.readJSON("map-config");
    if (!frame || !config) return;
    statusLine = document.getElementById("map-status");
    filterLink = document.getElementById("filter-view");
    info = document.getElementById("map-info");
    infoTitle = document.getElementById("info-title");
    infoBody = document.getElementById("info-body");
    svg = ew.svg("svg", { "class": "world", "aria-label": "World map of the matching events", role: "group" });
    land = ew.svg("g", { "class": "land" });
    pins = ew.svg("g", { "class": "pins" });
    svg.appendChild(land);
    svg.appendChild(pins);
    frame.insertBefore(svg, frame.firstChild);
    measure();
    if (config.bbox) fitBox(config.bbox[0], config.bbox[1], config.bbox[2], config.bbox[3]);
    clampView();
    wire();
    draw();
    ew.getJSON("/map/countries.json").then(function (geojson) {
      drawCountries(geojson);
      frame.setAttribute("data-countries", String(land.childNodes.length));
    }).catch(function (error) {
      statusLine.textContent = "The country outlines could not be loaded: " + error.message;
    });
    loadEvents().then(function (result) {
      points = result.items.map(toPoint).filter(Boolean);
      legend();
      if (!config.bbox && points.length) fitPoints();
      var text = points.length + " events with coordinates drawn";
      if (result.located > points.length) text += " (the first " + points.length + " of " + result.located + ")";
      var unplaced = config.total - result.located;
      if (unplaced > 0) text += "; " + unplaced + " more match but have no coordinates";
      statusLine.textContent = text + ".";
      frame.setAttribute("data-events", String(points.length));
      queueDraw();
    }).catch(function (error) {
      statusLine.textContent = "The events could not be loaded: " + error.message;
      frame.setAttribute("data-events", "error");
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
