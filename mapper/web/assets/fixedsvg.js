/* mapper atlas engine, fixedsvg.js: an SVG renderer whose shapes are projected once.
 *
 * Leaflet's SVG renderer projects every path again at each zoom (a point object per vertex), and
 * clips it and writes its outline again after every move: work in proportion to all the vertices on
 * the map whenever a step moves the view. M.fixedSvg(options) draws each polygon once, in pixels at
 * a reference zoom (the map's maximum, at most 12: a float keeps them well under a pixel), in an SVG
 * frame whose view box (an offset and a scale, in those pixels) is all that a zoom or a pan changes. Strokes
 * keep their width (vector-effect: non-scaling-stroke, atlas.css: .atlas-fixed), hatch patterns
 * their spacing (each pattern a path is filled with gets a patternTransform that undoes the
 * view box's scale; legend swatches use copies of them, util.js), and nothing is clipped (the browser leaves
 * out what is out of view). A path taken off the map and put back keeps its element and outline.
 * An animated zoom is Leaflet's own (a CSS transform of the whole layer while it runs). Circle
 * markers are drawn once too, and scaled about their centres by the style sheet (atlas.css: --k).
 * One renderer can hold several layers of shapes (options.groups: a group each, in drawing order; a
 * path goes into the group its options.group names), so that a move updates one SVG frame, not one per layer.
 */
