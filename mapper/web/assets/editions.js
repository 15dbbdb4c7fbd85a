/* mapper atlas engine, editions.js: the language switch (the same page in the other editions).
 *
 * The page's switch (templates/editions.html.j2, #atlas-editions) links the other editions' page.
 * On the atlas page each link keeps the step: it ends with "#<event id>" of the step shown, rewritten
 * on every "mapper:step". A per-event map has no panel, so its switch goes on the map, in the
 * bottom-right corner (a Leaflet control added as the map is made, before labels are placed).
 */
(function () {
  "use strict";
  function switchLinks() { return document.querySelectorAll("#atlas-editions a[data-edition]"); }
  window.addEventListener("mapper:step", function (ev) {
    var id = ev.detail && ev.detail.event;
    if (!id || document.body.classList.contains("atlas-embed")) return;
    Array.prototype.forEach.call(switchLinks(), function (a) {
      a.setAttribute("href", a.getAttribute("href").split("#")[0] + "#" + encodeURIComponent(id));
    });
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
