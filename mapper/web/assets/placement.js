/* mapper atlas engine, placement.js: map labels placed without collisions, clipping or controls over them.
 *
 * place(items, soft) takes labels in order of importance (change labels, the event's place, capitals),
 * each {el, kind: "box" | "tip", focus (the event's place)}: its element at its default position; no
 * label covers the event's place itself. First every change label that
 * fits at its anchor takes it (so that one moved aside cannot push a third off the map); then every label tries
 * candidate positions around its anchor (the default first, then above, below, beside, further
 * out), each also pushed inside the map; it takes the first that stays inside the map, clear of
 * the map's controls (zoom, layers, legend, title, attribution) and of every label and leader line
 * placed before it, and whose own leader line (a change label moved off its anchor) crosses no label
 * nor ends on one (lines keep GAP from boxes), nor comes within GAP of another leader line. A change label first looks for a place off the "soft" boxes (the land that changed), so
 * that it points at the change rather than covering it. A label with no free candidate tries its short form (class "compact": the change label's
 * detail line and a place's note hidden), and is dropped (class "dropped") when that fails too:
 * the least important go first, and the panel, popups and list of events still say it all; before any
 * gives way (when a change label would), those left without room are placed first once, which is kept if
 * fewer give way so, or as many with fewer change labels among them.
 * Measurements are read in one pass and written in one, so a step stays cheap: a label keeps its offset
 * and its dropped class while it is measured (the offset is taken off what is read), and only what
 * changes is written; the map's controls are measured anew unless the caller says they cannot have
 * moved (a step: place(items, soft, true)), when only the legend is.
 */
