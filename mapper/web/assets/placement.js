/* mapper atlas engine, placement.js: map labels placed without collisions, clipping or controls over them.
 *
 * place(items, soft) takes labels in order of importance (change labels, the event's place, capitals),
 * each {el, kind: "box" | "tip"}: its element at its default position. Every label tries
 * candidate positions around its anchor (the default first, then above, below, beside, further
 * out), each also pushed inside the map; it takes the first that stays inside the map, clear of
 * the map's controls (zoom, layers, legend, title, attribution) and of every label placed before
 * it. A change label first looks for a place off the "soft" boxes (the land that changed), so
 * that it points at the change rather than covering it. A label with no free candidate tries its short form (class "compact": the change label's
 * detail line and a place's note hidden), and is dropped (class "dropped") when that fails too:
 * the least important go first, and the panel, popups and list of events still say it all.
 * Measurements are read in one pass and written in one, so a step stays cheap.
 */
(function (M) {
  "use strict";
  var GAP = 3, EDGE = 3;
  M.createPlacement = function (ctx) {
    var map = ctx.map, container = map.getContainer();

    function hit(a, b) {
      return !(a.right + GAP <= b.left || a.left >= b.right + GAP || a.bottom + GAP <= b.top || a.top >= b.bottom + GAP);
    }
    function shift(r, dx, dy) { return { left: r.left + dx, right: r.right + dx, top: r.top + dy, bottom: r.bottom + dy }; }
    function obstacles(frame) {
      var out = [];
      [].forEach.call(container.querySelectorAll(".leaflet-control"), function (c) {
        var r = c.getBoundingClientRect();
        if (r.width && r.height && getComputedStyle(c).visibility !== "hidden") out.push(r);
      });
      return out;
    }
    function candidates(kind, r) {  // offsets from the default position, most natural first
      var w = r.right - r.left, h = r.bottom - r.top, out = [[0, 0]];
      if (kind === "box") {
        [[0, -1], [0, 1], [-0.6, 0], [0.6, 0], [-0.6, -1], [0.6, -1], [-0.6, 1], [0.6, 1], [0, -2], [0, 2],
         [-1.1, 0], [1.1, 0], [0, -3], [0, 3], [-1.1, -1], [1.1, -1], [-1.1, 1], [1.1, 1], [0, -4], [0, 4],
         [-0.6, -3], [0.6, -3], [-0.6, 3], [0.6, 3], [-1.1, -2], [1.1, -2], [-1.1, 2], [1.1, 2], [0, -5], [0, 5]].forEach(function (c) {
          out.push([c[0] * w, c[1] * (h + GAP)]);
        });
      } else {  // a tooltip written right of its dot: the other side, above, below
        out.push([-(w + 16), 0], [-(w / 2 + 8), -(h / 2 + 7)], [-(w / 2 + 8), h / 2 + 7], [0, -(h / 2 + 2)], [0, h / 2 + 2]);
      }
      return out;
    }
    function inside(r, f) { return r.left >= f.left && r.right <= f.right && r.top >= f.top && r.bottom <= f.bottom; }
    function clampInto(r, f) {
      var dx = r.left < f.left ? f.left - r.left : r.right > f.right ? f.right - r.right : 0;
      var dy = r.top < f.top ? f.top - r.top : r.bottom > f.bottom ? f.bottom - r.bottom : 0;
      return [dx, dy];
    }
    function attempt(items, frame, blocks, soft) {  // place what fits; return the items that found no room
      var failed = [];
      items.forEach(function (it) {
        if (!it.rect) return;
        var best = null, cands = candidates(it.kind, it.rect);
        if (it.kind === "box" && soft.length) {  // a change label first tries to leave the changed land visible
          var b0 = best;
          for (var s0 = 0; s0 < cands.length && !b0; s0++) {
            var r0 = shift(it.rect, cands[s0][0], cands[s0][1]);
            if (inside(r0, frame) && blocks.every(function (b) { return !hit(r0, b); }) &&
                soft.every(function (b) { return !hit(r0, b); })) b0 = { off: cands[s0], r: r0 };
          }
          best = b0;
        }
        for (var n = 0; n < cands.length && !best; n++) {
          var r = shift(it.rect, cands[n][0], cands[n][1]);
          var tries = [cands[n]];
          if (!inside(r, frame)) { var c = clampInto(r, frame); tries.push([cands[n][0] + c[0], cands[n][1] + c[1]]); }
          for (var j = 0; j < tries.length; j++) {
            var rr = shift(it.rect, tries[j][0], tries[j][1]);
            if (inside(rr, frame) && blocks.every(function (b) { return !hit(rr, b); })) { best = { off: tries[j], r: rr }; break; }
          }
        }
        if (best) { it.off = best.off; blocks.push(best.r); } else { it.off = null; failed.push(it); }
      });
      return failed;
    }
    function measure(items) {
      items.forEach(function (it) {
        var r = it.el.getBoundingClientRect();
        it.rect = r.width && r.height && !it.away ? { left: r.left, right: r.right, top: r.top, bottom: r.bottom } : null;
      });
    }
    function place(items, soft) {  // items: {el, kind, away (anchor out of view: dropped), moved(off, rect)};
      // soft: boxes change labels keep off when they can (the land that changed)
      soft = soft || [];
      items = items.filter(function (it) { return it.el; });
      items.forEach(function (it) {  // back to the default position and full form
        it.el.classList.remove("compact", "dropped");
        it.el.style.translate = "";
      });
      var c = container.getBoundingClientRect();
      var frame = { left: c.left + EDGE, right: c.right - EDGE, top: c.top + EDGE, bottom: c.bottom - EDGE };
      measure(items);
      var fixed = obstacles(frame);
      var failed = attempt(items, frame, fixed.slice(), soft);
      if (failed.length) {  // the short form of those that did not fit, then everything again in order
        failed.forEach(function (it) { it.el.classList.add("compact"); });
        measure(failed);
        failed = attempt(items, frame, fixed.slice(), soft);
        failed.forEach(function (it) { it.el.classList.add("dropped"); });
      }
      items.forEach(function (it) {
        if (it.away) it.el.classList.add("dropped");
        if (!it.off) return;
        if (it.off[0] || it.off[1]) it.el.style.translate = Math.round(it.off[0]) + "px " + Math.round(it.off[1]) + "px";
        if (it.moved) it.moved(it.off, it.rect);
      });
      return items;
    }
    return { place: place };
  };
})(window.MapperAtlas = window.MapperAtlas || {});
