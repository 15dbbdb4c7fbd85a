/* mapper atlas engine, fixedsvg.js: an SVG renderer whose shapes are projected once.
 *
 * Leaflet's SVG renderer projects every path again at each zoom (a point object per vertex), and
 * clips it and writes its outline again after every move: work in proportion to all the vertices on
 * the map whenever a step moves the view. M.fixedSvg(options) draws each polygon once, in pixels at
 * a reference zoom (the map's maximum, at most 12: a float keeps them well under a pixel), inside
 * one group whose transform (an offset and a scale) is all that a zoom or a pan changes. Strokes
 * keep their width (vector-effect: non-scaling-stroke, atlas.css: .atlas-fixed), hatch patterns
 * their spacing (each pattern a path is filled with gets a patternTransform that undoes the
 * group's scale; legend swatches use copies of them, util.js), and nothing is clipped (the browser leaves
 * out what is out of view). A path taken off the map and put back keeps its element and outline.
 * An animated zoom is Leaflet's own (a CSS transform of the whole layer while it runs). Only
 * polygons and polylines are drawn by it (the places' circle markers keep Leaflet's renderer).
 */
(function (M) {
  "use strict";
  var Poly = L.Polyline.prototype, project0 = Poly._project, update0 = Poly._update;

  function outline(layer, map, z) {  // the layer's rings as one path, integer pixels at zoom z, relative moves
    var crs = map.options.crs, closed = layer instanceof L.Polygon, d = "";
    (function walk(lls) {
      if (!lls.length) return;
      if (!(lls[0] instanceof L.LatLng)) { for (var j = 0; j < lls.length; j++) walk(lls[j]); return; }
      var p = crs.latLngToPoint(lls[0], z), x0 = Math.round(p.x), y0 = Math.round(p.y), sep = "l";
      d += "M" + x0 + " " + y0;
      for (var i = 1; i < lls.length; i++) {
        p = crs.latLngToPoint(lls[i], z);
        var x = Math.round(p.x), y = Math.round(p.y);
        if (x === x0 && y === y0) continue;
        d += sep + (x - x0) + " " + (y - y0);
        sep = " ";
        x0 = x; y0 = y;
      }
      if (closed) d += "z";
    })(layer._latlngs);
    return d || "M0 0";
  }

  // a polyline on a fixed renderer: its outline made once (again only when its points change), no clipping
  L.Polyline.include({
    _project: function () {
      var r = this._renderer;
      if (!r || !r._fixed) return project0.call(this);
      if (this._fixedD === undefined) this._fixedD = outline(this, this._map, r._z0);
    },
    _update: function () {
      var r = this._renderer;
      if (!r || !r._fixed) return update0.call(this);
      if (this._map && this._path._fixedD !== this._fixedD) {
        this._path.setAttribute("d", this._fixedD);
        this._path._fixedD = this._fixedD;
      }
    }
  });

  var Fixed = L.SVG.extend({
    options: { refZoom: 12 },
    _fixed: true,

    onAdd: function (map) {
      var most = map.getMaxZoom();
      this._z0 = Math.min(isFinite(most) ? most : this.options.refZoom, this.options.refZoom);
      this._patterns = map._fixedPatterns = map._fixedPatterns || {};  // id -> [pattern element, its own transform, scale set]
      this._shown = "";
      L.SVG.prototype.onAdd.call(this, map);
    },
    _initContainer: function () {
      L.SVG.prototype._initContainer.call(this);
      L.DomUtil.addClass(this._container, "atlas-fixed");
    },
    _update: function () {  // after a move or zoom: Leaflet's frame and view box, then the group's transform (no path changes)
      if (this._map._animatingZoom && this._bounds) return;
      L.Renderer.prototype._update.call(this);
      var b = this._bounds, size = b.getSize(), c = this._container, map = this._map;
      if (!this._svgSize || !this._svgSize.equals(size)) {
        this._svgSize = size;
        c.setAttribute("width", size.x);
        c.setAttribute("height", size.y);
      }
      L.DomUtil.setPosition(c, b.min);
      c.setAttribute("viewBox", [b.min.x, b.min.y, size.x, size.y].join(" "));
      var o = map.getPixelOrigin(), s = map.getZoomScale(map.getZoom(), this._z0),
          t = "translate(" + -o.x + " " + -o.y + ") scale(" + s + ")";
      if (t !== this._shown) { this._rootGroup.setAttribute("transform", t); this._shown = t; }
      this._scalePatterns();
    },
    _reset: function () {  // a view reset: the frame again, never the paths
      this._update();
      this._updateTransform(this._center, this._zoom);
    },
    _onZoomEnd: function () { /* nothing to project: the move's end sets the transform */ },
    _updatePaths: function () { /* the outlines do not depend on the view */ },
    _updatePath: function (layer) {  // the layer's points changed (setLatLngs, redraw): its outline anew
      delete layer._fixedD;
      layer._project();
      layer._update();
    },
    _initPath: function (layer) {
      if (layer._path && layer._path._fixedBy === this) {  // back on the map: the same element, restyled
        this._updateStyle(layer);
        this._layers[L.stamp(layer)] = layer;
        return;
      }
      L.SVG.prototype._initPath.call(this, layer);
      layer._path._fixedBy = this;
    },
    _updateStyle: function (layer) {
      L.SVG.prototype._updateStyle.call(this, layer);
      var m = /^url\(#([^)]+)\)$/.exec(layer.options.fill && layer.options.fillColor || "");
      if (m && this._patterns && !this._patterns[m[1]]) {
        var el = document.getElementById(m[1]);
        if (el) {
          el._ownTransform = el.getAttribute("patternTransform") || "";  // (what the legend's copies keep, util.js)
          this._patterns[m[1]] = [el, el._ownTransform, 0];
          this._scalePatterns();
        }
      }
    },
    _scalePatterns: function () {  // a hatch as wide on screen at every zoom: its pattern scaled against the group
      if (!this._map) return;
      var k = this._map.getZoomScale(this._z0, this._map.getZoom());
      for (var id in this._patterns) {
        var p = this._patterns[id];
        if (p[2] !== k) {
          p[0].setAttribute("patternTransform", "scale(" + k + ")" + (p[1] ? " " + p[1] : ""));
          p[2] = k;
        }
      }
    }
  });

  M.fixedSvg = function (options) { return new Fixed(options); };
})(window.MapperAtlas = window.MapperAtlas || {});
