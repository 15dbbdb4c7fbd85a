/* mapper atlas engine, layers.js: the map's layers and how a step restyles them.
 *
 * Sea, modern countries, units, claims (a hatch and dashed outline in the claimant's colour over the
 * holder's fill), zones, places, the event's place and the change labels. Every
 * geometry is drawn once; a step (update) only restyles the unit paths that changed, swaps the
 * zones in force and rewrites the change labels. Paths carry data-unit / data-holder, data-zone /
 * data-kind and data-place attributes.
 */
(function (M) {
  "use strict";
  M.createLayers = function (ctx) {
    var U = M.util, D = ctx.D, S = D.style, map = ctx.map, groups = ctx.groups, P = ctx.popups;
    var unitPaths = [], zonePaths = {}, placeMarkers = [], capitalTips = [], PAPER_DASH = "5 4";
    // a permanent place name right of its dot, centred on it by the style sheet (.place-label: a 16 px line,
    // margin-top -8 px): Leaflet's tooltip measures its box to centre it, a forced layout per name and per step
    var PlaceTip = L.Tooltip.extend({ _setPosition: function (pos) {  // (written only when it moves: a view reset asks twice)
      var at = pos.add(L.point(this.options.offset[0], 0));
      if (this._at && this._at.equals(at) && this._atIn === this._container) return;
      L.DomUtil.addClass(this._container, "leaflet-tooltip-right");
      L.DomUtil.setPosition(this._container, at);
      this._at = at;
      this._atIn = this._container;
    } });

    var LabelMarker = L.Marker.extend({ _setPos: function (pos) {  // a change label's marker: written only when it moves
      if (this._at && this._at.equals(pos) && this._atIn === this._icon) return;  // (a view reset asks twice)
      this._at = pos;
      this._atIn = this._icon;
      L.Marker.prototype._setPos.call(this, pos);
    } });

    map.createPane("land").style.zIndex = 150;     // under the (optional) web tiles at 200
    // the shapes are drawn once and only moved and scaled after (fixedsvg.js): the land in its own pane under
    // the web tiles, everything else in one SVG frame over them, a group each for units, claims, zones and places
    var R = { land: M.fixedSvg({ pane: "land" }), shapes: M.fixedSvg({ groups: ["units", "claims", "zones", "places"] }) };

    if (D.sea.length) {  // the seas inside the frame of the land layer; outside it the map is blank
      L.polygon(M.topology.decode(D.sea), {
        pane: "land", renderer: R.land, interactive: false, className: "sea", stroke: false, fillColor: S.sea, fillOpacity: 1
      }).addTo(groups.land);
    }
    D.countries.forEach(function (c) {
      L.polygon(M.topology.decode(c.geometry), {
        pane: "land", renderer: R.land, interactive: false, className: "land", color: S.land_edge, weight: 0.8,
        fillColor: S.land, fillOpacity: 1
      }).addTo(groups.land);
    });

    map.on("popupopen", function (ev) {  // popups sized to the map, clear of its controls
      var o = ev.popup.options, size = map.getSize();
      if (!o.widest) o.widest = o.maxWidth;
      o.maxWidth = Math.max(160, Math.min(o.widest, size.x - 80));
      o.minWidth = Math.min(o.minWidth || 50, o.maxWidth);
      o.maxHeight = Math.max(140, size.y - 110);
      o.autoPanPaddingTopLeft = L.point(56, 60);
      o.autoPanPaddingBottomRight = L.point(56, 30);
      ev.popup.update();
    });
    function changedBounds(k) {  // what changed at step k: its units, labels and zones begun (or null)
      var b = null, step = D.steps[k];
      function add(x) { if (x && x.isValid()) { if (b) b.extend(x); else b = L.latLngBounds(x.getSouthWest(), x.getNorthEast()); } }
      step.changes.concat(step.claim_changes).forEach(function (c) { add(unitPaths[ctx.state.unitIndex[c.unit]].getBounds()); });
      step.zones_begun.forEach(function (z) { add(zonePath(z).getBounds()); });
      step.labels.forEach(function (lab) { add(L.latLngBounds([lab.lat, lab.lon], [lab.lat, lab.lon])); });
      return b;
    }
    function unitStyle(st, i) {
      var ch = st.changed[i], paper = !ch && st.paper[i];
      return {
        fillColor: S.holder_fills[st.holder[i]] || S.holders[st.holder[i]], fillOpacity: S.fill_opacity,
        color: ch || paper ? S.changed : S.unit_edge, weight: ch ? 3 : paper ? 2 : 0.8, opacity: 1,
        dashArray: paper ? PAPER_DASH : null
      };
    }
    function restyle(p, path, s) {  // a unit's new style: only the attributes that change (Leaflet's setStyle writes ten)
      var o = p.options;
      if (path) {
        if (o.fillColor !== s.fillColor) { path.setAttribute("fill", s.fillColor); p._renderer.hatch(s.fillColor); }
        if (o.color !== s.color) path.setAttribute("stroke", s.color);
        if (o.weight !== s.weight) path.setAttribute("stroke-width", s.weight);
        if (o.dashArray !== s.dashArray) {
          if (s.dashArray) path.setAttribute("stroke-dasharray", s.dashArray); else path.removeAttribute("stroke-dasharray");
        }
      }
      L.setOptions(p, s);
    }
    var opened = [];  // the units whose popup or tooltip is open (a step updates them)
    D.units.forEach(function (u, i) {
      var p = L.polygon(M.topology.decode(u.geometry), { renderer: R.shapes, group: "units", className: "unit", color: S.unit_edge, weight: 0.8, fillOpacity: S.fill_opacity });
      p.bindTooltip(function () { return P.unitTip(i); }, { sticky: true, direction: "top", className: "atlas-tip" });
      p.bindPopup(function () { return P.unitPopup(i); }, { maxWidth: 340, className: "atlas-popup" });
      p.on("popupopen tooltipopen", function () { if (opened.indexOf(p) < 0) opened.push(p); });
      p.on("popupclose tooltipclose", function () {
        if (!p.isPopupOpen() && !p.isTooltipOpen() && opened.indexOf(p) >= 0) opened.splice(opened.indexOf(p), 1);
      });
      p.on("add", function () {
        var path = p.getElement();
        path.setAttribute("data-unit", u.id);
        if (ctx.cur) { path.setAttribute("data-holder", ctx.cur.holder[i]); path.classList.toggle("changed", !!ctx.cur.changed[i]); }
      });
      p.addTo(groups.units);
      unitPaths.push(p);
    });

    var claimPaths = {};  // "unit claimant" -> its outline, made once and shown while the claim is in force
    function claimPath(u, h) {
      var cs = S.claims[h], p = L.polygon(M.topology.decode(u.geometry), {
        renderer: R.shapes, group: "claims", interactive: false, className: "claim", color: cs.color, weight: 1.8, opacity: 0.95,
        dashArray: cs.dash, fillColor: "url(#" + cs.pattern + ")", fillOpacity: 1
      });
      p.once("add", function () {  // (its element is kept while it is off the map: fixedsvg.js)
        p.getElement().setAttribute("data-claim", u.id);
        p.getElement().setAttribute("data-claimant", h);
      });
      return p;
    }
    var claimLists = [], claimsShown = [];  // each step's outlines (made once), and those on the map
    function claimsOf(k) {  // step k's claim outlines: one per unit and claimant in force
      return claimLists[k] || (claimLists[k] = D.units.reduce(function (list, u) {
        (D.steps[k].claims[u.id] || []).forEach(function (h) {
          var key = u.id + " " + h;
          list.push(claimPaths[key] || (claimPaths[key] = claimPath(u, h)));
        });
        return list;
      }, []));
    }
    function drawClaims(k) {  // not interactive (the unit's popup names them)
      var want = claimsOf(k);
      claimsShown.forEach(function (p) { if (want.indexOf(p) < 0) groups.claims.removeLayer(p); });
      want.forEach(function (p) { if (!groups.claims.hasLayer(p)) groups.claims.addLayer(p); });
      claimsShown = want;
    }

    function zonePath(id) {
      if (!zonePaths[id]) {
        var r = ctx.state.zoneById[id], zs = S.zones[r.kind];
        var p = L.polygon(M.topology.decode(r.geometry), {
          renderer: R.shapes, group: "zones", className: "zone", color: zs.color, weight: 2.2, opacity: 0.95, dashArray: zs.dash,
          fillColor: "url(#" + zs.pattern + ")", fillOpacity: 1
        });
        p.bindTooltip(function () { return P.zoneTip(r); }, { sticky: true, className: "atlas-tip" });
        p.bindPopup(function () { return P.zonePopup(r); }, { maxWidth: 340, className: "atlas-popup" });
        p.once("add", function () {  // (its element is kept while it is off the map)
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
        renderer: R.shapes, group: "places", className: "place", radius: 3.4, color: S.place, weight: 1.3, fillColor: "#ffffff", fillOpacity: 1
      });
      if (r.capital_label) m.bindTooltip(new PlaceTip({ permanent: true, direction: "right", offset: [5, 0], className: "place-label" }, m)
        .setContent(U.el("span", null, r.name)));
      else m.bindTooltip(U.el("span", null, r.name), { direction: "right", offset: [5, 0], className: "atlas-tip" });
      m.bindPopup(function () { return P.placePopup(r); }, { maxWidth: 300, className: "atlas-popup" });
      m.on("add", function () { m.getElement().setAttribute("data-place", r.id); });
      m.addTo(groups.places);
      placeMarkers.push(m);
      if (r.capital_label) capitalTips.push(m);
    });
    var focusMarker = L.circleMarker([0, 0], {
      renderer: R.shapes, group: "places", interactive: false, className: "event-place", radius: 8, color: S.changed, weight: 2.5, fill: false
    });
    focusMarker.bindTooltip(new PlaceTip({ permanent: true, direction: "right", offset: [6, 0], className: "place-label event-place-label" },
      focusMarker).setContent(""));

    // ------------------------------------------------------------------------------ labels
    var labelBoxes = [], placement = M.createPlacement(ctx);
    function leaderTo(off, r) {  // a change label's leader line, from its anchor to the label moved by off (this: the item)
      var dx = off[0], dy = off[1];
      if (this.above) dy -= (r.bottom - r.top) / 2;
      var len = Math.sqrt(dx * dx + dy * dy);
      this.lead = len > 8 ? [len, Math.atan2(dy, dx)] : null;
    }
    function layout(steady) {  // place change labels, the event's place and the capitals' names without collisions
      // (steady: called by a step, which cannot have moved the map's controls: placement.js measures only the legend)
      var items = labelBoxes.map(function (box, n) {
        return { el: box, kind: "box", at: labelAt[n], above: box.classList.contains("above"), moved: leaderTo, lead: null };
      });
      if (map.hasLayer(groups.places)) {
        if (groups.places.hasLayer(focusMarker) && focusShown) {
          items.push({ el: focusMarker.getTooltip().getElement(), kind: "tip", at: focusMarker.getLatLng(), focus: true });
        }
        capitalTips.forEach(function (m) {
          var te = m.getTooltip() && m.getTooltip().getElement();
          if (te && !te.classList.contains("hidden-by-focus")) items.push({ el: te, kind: "tip", at: m.getLatLng() });
        });
      }
      var size = map.getSize(), lg = map.getContainer().querySelector(".atlas-legend");
      ctx.sizeClasses();
      if (lg) ctx.legendSize = [lg.offsetWidth, lg.offsetHeight];  // read with the labels' boxes: no extra layout
      items.forEach(function (it) {  // a label whose anchor is out of view has nothing to point at
        var p = it.p = map.latLngToContainerPoint(it.at);  // (placement reads it too)
        it.away = p.x < 0 || p.y < 0 || p.x > size.x || p.y > size.y;
      });
      var soft = [];  // change labels keep off the land that changed when they can (with a leader line to it):
      var o = map.getPixelOrigin().subtract(map._getMapPanePos());  // its box in the map from its bounds, unrounded
      function at(ll) { return map.project(ll).subtract(o); }  // (as drawn: no SVG measured)
      if (ctx.cur) unitPaths.forEach(function (p, i) {
        if (!ctx.cur.changed[i] || !p._map) return;
        var b = p.getBounds(), a = at(b.getNorthWest()), z = at(b.getSouthEast());
        soft.push({ left: a.x, right: z.x, top: a.y, bottom: z.y });
      });
      placement.place(items, soft, steady);
      labelBoxes.forEach(function (box, n) {  // each leader line shown, turned and stretched, or hidden: only what changes
        var el = box._leader, l = items[n].lead, st = el.style, was = el._lead || "";
        var now = l ? l[0] + "px rotate(" + l[1] + "rad)" : "";
        if (now === was) return;
        el._lead = now;
        st.display = l ? "block" : "none";
        if (l) { st.width = l[0] + "px"; st.transform = "rotate(" + l[1] + "rad)"; }
      });
    }
    map.on("zoomend", function () { if (!ctx.busy) layout(); });
    ctx.layoutLabels = layout;

    var labelAt = [], focusShown = false, pool = [], boxes = [];  // pool: a marker per change label shown so far, moved and refilled
    function labelsOf(k) {  // step k's change labels, made once (ahead of the step, in idle time)
      return boxes[k] || (boxes[k] = D.steps[k].labels.map(function (lab) {
        var box = U.el("div", "change-label-box" + (lab.above ? " above" : ""));
        U.add(box, "div", "verb", lab.title).setAttribute("data-holder", lab.holder);
        U.add(box, "div", "what", lab.detail);
        return box;
      }));
    }
    function slot(n, at) {  // the n-th marker for change labels (made when first needed, empty, at at)
      if (!pool[n]) {
        var holder = U.el("div");
        U.add(holder, "div", "change-leader");
        pool[n] = { holder: holder, box: null, marker: new LabelMarker(at, {
          icon: L.divIcon({ className: "change-label", html: holder, iconSize: null }), interactive: false, keyboard: false
        }).addTo(groups.labels) };
      }
      return pool[n];
    }
    function prepare(k) {  // step k's change labels (and markers enough for them), zones and claims made ahead, their outlines too
      var step = D.steps[k];
      labelsOf(k);
      step.labels.forEach(function (lab, n) { slot(n, [lab.lat, lab.lon]); });
      step.zones.forEach(function (z) { M.fixedSvg.outline(zonePath(z), map); });
      claimsOf(k).forEach(function (p) { M.fixedSvg.outline(p, map); });
    }
    function drawLabels(step, k) {
      labelBoxes = labelsOf(k).slice();
      labelAt = step.labels.map(function (lab) { return L.latLng(lab.lat, lab.lon); });
      labelBoxes.forEach(function (box, n) {
        var s = slot(n, labelAt[n]);
        if (!s.marker.getLatLng().equals(labelAt[n])) s.marker.setLatLng(labelAt[n]);
        if (s.box !== box) {
          if (s.box) s.holder.replaceChild(box, s.box); else s.holder.appendChild(box);
        }
        s.box = box;
        box._leader = s.holder.firstChild;
      });
      pool.slice(step.labels.length).forEach(function (s) {  // a marker left empty until a step has that many labels
        if (s.box) s.holder.removeChild(s.box);
        s.box = null;
        if (s.holder.firstChild._lead) s.holder.firstChild.style.display = "none";  // (its leader line too)
        s.holder.firstChild._lead = "";
      });
    }
    var shownPlace = null, marked = -1, focusTexts = {};  // [place index, event kind] shown by the focus marker (a tooltip update measures the page)
    function drawEventPlace(e) {
      var pi = e.place_id ? ctx.state.placeIndex[e.place_id] : -1;
      if (shownPlace && shownPlace[0] === pi && (pi < 0 || shownPlace[1] === !!e.signed)) return;
      shownPlace = [pi, !!e.signed];
      if (pi >= 0) {
        var r = D.places[pi], key = pi + (shownPlace[1] ? " signedHere" : " placeOfEvent"), fl = focusTexts[key];
        if (!fl) {  // (made once for each place and kind)
          fl = focusTexts[key] = U.el("span", null, r.name);
          U.add(fl, "span", "sub", U.t("partSep") + U.t(shownPlace[1] ? "signedHere" : "placeOfEvent"));
        }
        focusMarker.setLatLng([r.lat, r.lon]);
        focusMarker.setTooltipContent(fl);
        if (!groups.places.hasLayer(focusMarker)) groups.places.addLayer(focusMarker);
      }
      focusShown = pi >= 0;  // the marker stays in its group (a removed permanent tooltip may linger): shown or not
      var fe = focusMarker.getElement();  // (its one attribute that changes: Leaflet's setStyle writes ten)
      focusMarker.options.opacity = focusShown ? 1 : 0;
      if (fe) fe.setAttribute("stroke-opacity", focusMarker.options.opacity);
      var ft = focusMarker.getTooltip().getElement();
      if (ft) ft.classList.toggle("off", !focusShown);
      [marked, pi].forEach(function (i) {  // the place marked before and the event's own: no other changes
        var m = placeMarkers[i], pe = m && m.getElement(), te = m && m.getTooltip() && m.getTooltip().getElement();
        if (pe) pe.classList.toggle("event-place", i === pi);
        if (te) te.classList.toggle("hidden-by-focus", i === pi);
      });
      marked = pi;
    }

    var zonesShown = [];  // the zones on the map (the ids of the step shown)
    function update(prev, st) {  // restyle for state st (prev: the state shown before, or null); show() lays out after
      var step = D.steps[st.k], front = [];
      for (var i = 0; i < D.units.length; i++) {
        var other = !prev || prev.holder[i] !== st.holder[i], toggled = !prev || !prev.changed[i] !== !st.changed[i];
        if (other || toggled || prev.changed[i] !== st.changed[i] || prev.paper[i] !== st.paper[i]) {
          var p = unitPaths[i], path = p.getElement();
          restyle(p, path, unitStyle(st, i));
          if (path && other) path.setAttribute("data-holder", st.holder[i]);
          if (path && toggled) path.classList.toggle("changed", !!st.changed[i]);
        }
        if (st.changed[i]) front.push(unitPaths[i]);
      }
      front.forEach(function (p) {  // moving a path in the DOM loses its hover: close its tooltip with it
        if (p.isTooltipOpen()) p.closeTooltip();
        p.bringToFront();
      });
      zonesShown.forEach(function (z) { if (step.zones.indexOf(z) < 0) groups.zones.removeLayer(zonePaths[z]); });
      step.zones.forEach(function (z) {
        var p = zonePath(z);
        if (!groups.zones.hasLayer(p)) groups.zones.addLayer(p);
      });
      zonesShown = step.zones;
      drawClaims(st.k);
      drawLabels(step, st.k);
      drawEventPlace(ctx.state.eventOf(st.k));
      opened.forEach(function (p) {  // open popups and tooltips follow the step
        if (p.isPopupOpen()) p.getPopup().update();
        if (p.isTooltipOpen()) p.getTooltip().update();
      });
      Object.keys(zonePaths).forEach(function (z) {
        if (zonePaths[z].isPopupOpen() && step.zones.indexOf(z) < 0) zonePaths[z].closePopup();
      });
    }
    return { update: update, changedBounds: changedBounds, layout: layout, prepare: prepare };
  };
})(window.MapperAtlas = window.MapperAtlas || {});
