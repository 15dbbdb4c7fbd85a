/* mapper atlas engine, util.js: DOM helpers, the page's words, number format, legend swatches (geometry: topology.js).
 *
 * Loaded first; every file adds its part to the one namespace window.MapperAtlas. Text from the
 * data is only ever set with textContent (never innerHTML). Every sentence comes from the payload's
 * words (t(key, fields), tn(key, n) for plurals), so the script holds no English of its own.
 * Numbers are written in the page's language in one place (fmt: the payload's digits and group
 * separator, Persian digits in the Persian edition; no Intl, whose first use is slow), and a number
 * given to t() as a field is written by it too; plural categories come from the payload's table. An element
 * whose text is in another script than the page's (an English source title in the Persian edition,
 * a Russian name in a popup) gets that language's lang attribute (and its direction), so screen
 * readers and fonts treat it as what it is.
 */
(function (M) {
  "use strict";
  var SCRIPTS = [["fa", /[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]/g], ["ru", /[\u0400-\u04ff]/g], ["en", /[A-Za-z\u00c0-\u024f]/g]];
  function scriptLang(text) {  // the language of the script most of the text's letters are in, or null
    var best = null, most = 0;
    text = String(text);
    if (!/[^\x00-\x7f]/.test(text)) return /[A-Za-z]/.test(text) ? "en" : null;  // plain ASCII: English or no letters
    SCRIPTS.forEach(function (s) { var n = (text.match(s[1]) || []).length; if (n > most) { most = n; best = s[0]; } });
    return best;
  }
  function mark(e, text) {  // lang (and dir) on an element whose text is in another script than the page's
    var l = scriptLang(text);
    if (!l || l === LANG || (l === "en" && LANG !== "fa" && LANG !== "ru")) return e;
    e.lang = l;
    if (e.tagName === "LI") return e;  // a list item keeps the list's side for its marker (its text is in a span)
    if (l === "fa") e.dir = "rtl"; else if (LANG === "fa") e.dir = "ltr";
    return e;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) { e.textContent = text; mark(e, text); }
    return e;
  }
  function add(parent, tag, cls, text) { var e = el(tag, cls, text); parent.appendChild(e); return e; }
  var W = {}, LANG = "en", NF = null, PLURAL = ["one", "few", "many", "other"];  // by their code (messages.PLURAL_CODES)
  function setWords(words, lang) { W = words || {}; LANG = lang || "en"; }
  function fmt(n) {  // a whole number in the page's digits, grouped by thousands (as Intl.NumberFormat writes it)
    n = Math.round(Math.abs(n));
    var d = W["digits"], g = W["group"], s = String(n).replace(/\B(?=(\d{3})+(?!\d))/g, g === undefined ? "," : g);
    return d && d.length === 10 ? s.replace(/\d/g, function (c) { return d.charAt(+c); }) : s;
  }
  function num(n) {  // a number given to t() as a field; a negative one through Intl (made when first needed)
    if (n >= 0 && n === Math.round(n)) return fmt(n);
    try { NF = NF || new Intl.NumberFormat(LANG, { maximumFractionDigits: 0 }); return NF.format(n); } catch (err) { return String(n); }
  }
  function fill(s, fields) {  // {name} fields; numbers in the page's digits
    return fields ? s.replace(/\{(\w+)\}/g, function (m, n) {
      if (!Object.prototype.hasOwnProperty.call(fields, n)) return m;
      return typeof fields[n] === "number" ? num(fields[n]) : String(fields[n]);
    }) : s;
  }
  function t(key, fields) { var s = W[key]; return fill(typeof s === "string" ? s : key, fields); }
  function plural(n) {  // the CLDR category of a whole number (the payload's table, from Babel)
    var table = W["plurals"] || [], c = table[n < 200 ? n : 100 + n % 100];
    return c !== undefined ? PLURAL[c] || "other" : (n === 1 ? "one" : "other");
  }
  function tn(key, n) {  // a plural message (payload words: CLDR category -> form) for the count n
    var forms = W[key] || {};
    return fill(forms[plural(Math.round(Math.abs(n)))] || forms.other || key, { n: fmt(n) });
  }
  function km2(n) { return t("km2", { area: fmt(n) }); }
  function changeText(c) {  // a change in words (panel and popup)
    var text = c.kind === "claim" ? t("claimLine", { caption: c.caption, area: km2(c.km2) })
      : t("changeLine", { caption: c.caption, from: c.from_name, to: c.to_name, area: km2(c.km2) });
    return c.certainty ? t("withCertainty", { text: text, certainty: t("certainty." + c.certainty) }) : text;  // (none: high)
  }
  function safeUrl(u) { return typeof u === "string" && /^https?:\/\/[^\s]+$/i.test(u) ? u : null; }

  function names(parent, rec) {  // a record's names in the editions' other languages (English, Persian, Russian)
    var all = { en: rec.name_en, fa: rec.name_fa, ru: rec.name_ru };
    ["en", "fa", "ru"].forEach(function (l) {
      var name = all[l];
      if (l === LANG || !name || name === rec.name) return;
      var p = add(parent, "p", "name-" + l, name);
      p.lang = l;
      p.dir = l === "fa" ? "rtl" : "ltr";
    });
  }
  function field(parent, label, text) {
    var p = add(parent, "p", "field");
    add(p, "strong", null, label + ": ");
    add(p, "span", null, text);
    return p;
  }
  var WIKIPEDIA = "https://en.wikipedia.org/wiki/";  // a source with wiki: its title names the article ("Wikipedia: ...")
  function sourceList(parent, sources, heading) {  // sources: strings, or {title, url, wiki} records
    if (!sources || !sources.length) return;
    if (heading) add(parent, "h3", null, heading);
    var ul = add(parent, "ul", "sources");
    sources.forEach(function (s) {
      var li = add(ul, "li"), title = typeof s === "string" ? s : s.title, url = typeof s === "string" ? null
        : s.wiki ? WIKIPEDIA + encodeURI(title.slice(title.indexOf(": ") + 2).replace(/ /g, "_")) : safeUrl(s.url);
      if (url) {
        var a = add(li, "a", null, title);
        a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
      } else {
        add(li, "span", null, title);
      }
    });
  }
  function keyFill(fill) {  // a hatch for a swatch: a copy of the map's pattern, which the map scales with its zoom (fixedsvg.js)
    var m = /^url\(#([^)]+)\)$/.exec(fill || ""), id = m && m[1] + "-key";
    if (!m || document.getElementById(id)) return m ? "url(#" + id + ")" : fill;
    var el = document.getElementById(m[1]);
    if (!el) return fill;
    var copy = el.cloneNode(true);
    copy.id = id;
    if (el._own !== undefined) copy.setAttribute("patternTransform", el._own);  // (its transform before a map scaled it)
    el.parentNode.appendChild(copy);
    return "url(#" + id + ")";
  }
  var swatches = {};  // each swatch made once, then copied (a clone is cheaper than its attributes written again)
  function swatch(kind, spec) {  // a small SVG for the legend: "rect", "circle" or "line"
    var key = kind + JSON.stringify(spec), made = swatches[key];
    if (made) return made.cloneNode(true);
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "26"); svg.setAttribute("height", "16"); svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", "swatch");
    var shape;
    if (kind === "circle") {
      shape = document.createElementNS(ns, "circle");
      shape.setAttribute("cx", "13"); shape.setAttribute("cy", "8"); shape.setAttribute("r", spec.r || "4");
    } else if (kind === "line") {
      shape = document.createElementNS(ns, "line");
      shape.setAttribute("x1", "1"); shape.setAttribute("y1", "8"); shape.setAttribute("x2", "25"); shape.setAttribute("y2", "8");
    } else {
      shape = document.createElementNS(ns, "rect");
      shape.setAttribute("x", "1.5"); shape.setAttribute("y", "1.5"); shape.setAttribute("width", "23"); shape.setAttribute("height", "13");
    }
    shape.setAttribute("fill", keyFill(spec.fill) || "none");
    if (spec.fillOpacity) shape.setAttribute("fill-opacity", spec.fillOpacity);
    shape.setAttribute("stroke", spec.stroke || "none");
    shape.setAttribute("stroke-width", spec.width || "1");
    if (spec.dash) shape.setAttribute("stroke-dasharray", spec.dash);
    svg.appendChild(shape);
    swatches[key] = svg;
    return svg.cloneNode(true);
  }
  M.util = { el: el, add: add, mark: mark, fmt: fmt, t: t, tn: tn, km2: km2, changeText: changeText, setWords: setWords, safeUrl: safeUrl, names: names, field: field,
             sourceList: sourceList, swatch: swatch };
})(window.MapperAtlas = window.MapperAtlas || {});
