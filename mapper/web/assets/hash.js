/* mapper atlas engine, hash.js: the URL hash names the step (index.html#turkmenchay-1828).
 *
 * The page opens the step its hash names, follows hash changes, and rewrites the hash and the
 * document's title (without a history entry, a moment after the reader steps). A hash that names no event ("#nope", or "#%", which is not
 * even valid percent-encoding) opens the first step at load, or leaves the step as it is when the
 * address changes later, and the page says which (onBad(id, kept)). Per-event maps ignore the hash.
 */
(function (M) {
  "use strict";
  M.createHash = function (ctx, onChange, onBad) {
    function raw() { return (location.hash || "").replace(/^#/, ""); }
    function decoded() {
      var id = raw();
      try { return decodeURIComponent(id); } catch (err) { return id; }  // "#%": not an id, said as it is
    }
    function read() {  // the step the hash names, or -1
      var id = decoded();
      return id ? ctx.state.stepOf(id) : -1;
    }
    function complain(kept) {  // the hash names no event: say so (nothing to say without a hash)
      var id = decoded();
      if (id && ctx.state.stepOf(id) < 0) onBad(id.length > 60 ? id.slice(0, 60) + "\u2026" : id, !!kept);
    }
    var pending = null, title = null, timer = null;
    function flush() {
      timer = null;
      if (title !== null) document.title = title;
      title = null;
      if (pending === null || !(window.history && history.replaceState)) return;
      try { history.replaceState(null, "", "#" + pending); } catch (err) { /* a sandboxed frame may refuse */ }
      pending = null;
    }
    // the address (id, unless null) and the document's title, just after the step is drawn (each takes
    // the browser a while): one write for a quick run of steps
    function write(id, text) {
      if (id !== null) pending = id;
      title = text;
      if (timer === null) timer = setTimeout(flush, 120);
    }
    window.addEventListener("hashchange", function () {
      pending = null;  // the reader's own address wins over a write still waiting
      var k = read();
      if (k >= 0 && k !== ctx.cur.k) onChange(k);
      else if (k < 0) complain(true);  // the step shown stays
    });
    return { read: read, write: write, complain: complain };
  };
})(window.MapperAtlas = window.MapperAtlas || {});
