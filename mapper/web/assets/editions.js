/* mapper atlas engine, editions.js: the language switch (the same page in the other editions).
 *
 * The page's switch (templates/editions.html.j2, #atlas-editions) links the other editions' page.
 * On the atlas page each link keeps the step: it ends with "#<event id>" of the step shown, rewritten
 * on every "mapper:step". A per-event map has no panel, so its switch goes on the map, in the
 * bottom-right corner (a Leaflet control added as the map is made, before labels are placed).
 * Leaflet's own controls (zoom buttons, the layers button, a popup's close button, its credit link)
 * are given the edition's words too, so that a screen reader says them in the page's language.
 */
(function () {
  "use strict";
  var links = null;  // the switch's links, each with its address less the hash (found at the first step)
  function switchLinks() {
    return links || (links = Array.prototype.map.call(document.querySelectorAll("#atlas-editions a[data-edition]"),
      function (a) { return [a, a.getAttribute("href").split("#")[0] + "#"]; }));
  }
  function say(node, text, label) {  // a control's tooltip and, for buttons, its accessible name
    if (!node || !text) return;
    node.title = text;
    if (label) node.setAttribute("aria-label", text);
  }
  function leafletWords() {
    var api = window.mapperAtlas, U = window.MapperAtlas && window.MapperAtlas.util;
    if (!api || !api.map || !U) return;
    var c = api.map.getContainer(), t = U.t;
    say(c.querySelector(".leaflet-control-zoom-in"), t("zoomIn"), true);
    say(c.querySelector(".leaflet-control-zoom-out"), t("zoomOut"), true);
    say(c.querySelector(".leaflet-control-layers-toggle"), t("layers"), true);
    say(c.querySelector(".leaflet-control-attribution a[href*='leafletjs']"), t("leafletLink"), false);
    api.map.on("popupopen", function (ev) {
      var close = ev.popup.getElement && ev.popup.getElement() && ev.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) close.setAttribute("aria-label", t("closePopup"));
    });
  }
  window.addEventListener("mapper:ready", leafletWords);
  window.addEventListener("mapper:step", function (ev) {
    var id = ev.detail && ev.detail.event;
    if (!id || document.body.classList.contains("atlas-embed")) return;
    var hash = encodeURIComponent(id);
    switchLinks().forEach(function (l) { l[0].setAttribute("href", l[1] + hash); });
  });
  if (window.L && L.Map && L.Map.addInitHook) {
    L.Map.addInitHook(function () {
      var nav = document.getElementById("atlas-editions");
      if (!nav || !document.body || !document.body.classList.contains("atlas-embed")) return;
      var control = L.control({ position: "bottomright" });
      control.onAdd = function () {
        var box = L.DomUtil.create("div", "leaflet-control atlas-editions-control");
        box.appendChild(nav);
        L.DomEvent.disableClickPropagation(box);
        return box;
      };
      control.addTo(this);
    });
  }
})();