(function (M) {
  "use strict";
  var Poly = L.Polyline.prototype, project0 = Poly._project, update0 = Poly._update, SVG = L.SVG.prototype,
      Dot = L.CircleMarker.prototype, dotProject0 = Dot._project, dotUpdate0 = Dot._update;

  function refZoom(map) { return Math.min(map.getMaxZoom(), 12); }  // the zoom outlines are written at
  function outline(layer, map) {  // the layer's rings as one path: integer pixels at the reference zoom, each point after the first relative
    var crs = map.options.crs, z = refZoom(map), end = layer instanceof L.Polygon ? "z" : "", d = "";
    (function walk(lls) {
      if (lls[0] && !(lls[0] instanceof L.LatLng)) return lls.forEach(walk);
      var x0, y0, sep = "M";
      lls.forEach(function (ll, i) {
        var p = crs.latLngToPoint(ll, z), x = Math.round(p.x), y = Math.round(p.y);
        if (!i) d += sep + x + " " + y;
        else if (x !== x0 || y !== y0) d += sep + (x - x0) + " " + (y - y0);
        else return;
        sep = i ? " " : "l";
        x0 = x; y0 = y;
      });
      if (lls.length) d += end;
    })(layer._latlngs);
    return d || "M0 0";
  }

  // a polyline on a fixed renderer: its outline made once (again only when its points change), never clipped
  L.Polyline.include({
    _project: function () {
      var r = this._renderer;
      if (!r._z0) return project0.call(this);
      if (!this._fixedD) this._fixedD = outline(this, this._map);
    },
    _update: function () {
      var path = this._path;
      if (!this._renderer._z0) return update0.call(this);
      if (this._map && path._d !== this._fixedD) path.setAttribute("d", path._d = this._fixedD);
    }
  });

  // a circle marker on a fixed renderer: drawn once (again when it moves) at its radius in the pixels of
  // the reference zoom; the style sheet scales it about its centre by the renderer's --k (written once
  // per zoom), so that it is as large on screen at every zoom: nothing to write per marker after a move
  L.CircleMarker.include({
    _project: function () {
      var r = this._renderer;
      if (!r._z0) return dotProject0.call(this);
      if (this._fixedAt !== this._latlng) this._fixedP = this._map.options.crs.latLngToPoint(this._fixedAt = this._latlng, r._z0);
    },
    _update: function () {
      var r = this._renderer, p = this._fixedP, s = Math.max(this._radius, 1), d;
      if (!r._z0) return dotUpdate0.call(this);
      if (!this._map) return;
      d = "M" + (p.x - s) + " " + p.y + "a" + s + " " + s + " 0 1 0 " + 2 * s + " 0a" + s + " " + s + " 0 1 0 " + -2 * s + " 0";
      if (this._path._d !== d) this._path.setAttribute("d", this._path._d = d);
    }
  });

  var Fixed = L.SVG.extend({
    _initContainer: function () {  // the root group, and in it a group for each of options.groups (in drawing order)
      SVG._initContainer.call(this);
      var root = this._rootGroup, groups = this._groups = {};
      (this.options.groups || []).forEach(function (name) {
        groups[name] = root.appendChild(L.SVG.create("g"));
        groups[name].setAttribute("class", "atlas-" + name);
      });
    },
    _addPath: function (layer) {  // into the group its options name (group), else the root group
      if (!this._rootGroup) this._initContainer();
      (this._groups[layer.options.group] || this._rootGroup).appendChild(layer._path);
      layer.addInteractiveTarget(layer._path);
    },
    onAdd: function (map) {
      this._z0 = refZoom(map);
      if (map._fixedResets === undefined) {  // a view reset (no animation) counted while it runs: its zoom event needs no transform
        var reset = map._resetView;
        map._fixedResets = 0;
        map._resetView = function () {
          this._fixedResets++;
          try { return reset.apply(this, arguments); } finally { this._fixedResets--; }
        };
      }
      this._hatches = map._hatches = map._hatches || [];  // the patterns the map's paths are filled with
      SVG.onAdd.call(this, map);
      L.DomUtil.addClass(this._container, "atlas-fixed");
      this._updatePaths();
    },
    _update: function () {  // after each move: the frame where Leaflet puts it, and its view box in the pixels of the
      // reference zoom (the offset and the scale of a move in one attribute: nothing else in the frame is written)
      var map = this._map, c = this._container, b, size, o, k, vb;
      if (map._animatingZoom && this._bounds) return;
      L.Renderer.prototype._update.call(this);
      b = this._bounds; size = b.getSize(); o = map.getPixelOrigin(); k = map.getZoomScale(this._z0, map.getZoom());
      if (!this._svgSize || !this._svgSize.equals(size)) {
        this._svgSize = size;
        c.setAttribute("width", size.x);
        c.setAttribute("height", size.y);
      }
      L.DomUtil.setPosition(c, b.min);
      vb = (b.min.x + o.x) * k + " " + (b.min.y + o.y) * k + " " + size.x * k + " " + size.y * k;
      if (vb !== this._shown) c.setAttribute("viewBox", this._shown = vb);
      this.fire("update");
    },
    _updatePaths: function () {  // after each move: no path changes, only what scales with the zoom
      var k = this._map.getZoomScale(this._z0, this._map.getZoom());
      if (this._k !== k) this._container.style.setProperty("--k", this._k = k);  // a new zoom: the circle markers' scale
      this._hatches.forEach(function (el) {  // each hatch as wide on screen at every zoom: scaled against the view box
        if (el._k !== k) el.setAttribute("patternTransform", "scale(" + (el._k = k) + ") " + el._own);
      });
    },
    _onZoom: function () {  // a zoom under way (an animation, a pinch) transforms the frame until it ends; not in a view reset,
      // whose move's end (the same task) updates the frame
      if (!this._map._fixedResets) SVG._onZoom.call(this);
    },
    _onZoomEnd: function () {},  // (Leaflet projects every layer again: the outlines here are made once)
    _reset: function () {  // a new view: Leaflet's, without projecting and updating each layer again (nothing to do);
      // in a view reset its move's end has just updated the frame: only Leaflet's (unrounded) offset is written
      if (!this._map._fixedResets) this._update();
      this._updateTransform(this._center, this._zoom);
    },
    _updatePath: function (layer) {  // the layer's points changed (setLatLngs, redraw): its outline anew
      layer._fixedD = null;
      layer._reset();
    },
    _initPath: function (layer) {
      if (layer._path && layer._path._by === this) {  // back on the map: the same element, as styled (a path's setStyle
        this._layers[L.stamp(layer)] = layer;         // writes to it off the map too: nothing to write again)
      } else {
        SVG._initPath.call(this, layer);
        layer._path._by = this;
      }
    },
    _updateStyle: function (layer) {
      SVG._updateStyle.call(this, layer);
      this.hatch(layer.options.fillColor);
    },
    hatch: function (fill) {  // a fill that is a hatch pattern: counter-scaled from now on (once per pattern)
      var known = this._known || (this._known = {});  // the fills looked at (a step restyles with a few over and over)
      if (known[fill]) return;
      var m = /^url\(#(.+)\)$/.exec(fill), el = m && document.getElementById(m[1]);
      if (!m || el) known[fill] = true;
      if (el && el._own === undefined) {
        el._own = el.getAttribute("patternTransform") || "";  // (what the legend's copies keep, util.js)
        this._hatches.push(el);
        if (this._shown) this._updatePaths();
      }
    }
  });

  M.fixedSvg = function (options) { return new Fixed(options); };
  M.fixedSvg.outline = function (layer, map) { layer._fixedD = layer._fixedD || outline(layer, map); };  // made ahead (layers.js)
})(window.MapperAtlas = window.MapperAtlas || {});
