/* mapper atlas engine, popups.js: the tooltips and popups of units, zones and places.
 *
 * Each function builds its content when opened, from the step shown (ctx.cur), so an open popup
 * follows the step.
 */
(function (M) {
  "use strict";
  M.createPopups = function (ctx) {
    var U = M.util, D = ctx.D, S = D.style, el = U.el, add = U.add, field = U.field;

    function unitTip(i) {
      var d = el("div"), u = D.units[i];
      add(d, "strong", null, u.name);
      d.appendChild(document.createTextNode(" \u2014 " + ctx.state.holderName(ctx.cur, i)));
      if (ctx.cur.changed[i]) add(d, "div", "tip-changed", "Changed hands at this step");
      return d;
    }
    function unitPopup(i) {
      var u = D.units[i], st = ctx.cur, d = el("div", "atlas-popup-body");
      d.setAttribute("data-unit", u.id);
      add(d, "h3", "popup-title", u.name);
      U.names(d, u);
      var ev = ctx.state.eventOf(st.k), since = st.since[i];
      var held = field(d, "Held on " + ev.date, ctx.state.holderName(st, i) + " (" + S.holder_labels[st.holder[i]] + ")");
      held.classList.add("holder");
      if (since) {
        var se = ctx.state.eventById[since];
        field(d, "Since", se.title + " (" + se.date + ")");
      } else {
        field(d, "Since", "before the first event (the atlas's starting map)");
      }
      D.steps[st.k].changes.filter(function (c) { return c.unit === u.id; }).forEach(function (c) {
        var p = field(d, "At this step", c.from_name + " \u2192 " + c.to_name + " (" + U.fmt(c.km2) + " km\u00b2" +
          (c.certainty !== "high" ? ", certainty " + c.certainty : "") + ")");
        p.classList.add("changed");
        if (c.note) add(d, "p", "note", c.note);
      });
      field(d, "Area", U.fmt(u.km2) + " km\u00b2");
      var here = D.steps[st.k].zones.filter(function (z) { return ctx.state.zoneById[z].units.indexOf(u.id) >= 0; });
      if (here.length) field(d, "Zones in force here", here.map(function (z) { return ctx.state.zoneById[z].name; }).join("; "));
      field(d, "Boundary", u.derivation).classList.add("derivation");
      U.sourceList(d, u.sources, "Sources");
      return d;
    }
    function zoneTip(r) {
      var d = el("div");
      add(d, "strong", null, r.name);
      add(d, "div", "tip-kind", S.zones[r.kind].label + " (not a change of sovereignty)");
      return d;
    }
    function zonePopup(r) {
      var d = el("div", "atlas-popup-body");
      d.setAttribute("data-zone", r.id);
      add(d, "h3", "popup-title", r.name);
      U.names(d, r);
      field(d, "Kind", S.zones[r.kind].label + ": an overlay, not a change of sovereignty").classList.add("kind");
      if (r.periods) field(d, "In force", r.periods);
      field(d, "Boundary", r.derivation).classList.add("derivation");
      U.sourceList(d, r.sources, "Sources");
      return d;
    }
    function placePopup(r) {
      var d = el("div", "atlas-popup-body");
      d.setAttribute("data-place", r.id);
      add(d, "h3", "popup-title", r.name);
      U.names(d, r);
      if (r.roles.length) {
        var ul = add(d, "ul", "roles");
        r.roles.forEach(function (role) {
          var li = add(ul, "li", null, role.label);
          if (role.note) add(li, "span", "role-note", " \u2014 " + role.note);
        });
      }
      if (r.note) add(d, "p", "note", r.note);
      U.sourceList(d, r.sources, "Sources");
      return d;
    }
    return { unitTip: unitTip, unitPopup: unitPopup, zoneTip: zoneTip, zonePopup: zonePopup, placePopup: placePopup };
  };
})(window.MapperAtlas = window.MapperAtlas || {});
