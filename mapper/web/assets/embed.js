/* mapper atlas, embed.js: drive the atlas from a page on any site, through postMessage.
 *
 * A page that shows the atlas (or a per-event map) in an <iframe> cannot call window.mapperAtlas
 * across origins. This file makes the frame answer messages instead:
 *   host -> atlas  {type: "mapper:go", event: "<id>"}, {type: "mapper:next"}, {type: "mapper:prev"},
 *                  {type: "mapper:play"}, {type: "mapper:pause"}
 *   atlas -> host  {type: "mapper:ready", events: [ids], event, index} once the atlas has started;
 *                  {type: "mapper:step", event, index, title, date} on every step shown (the first
 *                  included), however the reader or the host got there.
 * Messages go to the parent frame only (nothing happens in a top-level window). Anything may
 * send commands: they only move the map, as the reader's own buttons do.
 *
 * The hook is small: it wraps mapperAtlasInit to keep the payload (titles, dates) and the API, and
 * learns of steps from the "mapper:step" event the page dispatches on window (detail {event,
 * index}); until a page dispatches that, it looks at mapperAtlas.current() four times a second.
 */
(function () {
  "use strict";
  var parentWindow = window.parent;
  if (!parentWindow || parentWindow === window || typeof window.mapperAtlasInit !== "function") return;
  var init = window.mapperAtlasInit, payload = null, api = null, last = null, heard = false, timer = null;
  var ready = false;  // steps shown while the atlas starts are told after "mapper:ready"

  function post(message) {
    try { parentWindow.postMessage(message, "*"); } catch (err) { /* a detached frame */ }
  }
  function eventRecord(id) {
    var events = (payload && payload.events) || [];
    for (var i = 0; i < events.length; i++) if (events[i].id === id) return events[i];
    return null;
  }
  function step(id, index) {
    if (!ready || !id || id === last) return;
    last = id;
    var e = eventRecord(id) || {};
    post({ type: "mapper:step", event: id, index: index, title: e.title || "", date: e.date || "" });
  }
  function poll() {
    if (!api || heard) return;
    var id = api.current();
    step(id, api.events.indexOf(id));
  }

  window.mapperAtlasInit = function (D, map, opts) {
    payload = D;
    api = init.apply(this, arguments);
    var id = api.current();
    ready = true;
    post({ type: "mapper:ready", events: api.events.slice(), event: id, index: api.events.indexOf(id) });
    step(id, api.events.indexOf(id));
    if (!heard) timer = window.setInterval(poll, 250);  // the page tells its steps itself: no need to look
    return api;
  };

  window.addEventListener("mapper:step", function (ev) {
    var d = ev.detail || {};
    heard = true;
    if (timer !== null) { window.clearInterval(timer); timer = null; }
    step(d.event, typeof d.index === "number" ? d.index : (api ? api.events.indexOf(d.event) : -1));
  });

  window.addEventListener("message", function (ev) {
    var m = ev.data;
    if (!api || !m || typeof m !== "object" || typeof m.type !== "string") return;
    if (m.type === "mapper:go" && typeof m.event === "string") api.go(m.event);
    else if (m.type === "mapper:next") api.next();
    else if (m.type === "mapper:prev") api.prev();
    else if (m.type === "mapper:play") api.play();
    else if (m.type === "mapper:pause") api.pause();
    else return;
    poll();  // answer at once, without waiting for the next look
  });
})();
