/* mapper atlas engine, controls.js: the full-screen button on the map and the share link of the panel.
 *
 * createFullscreen(ctx) adds a button under the reset button that shows the map frame alone on the
 * screen (the Fullscreen API; none where the browser or the embedding frame does not allow it).
 * share(parent, id) adds a button that copies the address of step id (#event-id): through the
 * clipboard when the browser lets it, and always by showing the address in a text field, selected,
 * so that Ctrl+C copies it; the live region and a note beside the button say which happened. It
 * returns {opened(): whether the field was shown, reset(): back to the button alone}.
 */
(function (M) {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  function icon(d) {
    var svg = document.createElementNS(SVG, "svg"), path = document.createElementNS(SVG, "path");
    svg.setAttribute("viewBox", "0 0 16 16"); svg.setAttribute("width", "16"); svg.setAttribute("height", "16");
    svg.setAttribute("aria-hidden", "true");
    path.setAttribute("d", d); path.setAttribute("fill", "none"); path.setAttribute("stroke", "currentColor"); path.setAttribute("stroke-width", "2");
    svg.appendChild(path);
    return svg;
  }
  M.createFullscreen = function (ctx) {
    var U = M.util, t = U.t, map = ctx.map, frame = map.getContainer(), doc = document;
    var request = frame.requestFullscreen || frame.webkitRequestFullscreen;
    if (!request || !(doc.fullscreenEnabled || doc.webkitFullscreenEnabled)) return null;
    function current() { return doc.fullscreenElement || doc.webkitFullscreenElement || null; }
    var button = null, control = L.control({ position: "topleft" });
    function label() {
      var on = current() === frame;
      button.setAttribute("aria-label", t(on ? "exitFullScreen" : "fullScreen"));
      button.title = t(on ? "exitFullScreen" : "fullScreen");
      button.setAttribute("aria-pressed", on ? "true" : "false");
    }
    control.onAdd = function () {
      var bar = U.el("div", "leaflet-bar leaflet-control atlas-fullscreen");
      button = U.add(bar, "button");
      button.type = "button";
      button.appendChild(icon("M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5"));
      label();
      L.DomEvent.disableClickPropagation(bar);
      L.DomEvent.on(button, "click", function () {
        if (current()) (doc.exitFullscreen || doc.webkitExitFullscreen).call(doc);
        else {
          var p = request.call(frame);
          if (p && p.catch) p.catch(function () { /* refused (no user gesture, a frame that forbids it) */ });
        }
      });
      return bar;
    };
    control.addTo(map);
    function changed() {
      label();
      map.invalidateSize({ animate: false });
      if (ctx.layoutLabels) ctx.layoutLabels();
    }
    doc.addEventListener("fullscreenchange", changed);
    doc.addEventListener("webkitfullscreenchange", changed);
    return control;
  };
  M.share = function (parent, id) {
    var U = M.util, t = U.t, wrap = U.add(parent, "div", "share");
    var button = U.add(wrap, "button", "share-button", t("share")), note = U.add(wrap, "span", "share-note");
    var field = U.add(wrap, "input", "share-url"), open = false;
    button.type = "button";
    note.setAttribute("aria-hidden", "true");  // the live region says it
    field.type = "text"; field.readOnly = true; field.hidden = true;
    field.setAttribute("aria-label", t("shareField"));
    function said(key) {
      var live = document.getElementById("atlas-live");
      if (live) live.textContent = t(key);
      note.textContent = " " + t(key);
    }
    button.addEventListener("click", function () {
      var url = location.href.split("#")[0] + "#" + id;
      field.value = url;
      field.hidden = false;
      open = true;
      field.focus();
      field.select();
      var clip = navigator.clipboard;
      if (clip && clip.writeText) {
        try {
          clip.writeText(url).then(function () { said("shareCopied"); }, function () { said("shareSelected"); });
          return;
        } catch (err) { /* no clipboard here: the field is selected */ }
      }
      said("shareSelected");
    });
    return {
      opened: function () { return open; },
      reset: function () { field.value = ""; field.hidden = true; note.textContent = ""; open = false; }
    };
  };
})(window.MapperAtlas = window.MapperAtlas || {});
