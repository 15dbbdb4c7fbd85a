/* mapper atlas engine, panel.js: the side panel of the atlas page and the title box of a per-event map.
 *
 * The panel tells the step: counter, title, dates (with Old Style), certainty, place, parties,
 * summary, what changed on the ground (conquests, cessions, returns, independence) and what changed
 * on paper (claims made, recognised, renounced), each with km², Persia's loss (counted rows only) at
 * the step and in total, the zones beginning, ending and in force, the sources, a share link and
 * links to the event's figure and data (payload figure_path, data_root + data_path). A note that
 * several rows in a row share (one effect's, on all its units) is told once, under the last of them. Each step
 * scrolls the panel back to its top (toTop). Every sentence comes from the payload's words.
 */
(function (M) {
  "use strict";
  M.createPanel = function (ctx) {
    var U = M.util, t = U.t, D = ctx.D, add = U.add, field = U.field, km2 = U.km2, nS = D.steps.length;
    var body = document.getElementById("atlas-panel-body"), panel = document.getElementById("atlas-panel");
    var toc = document.getElementById("atlas-toc"), tocLinks = {}, marked = null;
    if (toc) {  // the list of events: a link to each step (the hash opens it)
      var ol = toc.querySelector("ol");
      D.steps.forEach(function (s) {
        var ev = ctx.state.eventById[s.event], li = add(ol, "li"), a = add(li, "a");
        a.href = "#" + ev.id;
        add(a, "span", "toc-year", ev.year);
        a.appendChild(document.createTextNode(" " + ev.title));
        tocLinks[ev.id] = a;
      });
    }

    if (ctx.embed) {  // a per-event map: its title in a box on the map
      var e0 = ctx.state.eventOf(0);
      ctx.map.getContainer().setAttribute("aria-label", t("mapOf", { title: e0.title, date: e0.date }));
      var title = L.control({ position: "topright" });
      title.onAdd = function () {
        var box = U.el("div", "atlas-title leaflet-control"), s = D.steps[0];
        add(box, "div", "title", e0.title).title = e0.title;  // (a tiny map writes it on one line, cut short)
        add(box, "div", "date", e0.date_os ? t("oldStyleShort", { date: e0.date, osdate: e0.date_os }) : e0.date);
        if (e0.date_local) add(box, "div", "date", e0.date_local);
        if (e0.date_os || e0.date_local) add(box, "div", "date-short", e0.date);  // a tiny map's one date line
        if (s.moved_km2) add(box, "div", "moved", t("movedBox", { area: km2(s.moved_km2) }));
        L.DomEvent.disableClickPropagation(box);
        return box;
      };
      title.addTo(ctx.map);
    }

    function zoneNames(list) { return list.map(function (z) { return ctx.state.zoneById[z].name; }).join(U.t("listSep")); }
    function changeList(parent, changes, cls) {
      var cl = add(parent, "ul", cls);
      changes.forEach(function (c, i) {
        var li = add(cl, "li"), u = D.units[ctx.state.unitIndex[c.unit]];
        li.setAttribute("data-unit", u.id);
        li.setAttribute("data-kind", c.kind);
        li.setAttribute("data-from", c.from_holder);
        li.setAttribute("data-to", c.to_holder);
        if (c.counted) li.classList.add("counted");
        add(li, "strong", null, u.name);
        li.appendChild(document.createTextNode(": " + U.changeText(c)));
        var next = changes[i + 1];  // a note the next rows share (one effect's) is told once, under the last of them
        if (c.note && !(next && next.note === c.note)) add(li, "div", "note", c.note);
      });
    }
    function territory(out, step) {
      var tr = add(out, "section", "territory");
      add(tr, "h3", null, t("territory"));
      if (step.changes.length) {
        add(tr, "p", "moved", t("movedHere", { area: km2(step.moved_km2), units: U.tn("units", step.changes.length) }));
        changeList(tr, step.changes, "changes");
      } else {
        add(tr, "p", "moved", t("noLandMoved"));
      }
      if (step.claim_changes.length) {
        add(tr, "p", "claimed", t("claimedHere", { area: km2(step.claimed_km2) }));
        changeList(tr, step.claim_changes, "claim-changes");
      }
      add(tr, "p", "lost", t(step.lost_km2 < 0 ? "regainedHere" : "lostHere", { area: km2(step.lost_km2) }));
      add(tr, "p", "total", t(step.total_lost_km2 >= 0 ? "totalLost" : "totalGained", { area: km2(step.total_lost_km2) }));
      add(tr, "p", "count-rule", t("countRule"));
    }
    function zones(out, step) {
      if (!(step.zones_begun.length || step.zones_ended.length || step.zones.length)) return;
      var zs = add(out, "section", "zones");
      add(zs, "h3", null, t("zonesHead"));
      [["begin", step.zones_begun, "zones-begun"], ["end", step.zones_ended, "zones-ended"],
       ["inForce", step.zones, "zones-in-force"]].forEach(function (z) {
        if (z[1].length) field(zs, t(z[0]), zoneNames(z[1])).classList.add(z[2]);
      });
    }
    function links(out, e, k) {  // share this step; its figure (when the build draws one) and its data
      var sec = add(out, "section", "event-links"), ul = add(sec, "ul");
      shares[k] = M.share(add(ul, "li"), e.id);
      function link(key, href, cls) {
        var a = add(add(ul, "li"), "a", cls, t(key));
        a.href = href.replace("{id}", encodeURIComponent(e.id));
      }
      if (e.figure) link("figureLink", D.figure_path, "figure-link");
      link("dataLink", (D.data_root || "") + D.data_path, "data-link");
    }
    function build(k) {  // step k's panel, apart from the page
      var e = ctx.state.eventOf(k), step = D.steps[k], out = U.el("div");
      add(out, "p", "counter", t("stepOf", { n: k + 1, total: nS }) + t("partSep") + t("event." + e.kind));
      add(out, "h2", "event-title", e.title).id = "atlas-event-title";
      add(out, "p", "date", e.date);
      if (e.date_os) add(out, "p", "date-os", t("oldStyle", { date: e.date_os }));
      if (e.date_local) add(out, "p", "date-local", e.date_local);
      if (e.date_certainty) add(out, "p", "date-certainty", t("dateCertainty", { certainty: t("certainty." + e.date_certainty) }));
      if (e.date_note) add(out, "p", "date-note", e.date_note);
      if (e.place) field(out, t("place"), e.place).classList.add("place");
      if (e.parties.length) {
        add(out, "h3", null, t("parties"));
        var ul = add(out, "ul", "parties");
        e.parties.forEach(function (p) { add(ul, "li", null, p); });
      }
      add(out, "p", "summary", e.summary);
      territory(out, step);
      zones(out, step);
      U.sourceList(add(out, "section", "event-sources"), e.sources, t("sources"));
      links(out, e, k);
      return out;
    }
    // each step's panel is built once (ahead of the step, in idle time: prepare) and put in the page
    // whole; one whose share field was opened is put back as a fresh step shows it (its share reset)
    var built = [], shares = [], shown = -1;
    function prepare(k) { return body && (built[k] || (built[k] = build(k))); }
    function draw() {
      if (!body) return;
      var k = ctx.cur.k, e = ctx.state.eventOf(k);
      if (shown >= 0 && shares[shown].opened()) shares[shown].reset();
      body.textContent = "";
      body.appendChild(prepare(shown = k));
      if (tocLinks[marked]) tocLinks[marked].removeAttribute("aria-current");  // only the two links that change
      if (tocLinks[e.id]) tocLinks[e.id].setAttribute("aria-current", "step");
      marked = e.id;
    }
    function notice(text) {  // a message above the event (a broken link), until the next step
      var n = document.getElementById("atlas-notice");
      if (!n) return;
      n.textContent = text || "";
      n.hidden = !text;
    }
    function toTop() {  // the new event's title in view (written, never read: reading would lay the page out)
      if (panel) panel.scrollTop = 0;
    }
    return { draw: draw, prepare: prepare, notice: notice, toTop: toTop };
  };
})(window.MapperAtlas = window.MapperAtlas || {});
