/* mapper: the atlas engine. Steps a Leaflet map through the events of the atlas.
 *
 * Every geometry is drawn once; a step only restyles the unit paths, swaps the zones in force
 * and rebuilds the panel. Text from the data is only ever set with textContent (never innerHTML).
 * Geometries come delta-encoded: per polygon, per ring, a flat list x0, y0, dx1, dy1, ... in
 * thousandths of a degree (lon, lat).
 */
function mapperAtlasInit(D, map, layers, opts) {
  "use strict";
  var HOLDERS = ["persia", "russia", "other"];
  var S = D.style;
  var embed = !!opts.embed;
  var nU = D.units.length, nS = D.steps.length;
  var compact = embed || map.getContainer().clientWidth < 640;  // a small map: short legend, folded layer list
  if (compact && layers.control && !layers.control.options.collapsed) {
    layers.control.options.collapsed = true;
    layers.control.remove();
    layers.control.addTo(map);
  }
  var cur = null;
  var unitPaths = [], zonePaths = {}, placeMarkers = [];
  var timer = null;

  // ---------------------------------------------------------------------------------- helpers
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function add(parent, tag, cls, text) { var e = el(tag, cls, text); parent.appendChild(e); return e; }
  function fmt(n) { return String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function safeUrl(u) { return typeof u === "string" && /^https?:\/\/[^\s]+$/i.test(u) ? u : null; }
  var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", DIGIT = {};
  for (var b = 0; b < 64; b++) DIGIT[B64.charCodeAt(b)] = b;
  function varints(s) {  // zigzag varints, 5 bits a character (see _varints in render_html.py)
    var out = [], z = 0, shift = 0;
    for (var i = 0; i < s.length; i++) {
      var c = DIGIT[s.charCodeAt(i)];
      z += (c & 31) * Math.pow(2, shift);
      if (c & 32) { shift += 5; continue; }
      out.push(z % 2 ? -(z + 1) / 2 : z / 2);
      z = 0; shift = 0;
    }
    return out;
  }
  function decode(g) {  // polygons -> rings -> delta-encoded thousandths of a degree, lon then lat
    return g.map(function (poly) {
      return poly.map(function (s) {
        var r = varints(s), out = [], x = 0, y = 0;
        for (var i = 0; i < r.length; i += 2) { x += r[i]; y += r[i + 1]; out.push([y / 1000, x / 1000]); }
        return out;
      });
    });
  }
  function names(parent, rec) {
    if (rec.fa) { var fa = add(parent, "p", "name-fa", rec.fa); fa.lang = "fa"; fa.dir = "rtl"; }
    if (rec.ru) { var ru = add(parent, "p", "name-ru", rec.ru); ru.lang = "ru"; }
  }
  function field(parent, label, text) {
    var p = add(parent, "p", "field");
    add(p, "strong", null, label + ": ");
    p.appendChild(document.createTextNode(text));
    return p;
  }
  function sourceList(parent, sources, heading) {
    if (!sources || !sources.length) return;
    if (heading) add(parent, "h3", null, heading);
    var ul = add(parent, "ul", "sources");
    sources.forEach(function (s) {
      var li = add(ul, "li"), title = typeof s === "string" ? s : s[0], url = typeof s === "string" ? null : safeUrl(s[1]);
      if (url) {
        var a = add(li, "a", null, title);
        a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
      } else {
        li.textContent = title;
      }
    });
  }
  function swatch(kind, spec) {
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "26"); svg.setAttribute("height", "16"); svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", "swatch");
    var shape;
    if (kind === "circle") {
      shape = document.createElementNS(ns, "circle");
      shape.setAttribute("cx", "13"); shape.setAttribute("cy", "8"); shape.setAttribute("r", spec.r || "4");
    } else if (kind === "line") {
      shape = document.createElementNS(ns, "line");
      shape.setAttribute("x1", "1"); shape.setAttribute("y1", "8"); shape.setAttribute("x2", "25"); shape.setAttribute("y2", "8");
    } else {
      shape = document.createElementNS(ns, "rect");
      shape.setAttribute("x", "1.5"); shape.setAttribute("y", "1.5"); shape.setAttribute("width", "23"); shape.setAttribute("height", "13");
    }
    shape.setAttribute("fill", spec.fill || "none");
    if (spec.fillOpacity) shape.setAttribute("fill-opacity", spec.fillOpacity);
    shape.setAttribute("stroke", spec.stroke || "none");
    shape.setAttribute("stroke-width", spec.width || "1");
    if (spec.dash) shape.setAttribute("stroke-dasharray", spec.dash);
    svg.appendChild(shape);
    return svg;
  }

  // ---------------------------------------------------------------------------------- state
  function compute(k) {
    var h = new Uint8Array(nU), since = new Int32Array(nU), other = new Array(nU), changed = new Uint8Array(nU);
    for (var i = 0; i < nU; i++) { h[i] = D.base[i][0]; other[i] = D.base[i][1]; since[i] = D.base[i][2]; }
    for (var s = 0; s <= k; s++) {
      var ev = D.steps[s].e;
      D.steps[s].ch.forEach(function (c) { h[c[0]] = c[1]; other[c[0]] = c[2]; since[c[0]] = ev; });
    }
    D.steps[k].ch.forEach(function (c) { changed[c[0]] = 1; });
    return { k: k, h: h, since: since, other: other, changed: changed };
  }
  function holderName(st, i) {
    var h = st.h[i];
    return h === 2 ? (st.other[i] || "Other") : D.steps[st.k].names[h];
  }
  function eventOf(k) { return D.events[D.steps[k].e]; }
  function stepOf(id) {
    for (var k = 0; k < nS; k++) if (eventOf(k).id === id) return k;
    return -1;
  }

  // ---------------------------------------------------------------------------------- layers
  map.createPane("land").style.zIndex = 150;     // under the (optional) web tiles at 200
  map.createPane("zones").style.zIndex = 420;
  map.createPane("places").style.zIndex = 450;

  if (D.sea.length) {  // the seas inside the frame of the land layer; outside it the map is blank
    L.polygon(decode(D.sea), {
      pane: "land", interactive: false, className: "sea", stroke: false, fillColor: S.sea, fillOpacity: 1
    }).addTo(layers.land);
  }
  D.countries.forEach(function (c) {
    L.polygon(decode(c.g), {
      pane: "land", interactive: false, className: "land", color: S.landEdge, weight: 0.8,
      fillColor: S.land, fillOpacity: 1
    }).addTo(layers.land);
  });

  function unitStyle(st, i) {
    var ch = st.changed[i];
    return {
      fillColor: S.holders[HOLDERS[st.h[i]]], fillOpacity: S.fillOpacity,
      color: ch ? S.changed : S.unitEdge, weight: ch ? 3 : 0.8, opacity: 1
    };
  }
  function unitTip(i) {
    var d = el("div"), u = D.units[i];
    add(d, "strong", null, u.name);
    d.appendChild(document.createTextNode(" \u2014 " + holderName(cur, i)));
    if (cur.changed[i]) add(d, "div", "tip-changed", "Changed hands at this step");
    return d;
  }
  function unitPopup(i) {
    var u = D.units[i], st = cur, d = el("div", "atlas-popup-body");
    d.setAttribute("data-unit", u.id);
    add(d, "h3", "popup-title", u.name);
    names(d, u);
    var ev = eventOf(st.k), since = st.since[i];
    var held = field(d, "Held on " + ev.date, holderName(st, i) + " (" + S.holderLabels[HOLDERS[st.h[i]]] + ")");
    held.classList.add("holder");
    if (since >= 0) {
      field(d, "Since", D.events[since].title + " (" + D.events[since].date + ")");
    } else {
      field(d, "Since", "before the first event (the atlas's starting map)");
    }
    var steps = D.steps[st.k].ch.filter(function (c) { return c[0] === i; });
    steps.forEach(function (c) {
      var p = field(d, "At this step", c[3] + " \u2192 " + c[2] + " (" + fmt(c[4]) + " km\u00b2" +
        (c[5] !== "high" ? ", certainty " + c[5] : "") + ")");
      p.classList.add("changed");
      if (c[6]) add(d, "p", "note", c[6]);
    });
    field(d, "Area", fmt(u.km2) + " km\u00b2");
    var here = D.steps[st.k].z.filter(function (z) { return D.zones[z].units.indexOf(i) >= 0; });
    if (here.length) field(d, "Zones in force here", here.map(function (z) { return D.zones[z].name; }).join("; "));
    field(d, "Boundary", u.der).classList.add("derivation");
    sourceList(d, u.src, "Sources");
    return d;
  }

  D.units.forEach(function (u, i) {
    var p = L.polygon(decode(u.g), { className: "unit", color: S.unitEdge, weight: 0.8, fillOpacity: S.fillOpacity });
    p.bindTooltip(function () { return unitTip(i); }, { sticky: true, direction: "top", className: "atlas-tip" });
    p.bindPopup(function () { return unitPopup(i); }, { maxWidth: 340, className: "atlas-popup" });
    p.on("add", function () {
      var path = p.getElement();
      path.setAttribute("data-unit", u.id);
      if (cur) { path.setAttribute("data-holder", HOLDERS[cur.h[i]]); path.classList.toggle("changed", !!cur.changed[i]); }
    });
    p.addTo(layers.units);
    unitPaths.push(p);
  });

  function zoneTip(z) {
    var d = el("div"), r = D.zones[z];
    add(d, "strong", null, r.name);
    add(d, "div", "tip-kind", S.zones[r.kind].label + " (not a change of sovereignty)");
    return d;
  }
  function zonePopup(z) {
    var r = D.zones[z], d = el("div", "atlas-popup-body");
    d.setAttribute("data-zone", r.id);
    add(d, "h3", "popup-title", r.name);
    names(d, r);
    field(d, "Kind", S.zones[r.kind].label + ": an overlay, not a change of sovereignty").classList.add("kind");
    if (r.per) field(d, "In force", r.per);
    field(d, "Boundary", r.der).classList.add("derivation");
    sourceList(d, r.src, "Sources");
    return d;
  }
  function zonePath(z) {
    if (!zonePaths[z]) {
      var r = D.zones[z], zs = S.zones[r.kind];
      var p = L.polygon(decode(r.g), {
        pane: "zones", className: "zone", color: zs.color, weight: 2.2, opacity: 0.95, dashArray: zs.dash,
        fillColor: "url(#" + zs.pattern + ")", fillOpacity: 1
      });
      p.bindTooltip(function () { return zoneTip(z); }, { sticky: true, className: "atlas-tip" });
      p.bindPopup(function () { return zonePopup(z); }, { maxWidth: 340, className: "atlas-popup" });
      p.on("add", function () {
        var path = p.getElement();
        path.setAttribute("data-zone", r.id);
        path.setAttribute("data-kind", r.kind);
      });
      zonePaths[z] = p;
    }
    return zonePaths[z];
  }

  function placePopup(i) {
    var r = D.places[i], d = el("div", "atlas-popup-body");
    d.setAttribute("data-place", r.id);
    add(d, "h3", "popup-title", r.name);
    names(d, r);
    if (r.roles.length) {
      var ul = add(d, "ul", "roles");
      r.roles.forEach(function (role) {
        var li = add(ul, "li", null, role[0]);
        if (role[1]) add(li, "span", "role-note", " \u2014 " + role[1]);
      });
    }
    if (r.note) add(d, "p", "note", r.note);
    sourceList(d, r.src, "Sources");
    return d;
  }
  D.places.forEach(function (r, i) {
    var m = L.circleMarker(r.ll, {
      pane: "places", className: "place", radius: 3.4, color: S.place, weight: 1.3,
      fillColor: "#ffffff", fillOpacity: 1
    });
    m.bindTooltip(el("span", null, r.name), {
      permanent: !!r.label, direction: "right", offset: [5, 0],
      className: r.label ? "place-label" : "atlas-tip"
    });
    m.bindPopup(function () { return placePopup(i); }, { maxWidth: 300, className: "atlas-popup" });
    m.on("add", function () { m.getElement().setAttribute("data-place", r.id); });
    m.addTo(layers.places);
    placeMarkers.push(m);
  });
  var focusMarker = L.circleMarker([0, 0], {
    pane: "places", interactive: false, className: "event-place", radius: 8, color: S.changed, weight: 2.5,
    fill: false
  });
  focusMarker.bindTooltip("", { permanent: true, direction: "auto", offset: [0, 0], className: "place-label event-place-label" });

  // ---------------------------------------------------------------------------------- labels
  var labelBoxes = [];
  function declutter() {  // move change labels apart vertically where they overlap (and off the event's place)
    var placed = [];
    var ft = layers.places.hasLayer(focusMarker) && map.hasLayer(layers.places) && focusMarker.getTooltip().getElement();
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

  // ---------------------------------------------------------------------------------- legend
  var legend = L.control({ position: "bottomleft" });
  var legendBox = null;
  legend.onAdd = function () {
    legendBox = el("div", "atlas-legend leaflet-control");
    legendBox.setAttribute("role", "group");
    legendBox.setAttribute("aria-label", "Legend");
    L.DomEvent.disableClickPropagation(legendBox);
    L.DomEvent.disableScrollPropagation(legendBox);
    return legendBox;
  };
  legend.addTo(map);

  function legendRow(parent, sw, text, cls) {
    var row = add(parent, "div", "legend-row" + (cls ? " " + cls : ""));
    row.appendChild(sw);
    add(row, "span", null, text);
    return row;
  }
  function drawLegend() {
    if (!legendBox || !cur) return;
    legendBox.textContent = "";
    var st = cur, step = D.steps[st.k];
    add(legendBox, "div", "legend-head", "Held by");
    [0, 1, 2].forEach(function (h) {
      var present = false;
      for (var i = 0; i < nU && !present; i++) present = st.h[i] === h;
      if (!present) return;
      var text = h === 2 ? S.holderLabels.other : step.names[h];
      legendRow(legendBox, swatch("rect", { fill: S.holders[HOLDERS[h]], fillOpacity: S.fillOpacity, stroke: S.unitEdge }),
        text, "holder-" + HOLDERS[h]);
    });
    if (step.ch.length) {
      legendRow(legendBox, swatch("rect", { fill: "none", stroke: S.changed, width: "2.5" }), "Changed hands at this step", "changed");
    }
    if (step.z.length && map.hasLayer(layers.zones)) {
      add(legendBox, "div", "legend-head", "Zones (not sovereignty)");
      step.z.forEach(function (z) {
        var zs = S.zones[D.zones[z].kind];
        legendRow(legendBox, swatch("rect", { fill: "url(#" + zs.pattern + ")", stroke: zs.color, width: "1.6", dash: zs.dash }),
          D.zones[z].name, "zone");
      });
    }
    if (compact) return;  // a small map keeps its legend short
    if (map.hasLayer(layers.places)) {
      add(legendBox, "div", "legend-head", "Places");
      legendRow(legendBox, swatch("circle", { fill: "#ffffff", stroke: S.place, width: "1.3", r: "3.4" }),
        "City, capital, embassy, consulate", "place");
      var pi = eventOf(st.k).placeIdx;
      if (pi >= 0 && map.getBounds().contains(D.places[pi].ll)) {
        legendRow(legendBox, swatch("circle", { fill: "none", stroke: S.changed, width: "2", r: "5.5" }), "Place of this event", "place");
      }
    }
    if (map.hasLayer(layers.land)) {
      legendRow(legendBox, swatch("line", { stroke: S.landEdge, width: "1.2" }), "Modern borders, for orientation", "land");
    }
  }
  map.on("overlayadd overlayremove", function () { if (cur) drawLegend(); });

  // ---------------------------------------------------------------------------------- embed title
  if (embed) {
    map.getContainer().setAttribute("aria-label", "Map: " + eventOf(0).title + ", " + eventOf(0).date);
    var title = L.control({ position: "topright" });
    title.onAdd = function () {
      var box = el("div", "atlas-title leaflet-control"), e = eventOf(0), s = D.steps[0];
      add(box, "div", "title", e.title);
      add(box, "div", "date", e.date + (e.os ? " (O.S. " + e.os + ")" : ""));
      if (s.moved) add(box, "div", "moved", fmt(s.moved) + " km\u00b2 changed hands");
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    title.addTo(map);
  }

  // ---------------------------------------------------------------------------------- panel
  var panel = document.getElementById("atlas-panel-body");
  function drawPanel() {
    if (!panel) return;
    var k = cur.k, e = eventOf(k), step = D.steps[k];
    panel.textContent = "";
    add(panel, "p", "counter", "Step " + (k + 1) + " of " + nS + " \u00b7 " + e.kind);
    var h = add(panel, "h2", "event-title", e.title);
    h.id = "atlas-event-title";
    add(panel, "p", "date", e.date);
    if (e.os) add(panel, "p", "date-os", "Old Style (Julian): " + e.os);
    if (e.cert !== "exact") add(panel, "p", "date-certainty", "Date " + e.cert + ".");
    if (e.note) add(panel, "p", "date-note", e.note);
    if (e.place) field(panel, "Place", e.place).classList.add("place");
    if (e.parties.length) {
      add(panel, "h3", null, "Parties");
      var ul = add(panel, "ul", "parties");
      e.parties.forEach(function (p) { add(ul, "li", null, p); });
    }
    add(panel, "p", "summary", e.summary);

    var t = add(panel, "section", "territory");
    add(t, "h3", null, "Territory");
    if (step.ch.length) {
      add(t, "p", "moved", "Changed hands at this step: " + fmt(step.moved) + " km\u00b2 (" + step.ch.length +
        (step.ch.length === 1 ? " unit" : " units") + ")");
      var cl = add(t, "ul", "changes");
      step.ch.forEach(function (c) {
        var li = add(cl, "li");
        li.setAttribute("data-unit", D.units[c[0]].id);
        add(li, "strong", null, D.units[c[0]].name);
        li.appendChild(document.createTextNode(": " + c[3] + " \u2192 " + c[2] + ", " + fmt(c[4]) + " km\u00b2" +
          (c[5] !== "high" ? " (certainty " + c[5] + ")" : "")));
        if (c[6]) add(li, "div", "note", c[6]);
      });
    } else {
      add(t, "p", "moved", "No land changed hands at this step.");
    }
    var lost = add(t, "p", "lost");
    if (step.lost > 0) lost.textContent = "Persia lost to Russia at this step: " + fmt(step.lost) + " km\u00b2";
    else if (step.lost < 0) lost.textContent = "Persia regained from Russia at this step: " + fmt(step.lost) + " km\u00b2";
    else lost.textContent = "Persia lost to Russia at this step: 0 km\u00b2";
    add(t, "p", "total", (step.total >= 0 ? "Running total Persia lost to Russia: " : "Running total Persia gained from Russia: ") +
      fmt(step.total) + " km\u00b2");

    if (step.zb.length || step.ze.length || step.z.length) {
      var zs = add(panel, "section", "zones");
      add(zs, "h3", null, "Zones (spheres, occupations, republics)");
      function zlist(label, list, cls) {
        if (!list.length) return;
        field(zs, label, list.map(function (z) { return D.zones[z].name; }).join("; ")).classList.add(cls);
      }
      zlist("Begin", step.zb, "zones-begun");
      zlist("End", step.ze, "zones-ended");
      zlist("In force", step.z, "zones-in-force");
    }
    var src = add(panel, "section", "event-sources");
    sourceList(src, e.sources, "Sources");
  }

  // ---------------------------------------------------------------------------------- timeline
  var range = document.getElementById("atlas-range");
  var ticks = document.getElementById("atlas-ticks");
  var live = document.getElementById("atlas-live");
  var playBtn = document.getElementById("atlas-play");
  var tickEls = [];
  function valueText(k) { return eventOf(k).year + " \u2014 " + eventOf(k).title; }
  if (ticks) {
    for (var k = 0; k < nS; k++) {
      var b = el("button", "tick");
      b.type = "button"; b.tabIndex = -1;
      b.setAttribute("aria-label", valueText(k));
      b.title = valueText(k);
      b.style.left = "calc(9px + (100% - 18px) * " + (nS > 1 ? k / (nS - 1) : 0) + ")";
      add(b, "span", "tick-mark");
      add(b, "span", "tick-label", eventOf(k).year);
      b.setAttribute("data-event", eventOf(k).id);
      (function (kk) { b.addEventListener("click", function () { pause(); show(kk, "tick"); }); })(k);
      ticks.appendChild(b);
      tickEls.push(b);
    }
  }
  function layoutTicks() {  // show a year label only where it has room and differs from the last
    if (!ticks) return;
    var w = ticks.getBoundingClientRect().width, last = -1e9, lastYear = null;
    tickEls.forEach(function (b, k) {
      var x = 9 + (w - 18) * (nS > 1 ? k / (nS - 1) : 0), y = eventOf(k).year;
      var showIt = y !== lastYear && x - last >= 34;
      b.classList.toggle("labelled", showIt);
      if (showIt) { last = x; lastYear = y; }
    });
  }
  if (range) {
    range.max = String(nS - 1);
    range.addEventListener("input", function () { pause(); show(+range.value, "range"); });
  }
  window.addEventListener("resize", layoutTicks);

  function setPlaying(on) {
    if (!playBtn) return;
    playBtn.setAttribute("aria-pressed", on ? "true" : "false");
    playBtn.setAttribute("aria-label", on ? "Pause" : "Play");
    playBtn.title = on ? "Pause" : "Play (a step every 2 seconds)";
    playBtn.classList.toggle("playing", on);
    playBtn.textContent = on ? "\u275a\u275a" : "\u25b6\ufe0e";
  }
  function play() {
    if (timer) return;
    if (cur.k >= nS - 1) show(0, "play");
    timer = setInterval(function () {
      if (cur.k < nS - 1) show(cur.k + 1, "play");
      if (cur.k >= nS - 1) pause();
    }, opts.interval || 2000);
    setPlaying(true);
  }
  function pause() {
    if (timer) { clearInterval(timer); timer = null; }
    setPlaying(false);
  }
  function bind(id, fn) {
    var b = document.getElementById(id);
    if (b) b.addEventListener("click", fn);
  }
  bind("atlas-prev", function () { pause(); api.prev(); });
  bind("atlas-next", function () { pause(); api.next(); });
  bind("atlas-play", function () { if (timer) pause(); else play(); });

  function onKey(ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return false;
    switch (ev.key) {
      case "ArrowRight": pause(); api.next(); return true;
      case "ArrowLeft": pause(); api.prev(); return true;
      case "Home": pause(); show(0, "key"); return true;
      case "End": pause(); show(nS - 1, "key"); return true;
    }
    return false;
  }
  var container = map.getContainer();
  container.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { map.closePopup(); return; }
    if (ev.target !== container) return;  // not while a control or popup inside the map has focus
    var done = onKey(ev);
    if (!done) {
      switch (ev.key) {
        case "+": case "=": map.zoomIn(); done = true; break;
        case "-": case "_": map.zoomOut(); done = true; break;
        case "ArrowUp": map.panBy([0, -100]); done = true; break;
        case "ArrowDown": map.panBy([0, 100]); done = true; break;
      }
    }
    if (done) ev.preventDefault();
  });
  var timeline = document.getElementById("atlas-timeline");
  if (timeline) {
    timeline.addEventListener("keydown", function (ev) {
      if (ev.target === range) return;  // the range input steps by itself (input event)
      if (onKey(ev)) ev.preventDefault();
    });
  }

  // ---------------------------------------------------------------------------------- show a step
  function show(k, why) {
    k = Math.max(0, Math.min(nS - 1, k));
    var prev = cur, st = compute(k), step = D.steps[k], i;
    cur = st;
    var front = [];
    for (i = 0; i < nU; i++) {
      if (!prev || prev.h[i] !== st.h[i] || prev.changed[i] !== st.changed[i]) {
        var p = unitPaths[i];
        p.setStyle(unitStyle(st, i));
        var path = p.getElement();
        if (path) {
          path.setAttribute("data-holder", HOLDERS[st.h[i]]);
          path.classList.toggle("changed", !!st.changed[i]);
        }
      }
      if (st.changed[i]) front.push(unitPaths[i]);
    }
    front.forEach(function (p) {  // moving a path in the DOM loses its hover: close its tooltip with it
      if (p.isTooltipOpen()) p.closeTooltip();
      p.bringToFront();
    });
    // zones in force
    var want = {};
    step.z.forEach(function (z) { want[z] = true; });
    Object.keys(zonePaths).forEach(function (z) {
      if (!want[z] && layers.zones.hasLayer(zonePaths[z])) layers.zones.removeLayer(zonePaths[z]);
    });
    step.z.forEach(function (z) {
      var p = zonePath(z);
      if (!layers.zones.hasLayer(p)) layers.zones.addLayer(p);
    });
    // labels for what changed
    layers.labels.clearLayers();
    labelBoxes = [];
    step.labels.forEach(function (lab) {
      var box = el("div", "change-label-box" + (lab.up ? " above" : "")), line = add(box, "div", "verb", lab.t);
      labelBoxes.push(box);
      line.setAttribute("data-holder", HOLDERS[lab.h]);
      add(box, "div", "what", lab.s);
      var holder = el("div");
      add(holder, "div", "change-leader");
      holder.appendChild(box);
      L.marker(lab.at, {
        icon: L.divIcon({ className: "change-label", html: holder, iconSize: null }),
        interactive: false, keyboard: false
      }).addTo(layers.labels);
    });
    // the event's place
    var e = eventOf(k);
    if (e.placeIdx >= 0) {
      var fl = el("span", null, D.places[e.placeIdx].name);
      add(fl, "span", "sub", e.kind === "treaty" ? " \u00b7 signed here" : " \u00b7 place of this event");
      focusMarker.setLatLng(D.places[e.placeIdx].ll);
      focusMarker.setTooltipContent(fl);
      if (!layers.places.hasLayer(focusMarker)) layers.places.addLayer(focusMarker);
    } else if (layers.places.hasLayer(focusMarker)) {
      layers.places.removeLayer(focusMarker);
    }
    placeMarkers.forEach(function (m, i) {
      var pe = m.getElement(), te = m.getTooltip() && m.getTooltip().getElement();
      if (pe) pe.classList.toggle("event-place", i === e.placeIdx);
      if (te) te.classList.toggle("hidden-by-focus", i === e.placeIdx);
    });
    declutter();
    // open popups and tooltips follow the step
    unitPaths.forEach(function (p) {
      if (p.isPopupOpen()) p.getPopup().update();
      if (p.isTooltipOpen()) p.getTooltip().update();
    });
    Object.keys(zonePaths).forEach(function (z) {
      var p = zonePaths[z];
      if (p.isPopupOpen() && !want[z]) p.closePopup();
    });
    drawLegend();
    drawPanel();
    if (range) {
      range.value = String(k);
      range.setAttribute("aria-valuetext", valueText(k));
    }
    tickEls.forEach(function (b, kk) {
      b.classList.toggle("current", kk === k);
      if (kk === k) b.setAttribute("aria-current", "step"); else b.removeAttribute("aria-current");
    });
    var prevBtn = document.getElementById("atlas-prev"), nextBtn = document.getElementById("atlas-next");
    if (prevBtn) prevBtn.disabled = k === 0;
    if (nextBtn) nextBtn.disabled = k === nS - 1;
    if (live && why) {
      live.textContent = valueText(k) + ". " + (step.ch.length ? step.ch.length + (step.ch.length === 1 ? " unit" : " units") +
        " changed hands, " + fmt(step.moved) + " square kilometres." : "No land changed hands.");
    }
    if (!embed && why && why !== "hash" && window.history && history.replaceState) {
      try { history.replaceState(null, "", "#" + e.id); } catch (err) { /* a sandboxed frame may refuse */ }
    }
    if (!embed) document.title = e.title + " \u2014 " + D.title;
  }

  // ---------------------------------------------------------------------------------- API
  var api = {
    events: D.steps.map(function (s) { return D.events[s.e].id; }),
    current: function () { return eventOf(cur.k).id; },
    go: function (id) {
      var k = stepOf(id);
      if (k < 0) return false;
      show(k, "api");
      return true;
    },
    next: function () { if (cur.k < nS - 1) show(cur.k + 1, "next"); return api.current(); },
    prev: function () { if (cur.k > 0) show(cur.k - 1, "prev"); return api.current(); },
    state: function () {
      var holders = {};
      for (var i = 0; i < nU; i++) holders[D.units[i].id] = HOLDERS[cur.h[i]];
      return { event: api.current(), holders: holders, zones: D.steps[cur.k].z.map(function (z) { return D.zones[z].id; }) };
    },
    play: function () { play(); },
    pause: function () { pause(); },
    playing: function () { return !!timer; },
    map: map
  };

  function fromHash() {
    var id = (location.hash || "").replace(/^#/, "");
    try { id = decodeURIComponent(id); } catch (e) { return -1; }  // "#%" and the like: no such step
    var k = id ? stepOf(id) : -1;
    return k;
  }
  map.fitBounds(D.view, { animate: false, padding: embed ? [4, 4] : [8, 8] });
  var start = embed ? -1 : fromHash();
  show(start >= 0 ? start : 0, null);
  map.on("moveend", function () { drawLegend(); });
  if (!embed) {
    window.addEventListener("hashchange", function () {
      var k = fromHash();
      if (k >= 0 && k !== cur.k) { pause(); show(k, "hash"); }
    });
  }
  layoutTicks();
  window.mapperAtlas = api;
  return api;
}
