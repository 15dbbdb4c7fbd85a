/* mapper atlas engine, timeline.js: stepping controls: Previous / Play / Next, the range and its
 * ticks, and the keyboard (arrows, Home, End on the map and the timeline; + - and up/down pan on the map).
 *
 * ctx.show(k, why) is the one way to change step; the timeline calls it and follows it (sync).
 */
(function (M) {
  "use strict";
  M.createTimeline = function (ctx, opts) {
    var U = M.util, D = ctx.D, map = ctx.map, nS = D.steps.length, timer = null, tickEls = [];
    var range = document.getElementById("atlas-range"), ticks = document.getElementById("atlas-ticks");
    var playBtn = document.getElementById("atlas-play");

    function valueText(k) { return ctx.state.eventOf(k).year + " \u2014 " + ctx.state.eventOf(k).title; }
    if (ticks) {
      for (var k = 0; k < nS; k++) {
        var b = U.el("button", "tick"), e = ctx.state.eventOf(k);
        b.type = "button"; b.tabIndex = -1;
        b.setAttribute("aria-label", valueText(k));
        b.title = valueText(k);
        b.style.left = "calc(9px + (100% - 18px) * " + (nS > 1 ? k / (nS - 1) : 0) + ")";
        U.add(b, "span", "tick-mark");
        U.add(b, "span", "tick-label", e.year);
        b.setAttribute("data-event", e.id);
        (function (kk) { b.addEventListener("click", function () { pause(); ctx.show(kk, "tick"); }); })(k);
        ticks.appendChild(b);
        tickEls.push(b);
      }
    }
    function layoutTicks() {  // show a year label only where it has room and differs from the last
      if (!ticks) return;
      var w = ticks.getBoundingClientRect().width, last = -1e9, lastYear = null;
      tickEls.forEach(function (b, k) {
        var x = 9 + (w - 18) * (nS > 1 ? k / (nS - 1) : 0), y = ctx.state.eventOf(k).year;
        var showIt = y !== lastYear && x - last >= 34;
        b.classList.toggle("labelled", showIt);
        if (showIt) { last = x; lastYear = y; }
      });
    }
    if (range) {
      range.max = String(nS - 1);
      range.addEventListener("input", function () { pause(); ctx.show(+range.value, "range"); });
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

    function onKey(ev) {
      if (ev.altKey || ev.ctrlKey || ev.metaKey) return false;
      switch (ev.key) {
        case "ArrowRight": pause(); step(1); return true;
        case "ArrowLeft": pause(); step(-1); return true;
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
        if (ev.target === range) return;  // the range input steps by itself (input event)
        if (onKey(ev)) ev.preventDefault();
      });
    }

    function sync(k) {  // follow the step shown
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
    }
    return { sync: sync, layout: layoutTicks, play: play, pause: pause, playing: function () { return !!timer; },
             valueText: valueText };
  };
})(window.MapperAtlas = window.MapperAtlas || {});
