/* mapper atlas engine, layers.js: the map's layers and how a step restyles them.
 *
 * Sea, modern countries, units, zones, places, the event's place and the change labels. Every
 * geometry is drawn once; a step (update) only restyles the unit paths that changed, swaps the
 * zones in force and rewrites the change labels. Paths carry data-unit / data-holder, data-zone /
 * data-kind and data-place attributes.
 */
(function (M) {
  "use strict";
  M.createLayers = function (ctx) {
    var U = M.util, D = ctx.D, S = D.style, map = ctx.map, groups = ctx.groups, P = ctx.popups;
    var unitPaths = [], zonePaths = {}, placeMarkers = [];

    map.createPane("land").style.zIndex = 150;     // under the (optional) web tiles at 200
    map.createPane("zones").style.zIndex = 420;
    map.createPane("places").style.zIndex = 450;

    if (D.sea.length) {  // the seas inside the frame of the land layer; outside it the map is blank
      L.polygon(U.decode(D.sea), {
        pane: "land", interactive: false, className: "sea", stroke: false, fillColor: S.sea, fillOpacity: 1
      }).addTo(groups.land);
    }
    D.countries.forEach(function (c) {
      L.polygon(U.decode(c.geometry), {
        pane: "land", interactive: false, className: "land", color: S.land_edge, weight: 0.8,
        fillColor: S.land, fillOpacity: 1
      }).addTo(groups.land);
    });

    function unitStyle(st, i) {
      var ch = st.changed[i];
      return {
        fillColor: S.holders[st.holder[i]], fillOpacity: S.fill_opacity,
        color: ch ? S.changed : S.unit_edge, weight: ch ? 3 : 0.8, opacity: 1
      };
    }
    D.units.forEach(function (u, i) {
      var p = L.polygon(U.decode(u.geometry), { className: "unit", color: S.unit_edge, weight: 0.8, fillOpacity: S.fill_opacity });
      p.bindTooltip(function () { return P.unitTip(i); }, { sticky: true, direction: "top", className: "atlas-tip" });
      p.bindPopup(function () { return P.unitPopup(i); }, { maxWidth: 340, className: "atlas-popup" });
      p.on("add", function () {
        var path = p.getElement();
        path.setAttribute("data-unit", u.id);
        if (ctx.cur) { path.setAttribute("data-holder", ctx.cur.holder[i]); path.classList.toggle("changed", !!ctx.cur.changed[i]); }
      });
      p.addTo(groups.units);
      unitPaths.push(p);
    });

    function zonePath(id) {
      if (!zonePaths[id]) {
        var r = ctx.state.zoneById[id], zs = S.zones[r.kind];
        var p = L.polygon(U.decode(r.geometry), {
          pane: "zones", className: "zone", color: zs.color, weight: 2.2, opacity: 0.95, dashArray: zs.dash,
          fillColor: "url(#" + zs.pattern + ")", fillOpacity: 1
        });
        p.bindTooltip(function () { return P.zoneTip(r); }, { sticky: true, className: "atlas-tip" });
        p.bindPopup(function () { return P.zonePopup(r); }, { maxWidth: 340, className: "atlas-popup" });
        p.on("add", function () {
          var path = p.getElement();
          path.setAttribute("data-zone", r.id);
          path.setAttribute("data-kind", r.kind);
        });
        zonePaths[id] = p;
      }
      return zonePaths[id];
    }

    D.places.forEach(function (r) {
      var m = L.circleMarker([r.lat, r.lon], {
        pane: "places", className: "place", radius: 3.4, color: S.place, weight: 1.3, fillColor: "#ffffff", fillOpacity: 1
      });
      m.bindTooltip(U.el("span", null, r.name), {
        permanent: !!r.capital_label, direction: "right", offset: [5, 0],
        className: r.capital_label ? "place-label" : "atlas-tip"
      });
      m.bindPopup(function () { return P.placePopup(r); }, { maxWidth: 300, className: "atlas-popup" });
      m.on("add", function () { m.getElement().setAttribute("data-place", r.id); });
      m.addTo(groups.places);
      placeMarkers.push(m);
    });
    var focusMarker = L.circleMarker([0, 0], {
      pane: "places", interactive: false, className: "event-place", radius: 8, color: S.changed, weight: 2.5, fill: false
    });
    focusMarker.bindTooltip("", { permanent: true, direction: "auto", offset: [0, 0], className: "place-label event-place-label" });

    // ------------------------------------------------------------------------------ change labels
    var labelBoxes = [];
    function declutter() {  // move change labels apart vertically where they overlap (and off the event's place)
      var placed = [];
      var ft = groups.places.hasLayer(focusMarker) && map.hasLayer(groups.places) && focusMarker.getTooltip().getElement();
      if (ft) {
        var fr = ft.getBoundingClientRect();
        placed.push({ left: fr.left - 12, right: fr.right, top: fr.top, bottom: fr.bottom });
      }
      labelBoxes.forEach(function (box) {
        box.style.marginTop = "0px";
        var r = box.getBoundingClientRect(), h = r.height + 4, best = 0;
        if (!r.width) return;
        function free(dy) {
          return placed.every(function (p) {
            return r.right <= p.left - 2 || r.left >= p.right + 2 || r.bottom + dy <= p.top - 2 || r.top + dy >= p.bottom + 2;
          });
        }
        for (var n = 0; n < 12; n++) {
          var dy = (n % 2 ? 1 : -1) * Math.ceil(n / 2) * h;
          if (free(dy)) { best = dy; break; }
        }
        box.style.marginTop = best + "px";
        placed.push({ left: r.left, right: r.right, top: r.top + best, bottom: r.bottom + best });
        // a leader line from the label, when moved, back to its place
        var lead = box.parentNode.querySelector(".change-leader"), a = box.parentNode.getBoundingClientRect();
        var top = r.top - a.top + best, bottom = r.bottom - a.top + best;
        if (lead) {
          lead.style.display = top > 0 || bottom < 0 ? "block" : "none";
          lead.style.top = (top > 0 ? 0 : bottom) + "px";
          lead.style.height = Math.abs(top > 0 ? top : bottom) + "px";
        }
      });
    }
    map.on("zoomend", declutter);

    function drawLabels(step) {
      groups.labels.clearLayers();
      labelBoxes = [];
      step.labels.forEach(function (lab) {
        var box = U.el("div", "change-label-box" + (lab.above ? " above" : "")), line = U.add(box, "div", "verb", lab.title);
        labelBoxes.push(box);
        line.setAttribute("data-holder", lab.holder);
        U.add(box, "div", "what", lab.detail);
        var holder = U.el("div");
        U.add(holder, "div", "change-leader");
        holder.appendChild(box);
        L.marker([lab.lat, lab.lon], {
          icon: L.divIcon({ className: "change-label", html: holder, iconSize: null }), interactive: false, keyboard: false
        }).addTo(groups.labels);
      });
    }
    function drawEventPlace(e) {
      var pi = e.place_id ? ctx.state.placeIndex[e.place_id] : -1;
      if (pi >= 0) {
        var r = D.places[pi], fl = U.el("span", null, r.name);
        U.add(fl, "span", "sub", e.kind === "treaty" ? " \u00b7 signed here" : " \u00b7 place of this event");
        focusMarker.setLatLng([r.lat, r.lon]);
        focusMarker.setTooltipContent(fl);
        if (!groups.places.hasLayer(focusMarker)) groups.places.addLayer(focusMarker);
      } else if (groups.places.hasLayer(focusMarker)) {
        groups.places.removeLayer(focusMarker);
      }
      placeMarkers.forEach(function (m, i) {
        var pe = m.getElement(), te = m.getTooltip() && m.getTooltip().getElement();
        if (pe) pe.classList.toggle("event-place", i === pi);
        if (te) te.classList.toggle("hidden-by-focus", i === pi);
      });
    }

    function update(prev, st) {  // restyle for state st (prev: the state shown before, or null)
      var step = D.steps[st.k], front = [];
      for (var i = 0; i < D.units.length; i++) {
        if (!prev || prev.holder[i] !== st.holder[i] || prev.changed[i] !== st.changed[i]) {
          var p = unitPaths[i];
          p.setStyle(unitStyle(st, i));
          var path = p.getElement();
          if (path) {
            path.setAttribute("data-holder", st.holder[i]);
            path.classList.toggle("changed", !!st.changed[i]);
          }
        }
        if (st.changed[i]) front.push(unitPaths[i]);
      }
      front.forEach(function (p) {  // moving a path in the DOM loses its hover: close its tooltip with it
        if (p.isTooltipOpen()) p.closeTooltip();
        p.bringToFront();
      });
      var want = {};
      step.zones.forEach(function (z) { want[z] = true; });
      Object.keys(zonePaths).forEach(function (z) {
        if (!want[z] && groups.zones.hasLayer(zonePaths[z])) groups.zones.removeLayer(zonePaths[z]);
      });
      step.zones.forEach(function (z) {
        var p = zonePath(z);
        if (!groups.zones.hasLayer(p)) groups.zones.addLayer(p);
      });
      drawLabels(step);
      drawEventPlace(ctx.state.eventOf(st.k));
      declutter();
      unitPaths.forEach(function (p) {  // open popups and tooltips follow the step
        if (p.isPopupOpen()) p.getPopup().update();
        if (p.isTooltipOpen()) p.getTooltip().update();
      });
      Object.keys(zonePaths).forEach(function (z) {
        if (zonePaths[z].isPopupOpen() && !want[z]) zonePaths[z].closePopup();
      });
    }
    return { update: update };
  };
})(window.MapperAtlas = window.MapperAtlas || {});
