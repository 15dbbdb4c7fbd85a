/* mapper atlas engine, popups.js: the tooltips and popups of units, zones and places.
 *
 * Each function builds its content when opened, from the step shown (ctx.cur), so an open popup
 * follows the step. A popup leads with what a reader asks first (names in English, Persian and
 * Russian; holder and since when; claims; zones and occupations; this step's change) and keeps how
 * the shape was drawn, and its sources, under a "How was this drawn?" disclosure.
 */
(function (M) {
  "use strict";
  M.createPopups = function (ctx) {
    var U = M.util, t = U.t, D = ctx.D, S = D.style, el = U.el, add = U.add, field = U.field;

    function popupHead(kind, r) {  // every popup opens with the record's name, then its names in fa and ru
      var d = el("div", "atlas-popup-body");
      d.setAttribute("data-" + kind, r.id);
      add(d, "h3", "popup-title", r.name);
      U.names(d, r);
      return d;
    }
    function drawnHow(d, derivation, sources) {  // the derivation and sources, folded
      var det = add(d, "details", "how-drawn");
      add(det, "summary", null, t("howDrawn"));
      det.addEventListener("toggle", function () {  // the popup grew or shrank: lay it out and keep it in the map
        // (update() would rebuild the content and close the disclosure again; the event comes after the
        // click, by which time the popup may have been closed)
        var pop = ctx.map._popup;
        if (pop && pop._map && pop._updateLayout) { pop._updateLayout(); pop._updatePosition(); pop._adjustPan(); }
      });
      if (derivation) field(det, t("boundary"), derivation).classList.add("derivation");
      U.sourceList(det, sources, t("sources"));
    }
    function unitTip(i) {
      var d = el("div"), u = D.units[i];
      add(d, "strong", null, u.name);
      d.appendChild(document.createTextNode(" \u2014 " + ctx.state.holderName(ctx.cur, i)));
      if (ctx.cur.changed[i]) add(d, "div", "tip-changed", t("changedHere"));
      return d;
    }
    function unitPopup(i) {
      var u = D.units[i], st = ctx.cur, d = popupHead("unit", u);
      var ev = ctx.state.eventOf(st.k), since = st.since[i];
      var held = field(d, t("heldOn", { date: ev.date }), ctx.state.holderName(st, i) + " (" + S.holder_labels[st.holder[i]] + ")");
      held.classList.add("holder");
      if (since) {
        var se = ctx.state.eventById[since];
        field(d, t("since"), t("sinceEvent", { title: se.title, date: se.date })).classList.add("since");
      } else {
        field(d, t("since"), t("sinceStart")).classList.add("since");
      }
      if (st.claims[i].length) {
        add(d, "p", "claims", t("caption.claim", { to: st.claims[i].map(function (h) { return ctx.state.claimantName(st, h); }).join(U.t("listSep")) }));
      }
      var here = D.steps[st.k].zones.filter(function (z) { return ctx.state.zoneById[z].units.indexOf(u.id) >= 0; });
      if (here.length) field(d, t("zonesHere"), here.map(function (z) { return ctx.state.zoneById[z].name; }).join(U.t("listSep"))).classList.add("zones-here");
      var step = D.steps[st.k];
      step.changes.concat(step.claim_changes).filter(function (c) { return c.unit === u.id; }).forEach(function (c) {
        field(d, t("atThisStep"), U.changeText(c)).classList.add("changed");
        if (c.note) add(d, "p", "note", c.note);
      });
      field(d, t("area"), U.km2(u.km2));
      drawnHow(d, u.derivation, u.sources);
      return d;
    }
    function zoneTip(r) {
      var d = el("div");
      add(d, "strong", null, r.name);
      add(d, "div", "tip-kind", t("notSovereignty", { kind: S.zones[r.kind].label }));
      return d;
    }
    function zonePopup(r) {
      var d = popupHead("zone", r);
      field(d, t("kind"), t("overlay", { kind: S.zones[r.kind].label })).classList.add("kind");
      if (r.periods) field(d, t("inForce"), r.periods);
      drawnHow(d, r.derivation, r.sources);
      return d;
    }
    function placePopup(r) {
      var d = popupHead("place", r);
      if (r.roles.length) {
        var ul = add(d, "ul", "roles");
        r.roles.forEach(function (role) {
          var li = add(ul, "li", null, role.label);
          if (role.note) add(li, "span", "role-note", " \u2014 " + role.note);
        });
      }
      if (r.note) add(d, "p", "note", r.note);
      U.sourceList(d, r.sources, t("sources"));
      return d;
    }
    return { unitTip: unitTip, unitPopup: unitPopup, zoneTip: zoneTip, zonePopup: zonePopup, placePopup: placePopup };
  };
})(window.MapperAtlas = window.MapperAtlas || {});
