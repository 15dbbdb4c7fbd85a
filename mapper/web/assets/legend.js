/* mapper atlas engine, legend.js: the map's legend, redrawn for each step, layer toggle and move.
 *
 * Holders present (named as on the step's date), the claims in force, the changed-unit edge, the zones in force, and on
 * a large map the places, the event's place (when in view) and the modern borders. On a phone-sized atlas map, and
 * in a small embed, the legend folds behind a "Legend" button (aria-expanded), so that it does not cover the land
 * that changed.
 */
(function (M) {
  "use strict";
  var ORDER = ["persia", "russia", "other"];  // the order the legend lists holders in
  M.createLegend = function (ctx) {
    var U = M.util, D = ctx.D, S = D.style, map = ctx.map, groups = ctx.groups, box = null, outer = null;
    var size0 = map.getSize(), folds = size0.x < 520 && (!ctx.embed || size0.y < 330);  // a phone, or a small embed
    var legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () {
      outer = box = U.el("div", "atlas-legend leaflet-control");
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", U.t("legend"));
      if (folds) {  // a button that opens and closes the legend
        var btn = U.add(outer, "button", "legend-toggle", U.t("legend"));
        btn.type = "button";
        btn.setAttribute("aria-expanded", "false");
        box = U.add(outer, "div", "legend-body");
        box.id = "atlas-legend-body";
        box.hidden = true;
        btn.setAttribute("aria-controls", box.id);
        L.DomEvent.on(btn, "click", function () {
          var open = btn.getAttribute("aria-expanded") !== "true";
          btn.setAttribute("aria-expanded", open ? "true" : "false");
          box.hidden = !open;
          if (ctx.layoutLabels) ctx.layoutLabels();
        });
      }
      L.DomEvent.disableClickPropagation(outer);
      L.DomEvent.disableScrollPropagation(outer);
      return outer;
    };
    legend.addTo(map);

    function row(rows, sw, text, cls) {
      var r = U.add(rows, "div", "legend-row" + (cls ? " " + cls : ""));
      r.appendChild(sw);
      U.add(r, "span", null, text);
      return r;
    }
    // what the legend shows: a key for it, and its rows, built once for each key (ahead of the step, in
    // idle time: prepare) and put in the legend whole
    var drawn = null, built = {}, stepKeys = [];  // stepKeys: what of the key the step decides, once per step
    function rowsFor(st, here) {  // here: the event's place is in view
      var step = D.steps[st.k], e = ctx.state.eventOf(st.k), pi = e.place_id ? ctx.state.placeIndex[e.place_id] : -1;
      var key = (stepKeys[st.k] || (stepKeys[st.k] = JSON.stringify([step.names, ORDER.map(function (h) { return st.holder.indexOf(h) >= 0; }),
        st.claims.map(function (c) { return c.join(); }).join(), step.changes.length > 0, step.claim_changes.length > 0, step.zones]))) +
        [groups.claims, groups.zones, groups.places, groups.land].map(function (g) { return map.hasLayer(g) ? 1 : 0; }).join("") + (pi >= 0 && here ? 1 : 0);
      return built[key] || (built[key] = fill(U.el("div"), st, step, pi >= 0 && here));
    }
    function draw() {
      var st = ctx.cur;
      if (!box || !st) return;
      var e = ctx.state.eventOf(st.k), pl = e.place_id && D.places[ctx.state.placeIndex[e.place_id]];
      var el = rowsFor(st, pl && map.getBounds().contains([pl.lat, pl.lon]));
      if (el === drawn) return;
      box.textContent = "";
      box.appendChild(drawn = el);
    }
    function prepare(k) {  // step k's legend, with its place in view and out of it
      var st = ctx.state.compute(k);
      rowsFor(st, true);
      rowsFor(st, false);
    }
    function fill(rows, st, step, here) {  // the legend's rows into rows (returned)
      U.add(rows, "div", "legend-head", U.t("heldBy"));
      ORDER.forEach(function (h) {
        if (st.holder.indexOf(h) < 0) return;
        row(rows, U.swatch("rect", { fill: S.holder_fills[h], fillOpacity: S.fill_opacity, stroke: S.unit_edge }),
          h === "other" ? U.t("holder.other") : step.names[h], "holder-" + h);
      });
      ORDER.forEach(function (h) {
        var claimed = st.claims.some(function (c) { return c.indexOf(h) >= 0; });
        if (!claimed || !map.hasLayer(groups.claims)) return;
        var cs = S.claims[h];
        row(rows, U.swatch("rect", { fill: "url(#" + cs.pattern + ")", stroke: cs.color, width: "1.6", dash: cs.dash }),
          U.t("claimedBy", { name: ctx.state.claimantName(st, h) }), "claim-" + h);
      });
      if (step.changes.length) {
        row(rows, U.swatch("rect", { fill: "none", stroke: S.changed, width: "2.5" }), U.t("changedHere"), "changed");
      }
      if (step.claim_changes.length) {
        row(rows, U.swatch("rect", { fill: "none", stroke: S.changed, width: "1.8", dash: "5 4" }),
          U.t("paperChange"), "paper");
      }
      if (step.zones.length && map.hasLayer(groups.zones)) {
        U.add(rows, "div", "legend-head", U.t("zonesNotSovereignty"));
        step.zones.forEach(function (z) {
          var zone = ctx.state.zoneById[z], zs = S.zones[zone.kind];
          row(rows, U.swatch("rect", { fill: "url(#" + zs.pattern + ")", stroke: zs.color, width: "1.6", dash: zs.dash }), zone.name, "zone");
        });
      }
      if (ctx.compact) return rows;  // a small map keeps its legend short
      if (map.hasLayer(groups.places)) {
        U.add(rows, "div", "legend-head", U.t("places"));
        row(rows, U.swatch("circle", { fill: "#ffffff", stroke: S.place, width: "1.3", r: "3.4" }), U.t("placeKinds"), "place");
        if (here) {
          row(rows, U.swatch("circle", { fill: "none", stroke: S.changed, width: "2", r: "5.5" }), U.t("eventPlace"), "place");
        }
      }
      if (map.hasLayer(groups.land)) {
        row(rows, U.swatch("line", { stroke: S.land_edge, width: "1.2" }), U.t("modernBorders"), "land");
      }
      return rows;
    }
    map.on("overlayadd overlayremove moveend", function () { if (!ctx.busy) draw(); });
    return { draw: draw, prepare: prepare };
  };
})(window.MapperAtlas = window.MapperAtlas || {});
