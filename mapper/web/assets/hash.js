/* mapper atlas engine, hash.js: the URL hash names the step (index.html#turkmenchay-1828).
 *
 * The page opens the step its hash names, follows hash changes, and rewrites the hash (without a
 * history entry) when the reader steps. Per-event maps ignore the hash.
 */
(function (M) {
  "use strict";
  M.createHash = function (ctx, onChange) {
    function read() {  // the step the hash names, or -1
      var id = (location.hash || "").replace(/^#/, "");
      try { id = decodeURIComponent(id); } catch (err) { return -1; }  // "#%" and the like: no such step
      return id ? ctx.state.stepOf(id) : -1;
    }
    function write(id) {
      if (!(window.history && history.replaceState)) return;
      try { history.replaceState(null, "", "#" + id); } catch (err) { /* a sandboxed frame may refuse */ }
    }
    window.addEventListener("hashchange", function () {
      var k = read();
      if (k >= 0 && k !== ctx.cur.k) onChange(k);
    });
    return { read: read, write: write };
  };
})(window.MapperAtlas = window.MapperAtlas || {});
