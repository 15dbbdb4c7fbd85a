/* mapper atlas engine, topology.js: the map's shapes decoded from the payload's topology.
 *
 * payload.arcs holds every border once (mapper/web/shapes.py, payload.py): zigzag varints, 5 bits a
 * character in the base64url alphabet (the 6th bit set when more follow): arcs.points the number of
 * points of each arc, arcs.x and arcs.y the steps from point to point (payload.grid degrees), all
 * arcs one after another. A shape is polygons -> rings ->
 * a varint string of arc references (i, or ~i for arc i walked backwards). setArcs(arcs, grid)
 * decodes the arcs once; decode(shape) returns Leaflet latlngs ([polygon][ring][[lat, lon]]).
 */
(function (M) {
  "use strict";
  var GRID = 0.001, B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", DIGIT = {}, ARCS = [];
  for (var b = 0; b < 64; b++) DIGIT[B64.charCodeAt(b)] = b;
  function varints(s) {
    var out = [], z = 0, shift = 0;
    for (var i = 0; i < s.length; i++) {
      var c = DIGIT[s.charCodeAt(i)];
      z += (c & 31) * Math.pow(2, shift);
      if (c & 32) { shift += 5; continue; }
      out.push(z % 2 ? -(z + 1) / 2 : z / 2);
      z = 0; shift = 0;
    }
    return out;
  }
  function setArcs(arcs, grid) {
    var n = varints(arcs.points), dx = varints(arcs.x), dy = varints(arcs.y), x = 0, y = 0, j = 0;
    GRID = grid || GRID;
    ARCS = n.map(function (len) {
      var out = new Array(len);
      for (var i = 0; i < len; i++, j++) {
        x += dx[j]; y += dy[j];
        out[i] = [Math.round(y * GRID * 1e6) / 1e6, Math.round(x * GRID * 1e6) / 1e6];
      }
      return out;
    });
  }
  function ring(s) {  // a ring's arcs joined, each shared end point once
    var refs = varints(s), out = [];
    refs.forEach(function (r, n) {
      var a = r >= 0 ? ARCS[r] : ARCS[~r], len = a.length;
      for (var i = n ? 1 : 0; i < len; i++) out.push(r >= 0 ? a[i] : a[len - 1 - i]);
    });
    return out;
  }
  function decode(g) { return g.map(function (poly) { return poly.map(ring); }); }
  M.topology = { setArcs: setArcs, decode: decode };
})(window.MapperAtlas = window.MapperAtlas || {});