(function (M) {
  "use strict";
  var GAP = 3, EDGE = 3, FOCUS = 8;  // FOCUS: the event place's ring's radius, in pixels
  M.createPlacement = function (ctx) {
    var map = ctx.map, container = map.getContainer();

    function hit(a, b) {
      return !(a.right + GAP <= b.left || a.left >= b.right + GAP || a.bottom + GAP <= b.top || a.top >= b.bottom + GAP);
    }
    function shift(r, dx, dy) { return { left: r.left + dx, right: r.right + dx, top: r.top + dy, bottom: r.bottom + dy }; }
    var controls = null;  // the controls' boxes but the legend's, relative to the map (as last measured)
    function obstacles(c, steady) {  // the map's controls' boxes (c: the map's box)
      var out = [], legend = null;
      if (steady && controls) {
        controls.forEach(function (r) { out.push(shift(r, c.left, c.top)); });
        legend = container.querySelector(".atlas-legend");
      } else {
        controls = [];
        [].forEach.call(container.querySelectorAll(".leaflet-control"), function (el) {
          if (el.classList.contains("atlas-legend")) { legend = el; return; }
          var r = el.getBoundingClientRect();
          if (r.width && r.height && getComputedStyle(el).visibility !== "hidden") {
            out.push(r);
            controls.push(shift(r, -c.left, -c.top));
          }
        });
      }
      var lr = legend && legend.getBoundingClientRect();  // (it changes with the step)
      if (lr && lr.width && lr.height) out.push(lr);
      return out;
    }
    // a change label's candidate offsets, in its widths and heights (plus the gap), most natural first
    var BOX = [[0, 0], [0, -1], [0, 1], [-0.6, 0], [0.6, 0], [-0.6, -1], [0.6, -1], [-0.6, 1], [0.6, 1], [0, -2], [0, 2],
      [-1.1, 0], [1.1, 0], [0, -3], [0, 3], [-1.1, -1], [1.1, -1], [-1.1, 1], [1.1, 1], [0, -4], [0, 4],
      [-0.6, -3], [0.6, -3], [-0.6, 3], [0.6, 3], [-1.1, -2], [1.1, -2], [-1.1, 2], [1.1, 2], [0, -5], [0, 5]];
    function candidates(kind, r) {  // offsets from the default position, most natural first
      var w = r.right - r.left, h = r.bottom - r.top;
      if (kind === "box") return BOX.map(function (c) { return [c[0] * w, c[1] * (h + GAP)]; });
      // a tooltip written right of its dot: the other side, above, below
      return [[0, 0], [-(w + 16), 0], [-(w / 2 + 8), -(h / 2 + 7)], [-(w / 2 + 8), h / 2 + 7], [0, -(h / 2 + 2)], [0, h / 2 + 2]];
    }
    function inside(r, f) { return r.left >= f.left && r.right <= f.right && r.top >= f.top && r.bottom <= f.bottom; }
    function crosses(a, b, r) {  // does the segment a-b pass through the box r, or within GAP of it (Liang-Barsky clipping)?
      var t0 = 0, t1 = 1, dx = b[0] - a[0], dy = b[1] - a[1];  // (a line that ends on a box reads as pointing at it)
      var p = [-dx, dx, -dy, dy], q = [a[0] - r.left + GAP, r.right + GAP - a[0], a[1] - r.top + GAP, r.bottom + GAP - a[1]];
      for (var i = 0; i < 4; i++) {
        if (p[i] === 0) { if (q[i] < 0) return false; continue; }
        var t = q[i] / p[i];
        if (p[i] < 0) { if (t > t1) return false; if (t > t0) t0 = t; } else { if (t < t0) return false; if (t < t1) t1 = t; }
      }
      return true;
    }
    function meet(a, b, c, d) {  // does the segment a-b come within GAP of c-d? (c-d's box, GAP around it: a near enough test for leaders)
      return crosses(a, b, { left: Math.min(c[0], d[0]), right: Math.max(c[0], d[0]), top: Math.min(c[1], d[1]), bottom: Math.max(c[1], d[1]) });
    }
    function leader(it, off) {  // the line from a change label's anchor to the label moved by off (none when short)
      if (it.kind !== "box") return null;
      var r = it.rect, a = [(r.left + r.right) / 2, it.above ? r.bottom : (r.top + r.bottom) / 2];
      var e = [a[0] + off[0], (r.top + r.bottom) / 2 + off[1]];  // (as layers.js draws it)
      return Math.sqrt((e[0] - a[0]) * (e[0] - a[0]) + (e[1] - a[1]) * (e[1] - a[1])) > 8 ? [a, e] : null;
    }
    function misses(r, boxes) {  // r hits none of the boxes
      for (var i = 0; i < boxes.length; i++) if (hit(r, boxes[i])) return false;
      return true;
    }
    var dots = [];  // the event's place, which no label covers (set by place)
    function clear(it, off, r, blocks, lines) {  // r is free of the boxes and leader lines placed, and its own leader crosses no box
      if (dots.length && !misses(r, dots)) return false;
      if (it.pt && r.left - 4 < it.pt[0] && it.pt[0] < r.right + 4 && r.top - 4 < it.pt[1] && it.pt[1] < r.bottom + 4) return false;
      if (!misses(r, blocks)) return false;
      for (var i = 0; i < lines.length; i++) if (crosses(lines[i][0], lines[i][1], r)) return false;
      var l = leader(it, off);
      if (l) {
        for (var j = 0; j < blocks.length; j++) if (crosses(l[0], l[1], blocks[j])) return false;
        for (var k = 0; k < lines.length; k++) if (meet(l[0], l[1], lines[k][0], lines[k][1])) return false;
      }
      return true;
    }
    function attempt(items, frame, blocks, soft) {  // place what fits; return the items that found no room
      var failed = [], lines = [], r = { left: 0, right: 0, top: 0, bottom: 0 };  // r: a candidate's box (one object, reused)
      function at(it, dx, dy) { r.left = it.rect.left + dx; r.right = it.rect.right + dx; r.top = it.rect.top + dy; r.bottom = it.rect.bottom + dy; return r; }
      function take(it, off) {
        it.off = off;
        blocks.push(shift(it.rect, off[0], off[1]));
        var l = leader(it, off);
        if (l) lines.push(l);
      }
      items.forEach(function (it) { it.off = null; });
      // first every change label that fits where it belongs (at its anchor, off the changed land): a label
      // moved aside for another must not take the place of a third, which would then be dropped
      items.forEach(function (it) {
        if (!it.rect || it.kind !== "box") return;
        if (inside(it.rect, frame) && clear(it, ZERO, it.rect, blocks, lines) && misses(it.rect, soft)) take(it, ZERO);
      });
      items.forEach(function (it) {
        if (!it.rect || it.off) return;
        var best = null, cands = it.cands, n, c;
        if (it.kind === "box" && soft.length) {  // a change label first tries to leave the changed land visible
          for (n = 0; n < cands.length && !best; n++) {
            c = cands[n];
            if (inside(at(it, c[0], c[1]), frame) && clear(it, c, r, blocks, lines) && misses(r, soft)) best = c;
          }
        }
        for (n = 0; n < cands.length && !best; n++) {  // each candidate, and when it leaves the map, pushed back inside
          c = cands[n];
          if (inside(at(it, c[0], c[1]), frame)) {
            if (clear(it, c, r, blocks, lines)) best = c;
            continue;
          }
          var dx = r.left < frame.left ? frame.left - r.left : r.right > frame.right ? frame.right - r.right : 0;
          var dy = r.top < frame.top ? frame.top - r.top : r.bottom > frame.bottom ? frame.bottom - r.bottom : 0;
          var pushed = [c[0] + dx, c[1] + dy];
          if (inside(at(it, pushed[0], pushed[1]), frame) && clear(it, pushed, r, blocks, lines)) best = pushed;
        }
        if (best) take(it, best); else failed.push(it);
      });
      return failed;
    }
    function measure(items) {  // each label's box at its default position (less the offset it keeps while measured)
      var c = container.getBoundingClientRect();
      items.forEach(function (it) {
        if (it.kind === "tip" && it.at) {  // a place's name never covers its own dot
          var p = it.p || map.latLngToContainerPoint(it.at);
          it.pt = [c.left + p.x, c.top + p.y];
        }
        var r = it.el.getBoundingClientRect(), o = it.el._shift || ZERO;
        it.rect = r.width && r.height && !it.away ? { left: r.left - o[0], right: r.right - o[0], top: r.top - o[1], bottom: r.bottom - o[1] } : null;
        it.cands = it.rect && candidates(it.kind, it.rect);
      });
    }
    var ZERO = [0, 0];
    function isBox(it) { return it.kind === "box"; }
    function place(items, soft, steady) {  // items: {el, kind, away (anchor out of view: dropped), p (the anchor's point, if known), moved(off, rect)};
      // soft: boxes in the map's own pixels that change labels keep off when they can (the land that changed);
      // steady: the controls cannot have moved since the last placement (only the legend is measured again)
      soft = soft || [];
      items = items.filter(function (it) { return it.el; });
      items.forEach(function (it) { if (it.el.classList.contains("compact")) it.el.classList.remove("compact"); });  // the full form
      var c = container.getBoundingClientRect();
      var frame = { left: c.left + EDGE, right: c.right - EDGE, top: c.top + EDGE, bottom: c.bottom - EDGE };
      soft = soft.map(function (b) { return shift(b, c.left, c.top); });
      measure(items);
      var fixed = obstacles(c, steady);
      dots = [];  // no label covers the event's place (its ring), so that its name can stand beside it (a leader may start there)
      items.forEach(function (it) {
        if (it.focus && it.pt && !it.away) dots.push({ left: it.pt[0] - FOCUS, right: it.pt[0] + FOCUS, top: it.pt[1] - FOCUS, bottom: it.pt[1] + FOCUS });
      });
      var failed = attempt(items, frame, fixed.slice(), soft);
      if (failed.length) {  // the short form of those that did not fit, then everything again in order
        failed.forEach(function (it) { it.el.classList.add("compact"); });
        measure(failed);
        failed = attempt(items, frame, fixed.slice(), soft);
      }
      var lost = failed.filter(isBox).length;
      if (lost) {  // a change label still without room: those left out first, kept only if fewer give way, or as
        // many and fewer change labels among them (else in the order of importance again)
        var first = failed.concat(items.filter(function (it) { return failed.indexOf(it) < 0; }));
        var kept = items.map(function (it) { return it.off; });  // (put back, not placed again, when the order is kept)
        var again = attempt(first, frame, fixed.slice(), soft), lostAgain = again.filter(isBox).length;
        if (!(again.length < failed.length || (again.length === failed.length && lostAgain < lost))) {
          items.forEach(function (it, n) { it.off = kept[n]; });
        }
      }
      items.forEach(function (it) {  // only what changes is written
        var el = it.el, drop = !!it.away || (!!it.rect && !it.off), was = el._shift || ZERO;  // (no box: left as it is)
        var now = it.off ? [Math.round(it.off[0]), Math.round(it.off[1])] : ZERO;
        if (el.classList.contains("dropped") !== drop) el.classList.toggle("dropped", drop);
        if (now[0] !== was[0] || now[1] !== was[1]) el.style.translate = now[0] || now[1] ? now[0] + "px " + now[1] + "px" : "";
        el._shift = now;
        if (it.off && it.moved) it.moved(it.off, it.rect);
      });
      return items;
    }
    return { place: place };
  };
})(window.MapperAtlas = window.MapperAtlas || {});
