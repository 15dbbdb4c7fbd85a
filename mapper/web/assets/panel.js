/* mapper atlas engine, panel.js: the side panel of the atlas page and the title box of a per-event map.
 *
 * The panel tells the step: counter, title, dates (with Old Style), certainty, place, parties,
 * summary, the land that changed hands with km², Persia's loss at the step and in total, the zones
 * beginning, ending and in force, and the sources.
 */
(function (M) {
  "use strict";
  M.createPanel = function (ctx) {
    var U = M.util, D = ctx.D, add = U.add, field = U.field, fmt = U.fmt, nS = D.steps.length;
    var body = document.getElementById("atlas-panel-body");

    if (ctx.embed) {  // a per-event map: its title in a box on the map
      var e0 = ctx.state.eventOf(0);
      ctx.map.getContainer().setAttribute("aria-label", "Map: " + e0.title + ", " + e0.date);
      var title = L.control({ position: "topright" });
      title.onAdd = function () {
        var box = U.el("div", "atlas-title leaflet-control"), s = D.steps[0];
        add(box, "div", "title", e0.title);
        add(box, "div", "date", e0.date + (e0.date_os ? " (O.S. " + e0.date_os + ")" : ""));
        if (s.moved_km2) add(box, "div", "moved", fmt(s.moved_km2) + " km\u00b2 changed hands");
        L.DomEvent.disableClickPropagation(box);
        return box;
      };
      title.addTo(ctx.map);
    }

    function zoneNames(list) { return list.map(function (z) { return ctx.state.zoneById[z].name; }).join("; "); }
    function territory(step) {
      var t = add(body, "section", "territory");
      add(t, "h3", null, "Territory");
      if (step.changes.length) {
        add(t, "p", "moved", "Changed hands at this step: " + fmt(step.moved_km2) + " km\u00b2 (" + step.changes.length +
          (step.changes.length === 1 ? " unit" : " units") + ")");
        var cl = add(t, "ul", "changes");
        step.changes.forEach(function (c) {
          var li = add(cl, "li"), u = D.units[ctx.state.unitIndex[c.unit]];
          li.setAttribute("data-unit", u.id);
          li.setAttribute("data-from", c.from_holder);
          li.setAttribute("data-to", c.to_holder);
          add(li, "strong", null, u.name);
          li.appendChild(document.createTextNode(": " + c.from_name + " \u2192 " + c.to_name + ", " + fmt(c.km2) + " km\u00b2" +
            (c.certainty !== "high" ? " (certainty " + c.certainty + ")" : "")));
          if (c.note) add(li, "div", "note", c.note);
        });
      } else {
        add(t, "p", "moved", "No land changed hands at this step.");
      }
      var lost = add(t, "p", "lost");
      if (step.lost_km2 > 0) lost.textContent = "Persia lost to Russia at this step: " + fmt(step.lost_km2) + " km\u00b2";
      else if (step.lost_km2 < 0) lost.textContent = "Persia regained from Russia at this step: " + fmt(step.lost_km2) + " km\u00b2";
      else lost.textContent = "Persia lost to Russia at this step: 0 km\u00b2";
      add(t, "p", "total", (step.total_lost_km2 >= 0 ? "Running total Persia lost to Russia: " : "Running total Persia gained from Russia: ") +
        fmt(step.total_lost_km2) + " km\u00b2");
    }
    function zones(step) {
      if (!(step.zones_begun.length || step.zones_ended.length || step.zones.length)) return;
      var zs = add(body, "section", "zones");
      add(zs, "h3", null, "Zones (spheres, occupations, republics)");
      [["Begin", step.zones_begun, "zones-begun"], ["End", step.zones_ended, "zones-ended"],
       ["In force", step.zones, "zones-in-force"]].forEach(function (z) {
        if (z[1].length) field(zs, z[0], zoneNames(z[1])).classList.add(z[2]);
      });
    }
    function draw() {
      if (!body) return;
      var k = ctx.cur.k, e = ctx.state.eventOf(k), step = D.steps[k];
      body.textContent = "";
      add(body, "p", "counter", "Step " + (k + 1) + " of " + nS + " \u00b7 " + e.kind);
      add(body, "h2", "event-title", e.title).id = "atlas-event-title";
      add(body, "p", "date", e.date);
      if (e.date_os) add(body, "p", "date-os", "Old Style (Julian): " + e.date_os);
      if (e.date_certainty !== "exact") add(body, "p", "date-certainty", "Date " + e.date_certainty + ".");
      if (e.date_note) add(body, "p", "date-note", e.date_note);
      if (e.place) field(body, "Place", e.place).classList.add("place");
      if (e.parties.length) {
        add(body, "h3", null, "Parties");
        var ul = add(body, "ul", "parties");
        e.parties.forEach(function (p) { add(ul, "li", null, p); });
      }
      add(body, "p", "summary", e.summary);
      territory(step);
      zones(step);
      U.sourceList(add(body, "section", "event-sources"), e.sources, "Sources");
    }
    return { draw: draw };
  };
})(window.MapperAtlas = window.MapperAtlas || {});
