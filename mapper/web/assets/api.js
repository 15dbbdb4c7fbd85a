/* mapper atlas engine, api.js: starts the atlas on a Leaflet map and defines window.mapperAtlas.
 *
 * mapperAtlasInit(payload, map, opts): payload is the page payload (mapper/web/payload.py), map a
 * Leaflet map or the id of the element to make one in (the atlas page), opts {interval}. It adds
 * the layer groups and the layer control, draws everything once, and shows the hash's step (or the
 * first). show(k, why) is the one place a step is shown; the API is documented in mapper/web/__init__.py.
 */
function mapperAtlasInit(D, mapOrId, opts) {
  "use strict";
  var M = window.MapperAtlas;
  opts = opts || {};
  var embed = !!D.embed, nS = D.steps.length;
  var map = typeof mapOrId === "string" ? L.map(mapOrId, {
    center: [36.0, 52.0], zoom: 5, zoomSnap: 0.25, zoomDelta: 0.5, keyboard: false, minZoom: 3, maxZoom: 11
  }) : mapOrId;
  map.attributionControl.addAttribution("Borders: Natural Earth (public domain)");
  var groups = { land: L.featureGroup(), units: L.featureGroup(), zones: L.featureGroup(), labels: L.featureGroup(),
                 places: L.featureGroup() };
  ["land", "units", "zones", "labels", "places"].forEach(function (g) { groups[g].addTo(map); });
  var osm = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19, attribution: "&copy; <a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a> contributors"
  });
  var compact = embed || map.getContainer().clientWidth < 640;  // a small map: short legend, folded layer list
  L.control.layers(null, {
    "Modern countries (land, borders)": groups.land,
    "Zones: spheres, occupations, republics": groups.zones,
    "Places: capitals, embassies, treaties": groups.places,
    "OpenStreetMap (web tiles, online)": osm
  }, { position: "topright", collapsed: compact }).addTo(map);

  var ctx = { D: D, map: map, groups: groups, embed: embed, compact: compact, cur: null, state: M.createState(D) };
  ctx.popups = M.createPopups(ctx);
  var layers = M.createLayers(ctx), legend = M.createLegend(ctx), panel = M.createPanel(ctx);
  var live = document.getElementById("atlas-live");

  function show(k, why) {
    k = Math.max(0, Math.min(nS - 1, k));
    var prev = ctx.cur, st = ctx.state.compute(k), step = D.steps[k], e = ctx.state.eventOf(k);
    ctx.cur = st;
    layers.update(prev, st);
    legend.draw();
    panel.draw();
    timeline.sync(k);
    if (live && why) {
      var n = step.changes.length;
      live.textContent = timeline.valueText(k) + ". " + (n ? n + (n === 1 ? " unit" : " units") +
        " changed hands, " + M.util.fmt(step.moved_km2) + " square kilometres." : "No land changed hands.");
    }
    if (hash && why && why !== "hash") hash.write(e.id);
    if (!embed) document.title = e.title + " \u2014 " + D.title;
  }
  ctx.show = show;
  var timeline = M.createTimeline(ctx, opts);
  var hash = embed ? null : M.createHash(ctx, function (k) { timeline.pause(); show(k, "hash"); });

  var api = {
    events: D.steps.map(function (s) { return s.event; }),
    current: function () { return ctx.state.eventOf(ctx.cur.k).id; },
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
    map: map
  };

  map.fitBounds(D.view, { animate: false, padding: embed ? [4, 4] : [8, 8] });
  var start = hash ? hash.read() : -1;
  show(start >= 0 ? start : 0, null);
  timeline.layout();
  window.mapperAtlas = api;
  return api;
}
