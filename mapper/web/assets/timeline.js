/* mapper atlas engine, timeline.js: stepping controls: Previous / Play / Next, the range and its
 * ticks, and the keyboard (arrows, Home, End from page load, on the map and on the timeline; + - and
 * up/down pan on the map).
 *
 * Ticks stand at each event's time (payload events[].at, 0..1, gaps longer than the timeline's cap
 * shortened and marked with a break, events[].gap); the range runs over the same axis and snaps to
 * the nearest event. Year labels are laid out greedily, the current one first, so that none
 * overlaps another; every event stays reachable by the range, the arrow keys and the list of events.
 * A break the range's thumb would cover is hidden while the thumb stands there.
 * ctx.show(k, why) is the one way to change step; the timeline calls it and follows it (sync).
 */
(function (M) {
  "use strict";
  var SCALE = 1000;  // the range's resolution along the axis
  M.createTimeline = function (ctx, opts) {
    var U = M.util, t = U.t, D = ctx.D, map = ctx.map, nS = D.steps.length, timer = null, tickEls = [];
    var range = document.getElementById("atlas-range"), ticks = document.getElementById("atlas-ticks");
    var playBtn = document.getElementById("atlas-play"), prevBtn = document.getElementById("atlas-prev"), nextBtn = document.getElementById("atlas-next");
    var at = [], marked = -1, breaks = [], covered = [];  // the tick marked current; the breaks: {el, at (mid-gap)}
    for (var s = 0; s < nS; s++) at.push(ctx.state.eventOf(s).at);

    function valueText(k) { return ctx.state.eventOf(k).year + " \u2014 " + ctx.state.eventOf(k).title; }
    // where the range's thumb (CSS --thumb wide) centres at axis value v: the ticks and breaks stand there too
    function pos(v) { return "calc(var(--thumb) / 2 + (100% - var(--thumb)) * " + v + ")"; }
    function pct(k) { return pos(at[k]); }
    if (ticks) {
      for (var k = 0; k < nS; k++) {
        var b = U.el("button", "tick"), e = ctx.state.eventOf(k);
        b.type = "button"; b.tabIndex = -1;
        b.title = valueText(k);
        b.style.left = pct(k);
        U.add(b, "span", "tick-mark");
        U.add(b, "span", "tick-label", e.year);
        b.setAttribute("data-event", e.id);
        (function (kk) { b.addEventListener("click", function () { pause(); ctx.show(kk, "tick"); }); })(k);
        if (e.gap) { var br = { el: U.add(ticks, "span", "tick-break"), at: (at[k] + at[k - 1]) / 2 }; br.el.style.left = pos(br.at); breaks.push(br); }
        ticks.appendChild(b);
        tickEls.push(b);
      }
    }
    var was = [], labels = {};  // the year labels shown, and those of each step at the timeline's width
    function labelled(cur) {  // year labels that fit: the current one first, then left to right, none overlapping
      if (!width) width = ticks.getBoundingClientRect().width;  // measured once (api.js at the start), and again on resize
      var w = width, taken = [], key = cur + " " + w, show = labels[key];
      if (show) return show;
      function x(k) { return thumbAt(at[k]); }
      function half(k) { return ctx.state.eventOf(k).year.length * 3.4 + 4; }
      function free(k) { return taken.every(function (r) { return x(k) + half(k) <= r[0] || x(k) - half(k) >= r[1]; }); }
      show = labels[key] = [];
      [cur].concat(tickEls.map(function (_, k) { return k; })).forEach(function (k) {
        if (show[k] === undefined && (k === cur || (free(k) && x(k) - half(k) >= -4 && x(k) + half(k) <= w + 4 &&
            !(k > 0 && ctx.state.eventOf(k - 1).year === ctx.state.eventOf(k).year && show[k - 1])))) {
          show[k] = true;
          taken.push([x(k) - half(k) - 3, x(k) + half(k) + 3]);
        }
      });
      return show;
    }
    function thumbAt(v) {  // px from the ticks' start to the thumb's centre at axis value v
      if (!thumb) thumb = parseFloat(getComputedStyle(ticks).getPropertyValue("--thumb")) || 18;
      return thumb / 2 + (width - thumb) * v;
    }
    function layoutTicks() {  // only the ticks whose label comes or goes are written
      if (!ticks) return;
      var k = ctx.cur ? ctx.cur.k : 0, show = labelled(k);
      tickEls.forEach(function (b, kk) { if (!show[kk] !== !was[kk]) b.classList.toggle("labelled", !!show[kk]); });
      was = show;
      // a break the thumb would cover (a short stretch after a long gap: 1954 to 1991 on a tablet) is hidden while it would
      var now = breaks.filter(function (b) {  // (on a phone the two breaks after 913 both lie under it)
        return Math.abs(thumbAt(b.at) - thumbAt(at[k])) < thumb / 2 + 4;
      });
      covered.concat(now).forEach(function (b) { b.el.classList.toggle("covered", now.indexOf(b) >= 0); });
      covered = now;
    }
    function nearest(v) {  // the step nearest a range value
      var best = 0;
      for (var k = 1; k < nS; k++) if (Math.abs(at[k] * SCALE - v) < Math.abs(at[best] * SCALE - v)) best = k;
      return best;
    }
    if (range) {
      range.max = String(SCALE);
      range.step = "1";
      range.addEventListener("input", function () {
        var k = nearest(+range.value);
        pause();
        if (k !== ctx.cur.k) ctx.show(k, "range");
      });
      range.addEventListener("change", function () { range.value = String(Math.round(at[ctx.cur.k] * SCALE)); });
      range.addEventListener("keydown", function (ev) {  // the keys step by event, not by a thousandth of the axis
        if (onKey(ev) || ev.key === "PageUp" || ev.key === "PageDown" || ev.key === "ArrowUp" || ev.key === "ArrowDown") {
          if (ev.key === "ArrowUp" || ev.key === "PageUp") { pause(); step(1); }
          if (ev.key === "ArrowDown" || ev.key === "PageDown") { pause(); step(-1); }
          ev.preventDefault();
        }
      });
    }
    var width = ctx.ticksWidth || 0, thumb = 0;
    window.addEventListener("resize", function () { width = thumb = 0; labels = {}; layoutTicks(); });

    function setPlaying(on) {
      if (!playBtn) return;
      playBtn.setAttribute("aria-pressed", on ? "true" : "false");
      playBtn.setAttribute("aria-label", t(on ? "pause" : "play"));
      playBtn.title = t(on ? "pause" : "playTitle");
      playBtn.classList.toggle("playing", on);
      playBtn.textContent = on ? "\u275a\u275a" : "\u25b6\ufe0e";
    }
    function play() {
      if (timer) return;
      if (ctx.cur.k >= nS - 1) ctx.show(0, "play");
      timer = setInterval(function () {
        if (ctx.cur.k < nS - 1) ctx.show(ctx.cur.k + 1, "play");
        if (ctx.cur.k >= nS - 1) pause();
      }, opts.interval || 2000);
      setPlaying(true);
    }
    function pause() {
      if (timer) { clearInterval(timer); timer = null; }
      setPlaying(false);
    }
    function step(delta) { var k = ctx.cur.k + delta; if (k >= 0 && k < nS) ctx.show(k, delta > 0 ? "next" : "prev"); }
    function bind(id, fn) {
      var b = document.getElementById(id);
      if (b) b.addEventListener("click", fn);
    }
    bind("atlas-prev", function () { pause(); step(-1); });
    bind("atlas-next", function () { pause(); step(1); });
    bind("atlas-play", function () { if (timer) pause(); else play(); });

    var ahead = document.documentElement.dir === "rtl" ? -1 : 1;  // the timeline runs right to left in rtl
    function onKey(ev) {
      if (ev.altKey || ev.ctrlKey || ev.metaKey) return false;
      switch (ev.key) {
        case "ArrowRight": pause(); step(ahead); return true;
        case "ArrowLeft": pause(); step(-ahead); return true;
        case "Home": pause(); ctx.show(0, "key"); return true;
        case "End": pause(); ctx.show(nS - 1, "key"); return true;
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
    var bar = document.getElementById("atlas-timeline");
    if (bar) {
      bar.addEventListener("keydown", function (ev) {
        if (ev.target === range) return;  // the range has its own keys (above)
        if (onKey(ev)) ev.preventDefault();
      });
    }
    if (!ctx.embed) {  // from page load, before anything has focus, the arrow keys step too
      document.addEventListener("keydown", function (ev) {
        if (ev.target !== document.body && ev.target !== document.documentElement) return;
        if (onKey(ev)) ev.preventDefault();
      });
    }

    function sync(k) {  // follow the step shown
      if (range) {
        range.value = String(Math.round(at[k] * SCALE));
        range.setAttribute("aria-valuetext", valueText(k));
      }
      [marked, k].forEach(function (kk) {  // only the ticks that change
        var b = tickEls[kk];
        if (!b) return;
        b.classList.toggle("current", kk === k);
        if (kk === k) b.setAttribute("aria-current", "step"); else b.removeAttribute("aria-current");
      });
      marked = k;
      if (prevBtn && prevBtn.disabled !== (k === 0)) prevBtn.disabled = k === 0;
      if (nextBtn && nextBtn.disabled !== (k === nS - 1)) nextBtn.disabled = k === nS - 1;
      layoutTicks();
    }
    return { sync: sync, layout: layoutTicks, prepare: function (k) { if (ticks) labelled(k); }, play: play, pause: pause, playing: function () { return !!timer; },
             valueText: valueText };
  };
})(window.MapperAtlas = window.MapperAtlas || {});
