/* mapper atlas engine, legend.js: the map's legend, redrawn for each step, layer toggle and move.
 *
 * Holders present (named as on the step's date), the changed-unit edge, the zones in force, and on
 * a large map the places, the event's place (when in view) and the modern borders.
 */
(function (M) {
  "use strict";
  var ORDER = ["persia", "russia", "other"];  // the order the legend lists holders in
  M.createLegend = function (ctx) {
    var U = M.util, D = ctx.D, S = D.style, map = ctx.map, groups = ctx.groups, box = null;
    var legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () {
      box = U.el("div", "atlas-legend leaflet-control");
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", "Legend");
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    legend.addTo(map);

    function row(sw, text, cls) {
      var r = U.add(box, "div", "legend-row" + (cls ? " " + cls : ""));
      r.appendChild(sw);
      U.add(r, "span", null, text);
      return r;
    }
    function draw() {
      var st = ctx.cur;
      if (!box || !st) return;
      box.textContent = "";
      var step = D.steps[st.k];
      U.add(box, "div", "legend-head", "Held by");
      ORDER.forEach(function (h) {
        if (st.holder.indexOf(h) < 0) return;
        row(U.swatch("rect", { fill: S.holders[h], fillOpacity: S.fill_opacity, stroke: S.unit_edge }),
          h === "other" ? S.holder_labels.other : step.names[h], "holder-" + h);
      });
      if (step.changes.length) {
        row(U.swatch("rect", { fill: "none", stroke: S.changed, width: "2.5" }), "Changed hands at this step", "changed");
      }
      if (step.zones.length && map.hasLayer(groups.zones)) {
        U.add(box, "div", "legend-head", "Zones (not sovereignty)");
        step.zones.forEach(function (z) {
          var zone = ctx.state.zoneById[z], zs = S.zones[zone.kind];
          row(U.swatch("rect", { fill: "url(#" + zs.pattern + ")", stroke: zs.color, width: "1.6", dash: zs.dash }), zone.name, "zone");
        });
      }
      if (ctx.compact) return;  // a small map keeps its legend short
      if (map.hasLayer(groups.places)) {
        U.add(box, "div", "legend-head", "Places");
        row(U.swatch("circle", { fill: "#ffffff", stroke: S.place, width: "1.3", r: "3.4" }), "City, capital, embassy, consulate", "place");
        var e = ctx.state.eventOf(st.k), pi = e.place_id ? ctx.state.placeIndex[e.place_id] : -1;
        if (pi >= 0 && map.getBounds().contains([D.places[pi].lat, D.places[pi].lon])) {
          row(U.swatch("circle", { fill: "none", stroke: S.changed, width: "2", r: "5.5" }), "Place of this event", "place");
        }
      }
      if (map.hasLayer(groups.land)) {
        row(U.swatch("line", { stroke: S.land_edge, width: "1.2" }), "Modern borders, for orientation", "land");
      }
    }
    map.on("overlayadd overlayremove moveend", draw);
    return { draw: draw };
  };
})(window.MapperAtlas = window.MapperAtlas || {});
