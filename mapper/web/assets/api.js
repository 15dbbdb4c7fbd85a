/* mapper atlas engine, api.js: starts the atlas on a Leaflet map and defines window.mapperAtlas.
 *
 * mapperAtlasInit(payload, map, opts): payload is the page payload (mapper/web/payload.py), map a
 * Leaflet map or the id of the element to make one in (the atlas page), opts {interval}. It adds
 * the layer groups, the layer control and the reset-view button, draws everything once, and shows
 * the hash's step (or the first, with a message when the hash names no event). show(k, why) is the
 * one place a step is shown: it restyles the map, brings the changed land into view, redraws the
 * legend and panel, tells screen readers what changed (live region), and dispatches the DOM event
 * "mapper:step" ({detail: {event, index}}) on window; "mapper:ready" follows the first step. The
 * API is documented in mapper/web/__init__.py.
 */
function mapperAtlasInit(D, mapOrId, opts) {
  "use strict";
  var M = window.MapperAtlas, U = M.util, t = U.t;
  U.setWords(D.words, D.lang);
  M.topology.setArcs(D.arcs, D.grid);
  opts = opts || {};
  var embed = !!D.embed, nS = D.steps.length;
  var coarse = !!(window.matchMedia && matchMedia("(pointer: coarse)").matches);
  var reduced = !!(window.matchMedia && matchMedia("(prefers-reduced-motion: reduce)").matches);
  var map = typeof mapOrId === "string" ? L.map(mapOrId, {
    center: [36.0, 52.0], zoom: 5, zoomSnap: 0.25, zoomDelta: 0.5, keyboard: false, minZoom: 3, maxZoom: 11,
    dragging: !coarse, tapHold: false
  }) : mapOrId;
  map.attributionControl.addAttribution(t("attribution"));
  var groups = { land: L.featureGroup(), units: L.featureGroup(), claims: L.featureGroup(), zones: L.featureGroup(),
                 labels: L.featureGroup(), places: L.featureGroup() };
  ["land", "units", "claims", "zones", "labels", "places"].forEach(function (g) { groups[g].addTo(map); });
  var osm = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19, attribution: "&copy; <a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a> contributors"
  });
  var size = map.getSize(), compact = embed || size.x < 640;  // a small map: short legend, folded layer list
  function sizeClasses() {  // a small map (smaller labels and title), a tiny one (a one-line title): before its first view
    var s = map.getSize(), c = map.getContainer();
    c.classList.toggle("atlas-small", s.x < 520 || s.y < 330);
    c.classList.toggle("atlas-tiny", s.x < 400 || s.y < 280);
  }
  sizeClasses();
  var overlays = {};
  overlays[t("layerCountries")] = groups.land;
  overlays[t("layerClaims")] = groups.claims;
  overlays[t("layerZones")] = groups.zones;
  overlays[t("layerPlaces")] = groups.places;
  overlays[t("layerOsm")] = osm;
  // a layer list whose boxes are written at a zoom only when one is to be enabled or disabled (Leaflet writes
  // every box at every zoom, which restyles the list)
  var Layers = L.Control.Layers.extend({ _checkDisabledLayers: function () {
    var zoom = this._map.getZoom();
    this._layerControlInputs.forEach(function (input) {
      var o = this._getLayer(input.layerId).layer.options;
      var off = (o.minZoom !== undefined && zoom < o.minZoom) || (o.maxZoom !== undefined && zoom > o.maxZoom);
      if (input.disabled !== off) input.disabled = off;
    }, this);
  } });
  // an open layer list that does not measure the page as each layer is listed (Leaflet's expand() reads
  // offsetTop to cap the list's height: a forced layout per layer; the open list is five lines and fits)
  var OpenLayers = Layers.extend({ expand: function () {
    L.DomUtil.addClass(this._container, "leaflet-control-layers-expanded");
    this._checkDisabledLayers();
    return this;
  } });
  (compact ? new Layers(null, overlays, { position: "topright", collapsed: true })
    : new OpenLayers(null, overlays, { position: "topright", collapsed: false })).addTo(map);
  var ticks = document.getElementById("atlas-ticks");  // measured now, while the layout is fresh (no extra layout)
  var ticksWidth = ticks ? ticks.getBoundingClientRect().width : 0;

  var ctx = { D: D, map: map, groups: groups, embed: embed, compact: compact, cur: null, state: M.createState(D), ticksWidth: ticksWidth,
              sizeClasses: sizeClasses };
  ctx.popups = M.createPopups(ctx);
  var panel = M.createPanel(ctx);  // (an embed's title box first: the first view is framed below it)
  var live = document.getElementById("atlas-live");
  var home = L.latLngBounds(D.view), pad = embed ? 4 : 8;

  function fitHome(animate) {  // the whole atlas (an embed: its event), below the title box of an embed
    var title = embed ? map.getContainer().querySelector(".atlas-title") : null, top = title ? title.offsetHeight + 2 * pad : pad;
    map.fitBounds(home, { animate: animate, paddingTopLeft: [pad, top], paddingBottomRight: [pad, pad] });
  }

  // the reset-view button, under the zoom buttons
  var reset = L.control({ position: "topleft" });
  reset.onAdd = function () {
    var bar = U.el("div", "leaflet-bar leaflet-control atlas-reset"), b = U.add(bar, "button", null, "\u2302");
    b.type = "button";
    b.setAttribute("aria-label", t("resetView"));
    b.title = t("resetView");
    L.DomEvent.disableClickPropagation(bar);
    L.DomEvent.on(b, "click", function () { map.closePopup(); fitHome(!reduced); });
    return bar;
  };
  reset.addTo(map);
  M.createFullscreen(ctx);

  // the land layer (modern countries and seas) ends at a box: the reader can neither zoom out nor pan
  // beyond it, so the frame is land or sea to its edges at every zoom (a frame wider than the box
  // shows a little less than the whole atlas rather than the box's straight edge)
  var landBox = D.sea.length ? L.latLngBounds(M.topology.decode(D.sea)[0][0]) : home;
  function floor() {
    map.options.minZoom = 0;  // (getBoundsZoom answers no lower than the zoom floor in force)
    var z = map.getBoundsZoom(landBox, true);
    map.options.minZoom = z;  // (not setMinZoom: its animated zoom would end after, and undo, the first view)
    map.fire("zoomlevelschange");
    if (map.getZoom() < z) map.setView(landBox.getCenter(), z, { animate: false });
    map.setMaxBounds(landBox);
  }
  map.options.maxBoundsViscosity = 1;
  floor();
  map.on("resize", floor);
  fitHome(false);  // the first view framed before anything is drawn: the shapes are projected once, at its zoom
  var layers = M.createLayers(ctx), legend = M.createLegend(ctx);

  function bringIntoView(k) {  // the changed land in view, clear of the legend: leave the map alone when it already is
    var b = layers.changedBounds(k), e = ctx.state.eventOf(k), pi = e.place_id ? ctx.state.placeIndex[e.place_id] : -1;
    if (!b) return;
    if (pi >= 0 && home.contains([D.places[pi].lat, D.places[pi].lon])) b.extend([D.places[pi].lat, D.places[pi].lon]);
    var size = map.getSize(), m = Math.min(50, size.x / 8, size.y / 8);
    // the legend sits bottom left: keep beside it on a wide map, above it when it spans the map
    var lg = ctx.legendSize || [0, 0], lw = lg[0], lh = lg[1];  // as measured at the last layout
    var wide = lw < size.x * 0.4, left = wide ? Math.min(lw + 10, size.x / 3) : m;
    var bottom = wide ? m : Math.min(lh + 10, size.y / 2);
    var free = L.latLngBounds(map.containerPointToLatLng([left, m]), map.containerPointToLatLng([size.x - m, size.y - bottom]));
    var most = Math.max(map.getBoundsZoom(home) + 1.5, 5), nw = map.latLngToContainerPoint(b.getNorthWest()),
        se = map.latLngToContainerPoint(b.getSouthEast());
    // a small change (a quarter of the map's shorter side) is zoomed to, like a change out of view
    var small = Math.max(se.x - nw.x, se.y - nw.y) < Math.min(size.x, size.y) / 4 && map.getZoom() < most - 0.25;
    if (free.contains(b) && !small && map.getZoom() >= map.getBoundsZoom(home) - 0.5) return;
    map.fitBounds(b.pad(0.1), {
      animate: !reduced, duration: 0.6, maxZoom: most,
      paddingTopLeft: [left, m], paddingBottomRight: [m, bottom]
    });
  }

  var liveTexts = [];
  function liveText(k) {  // who, what, km²: the change labels (already in words), zones begun (once per step)
    return liveTexts[k] || (liveTexts[k] = liveWords(k));
  }
  function liveWords(k) {
    var step = D.steps[k], e = ctx.state.eventOf(k), parts = [t("liveStep", { year: e.year, title: e.title })];
    step.labels.forEach(function (lab) { parts.push(t("liveChange", { caption: lab.title, what: lab.detail })); });
    if (!step.changes.length) parts.push(t("liveNone"));
    if (step.zones_begun.length) {
      parts.push(t("liveZones", { names: step.zones_begun.map(function (z) { return ctx.state.zoneById[z].name; }).join(U.t("listSep")) }));
    }
    return parts.join(" ");
  }

  function show(k, why) {
    k = Math.max(0, Math.min(nS - 1, k));
    var prev = ctx.cur, st = ctx.state.compute(k), e = ctx.state.eventOf(k);
    ctx.cur = st;
    ctx.busy = true;  // map events fired while the step is drawn do not lay out: it is done once, below
    layers.update(prev, st);
    if (why && why !== "start") bringIntoView(k);
    legend.draw();
    panel.draw();
    if (why && why !== "start") panel.notice("");
    timeline.sync(k);
    ctx.busy = false;
    panel.toTop();  // (before the layout below reads the page: a scroll reset after its writes would lay out again)
    layers.layout(true);  // the one place a step measures the page (labels, legend), then writes the positions
    if (live && why) live.textContent = liveText(k);
    if (hash && why) hash.write(why !== "hash" ? e.id : null, e.title + " \u2014 " + D.title);
    else if (!embed) document.title = e.title + " \u2014 " + D.title;
    try {
      window.dispatchEvent(new CustomEvent("mapper:step", { detail: { event: e.id, index: k } }));
    } catch (err) { /* a browser without CustomEvent: the API still works */ }
  }
  ctx.show = show;
  var timeline = M.createTimeline(ctx, opts);
  var hash = embed ? null : M.createHash(ctx, function (k) { timeline.pause(); show(k, "hash"); },
                                         function (raw, kept) { panel.notice(t(kept ? "badHashKept" : "badHash", { hash: raw })); });
  map.on("moveend", function () { if (!ctx.busy) layers.layout(); });
  map.on("overlayadd overlayremove", function () { legend.draw(); layers.layout(); });
  window.addEventListener("resize", function () { layers.layout(); });
  function refit() {  // printing (or leaving print) resizes the map: draw it for its new frame
    map.invalidateSize({ animate: false });
    fitHome(false);
    layers.layout();
  }
  window.addEventListener("beforeprint", refit);
  window.addEventListener("afterprint", refit);
  if (window.matchMedia) {
    var printing = matchMedia("print");
    if (printing.addEventListener) printing.addEventListener("change", refit); else if (printing.addListener) printing.addListener(refit);
  }

  if (coarse && !embed) {  // touch: one finger scrolls the page; two fingers (or a tap first) move the map
    var hint = U.el("div", "atlas-touch-hint", t("touchHint")), hintTimer = null;
    hint.setAttribute("aria-hidden", "true");
    map.getContainer().appendChild(hint);
    map.getContainer().addEventListener("touchmove", function (ev) {
      if (ev.touches.length !== 1 || map.dragging.enabled()) return;
      hint.classList.add("shown");
      clearTimeout(hintTimer);
      hintTimer = setTimeout(function () { hint.classList.remove("shown"); }, 1500);
    }, { passive: true });
    map.getContainer().addEventListener("click", function () { map.dragging.enable(); });
    map.getContainer().addEventListener("blur", function () { map.dragging.disable(); });
  }

  var api = {
    events: D.steps.map(function (s) { return s.event; }),
    current: function () { return ctx.state.eventOf(ctx.cur.k).id; },
    index: function () { return ctx.cur.k; },
    go: function (id) {
      var k = ctx.state.stepOf(id);
      if (k < 0) return false;
      show(k, "api");
      return true;
    },
    next: function () { if (ctx.cur.k < nS - 1) show(ctx.cur.k + 1, "next"); return api.current(); },
    prev: function () { if (ctx.cur.k > 0) show(ctx.cur.k - 1, "prev"); return api.current(); },
    state: function () {
      var holders = {};
      D.units.forEach(function (u, i) { holders[u.id] = ctx.cur.holder[i]; });
      return { event: api.current(), holders: holders, zones: D.steps[ctx.cur.k].zones.slice() };
    },
    play: function () { timeline.play(); },
    pause: function () { timeline.pause(); },
    playing: function () { return timeline.playing(); },
    resetView: function () { fitHome(false); },
    map: map
  };

  var start = hash ? hash.read() : -1;
  show(start >= 0 ? start : 0, null);
  if (start >= 0) bringIntoView(start);
  else if (hash) hash.complain();
  timeline.layout();
  // in idle time after the first render, in slices of a few milliseconds (a click waits for one at most),
  // each step's panel, legend, change labels, zones and claims (with their outlines), year labels and live sentence are
  // made ahead, from the step after this one on: a step then only puts them in the page (one clicked
  // before is made then, as it is shown)
  var idle = window.requestIdleCallback || setTimeout, ahead = 0, from = ctx.cur.k;
  function prepare() {
    for (var t0 = Date.now(); ahead < nS && Date.now() - t0 < 4; ahead++) {
      var k = (from + 1 + ahead) % nS;
      panel.prepare(k);
      legend.prepare(k);
      layers.prepare(k);
      timeline.prepare(k);
      liveText(k);
    }
    if (ahead < nS) idle(prepare); else performance.mark("atlas-prepared");  // (for bench/web_page.py)
  }
  idle(prepare);
  window.mapperAtlas = api;
  try { window.dispatchEvent(new CustomEvent("mapper:ready", { detail: { event: api.current(), index: ctx.cur.k } })); } catch (err) { /* see above */ }
  return api;
}
