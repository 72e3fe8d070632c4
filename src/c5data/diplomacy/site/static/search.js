/* c5data release site: search. MiniSearch (static/minisearch.js, MIT, see LICENSE-minisearch.txt) indexes the records of
   search-index.js in the reader's browser; no network. Names are folded before indexing and searching alike: diacritics
   and apostrophes dropped (Xi'an = Xian, Aşgabat = Asgabat), the Kazakh, Tajik and Uzbek Cyrillic letters read as their
   Russian neighbours (Тоқаев = Токаев), so one spelling finds the other; prefixes and one typo (two in a long word)
   are tolerated; Chinese text is also indexed by pairs of characters, since it has no spaces between words. */
(function () {
  "use strict";

  var KINDS = { person: "Person", country: "Country", place: "Place", meeting: "Meeting", document: "Document", pledge: "Pledge", source: "Source" };
  var WEIGHT = { person: 1.6, country: 1.5, place: 1.5, meeting: 1.2, document: 1, pledge: 1, source: 0.7 };
  var LETTERS = { "қ": "к", "ғ": "г", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "ә": "а", "і": "и", "ҳ": "х", "ҷ": "ч", "ı": "i" };
  var HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
  var SHOWN = 20;

  function fold(text) {
    return String(text || "")
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[қғңөұүһәіҳҷı]/g, function (c) { return LETTERS[c]; })
      .replace(/['’‘ʼʻ`´]/g, "");
  }

  function words(text) {
    return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  function indexTerms(text) {
    var out = [];
    words(text).forEach(function (w) {
      out.push(w);
      if (HAN.test(w) && w.length > 2) for (var i = 0; i + 2 <= w.length; i++) out.push(w.slice(i, i + 2));
    });
    return out;
  }

  function same(term) { return term; }

  function fuzziness(term) {
    if (HAN.test(term)) return 0;
    return term.length >= 8 ? 2 : term.length >= 4 ? 1 : 0;
  }

  function prefix(term) { return term.length >= 2 || HAN.test(term); }

  function build(records) {
    var docs = records.map(function (r, i) {
      return { id: i, kind: r.kind, name: r.name, others: r.others, detail: r.detail, href: r.href, text: r.text };
    });
    var engine = new window.MiniSearch({
      fields: ["name", "others", "text"],
      extractField: function (doc, field) { return field === "others" ? doc.others.join(" \u2022 ") : doc[field]; },
      tokenize: indexTerms,
      processTerm: same,
      searchOptions: { tokenize: words, processTerm: same }
    });
    engine.addAll(docs);
    return { docs: docs, engine: engine };
  }

  /* The ranked matches of `query`: every word (prefix or typo allowed), else some of the words; `suggest` when neither. */
  function find(index, query) {
    var weight = function (id) { return WEIGHT[index.docs[id].kind] || 1; };
    var options = { boost: { name: 3, others: 2, text: 1 }, prefix: prefix, fuzzy: fuzziness, boostDocument: weight };
    var hits = index.engine.search(query, Object.assign({ combineWith: "AND" }, options));
    if (hits.length) return { hits: hits, how: "all" };
    hits = index.engine.search(query, Object.assign({ combineWith: "OR" }, options));
    if (hits.length && words(query).length > 1) return { hits: hits, how: "some" };
    return { hits: suggestions(index, query), how: "suggest" };
  }

  /* The closest names to a query nothing matched: people, places, countries and meetings whose names are within a third
     of the query's letters of it. */
  function suggestions(index, query) {
    var names = { person: 1, place: 1, country: 1, meeting: 1 };
    return index.engine.search(query, {
      fields: ["name", "others"],
      combineWith: "OR",
      prefix: true,
      fuzzy: function (term) { return HAN.test(term) ? 0 : 0.4; },
      maxFuzzy: 4,
      filter: function (hit) { return names[index.docs[hit.id].kind] === 1; },
      boostDocument: function (id) { return WEIGHT[index.docs[id].kind] || 1; }
    }).slice(0, 5);
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function item(doc, hit, root) {
    var li = el("li", { "class": "result result-" + doc.kind, "data-kind": doc.kind });
    li.appendChild(el("span", { "class": "result-kind" }, KINDS[doc.kind] || doc.kind));
    li.appendChild(document.createTextNode(" "));
    li.appendChild(el("a", { href: root + doc.href }, doc.name));
    var matched = hit.terms || [];
    var also = doc.others.filter(function (o) { return indexTerms(o).some(function (t) { return matched.indexOf(t) !== -1; }); });
    if (also.length) li.appendChild(el("span", { "class": "result-alias" }, " (" + also.slice(0, 3).join(", ") + ")"));
    if (doc.detail) li.appendChild(el("span", { "class": "result-detail" }, doc.detail));
    return li;
  }

  function setup() {
    var form = document.querySelector("form.site-search");
    if (!form || !window.C5DATA_SEARCH || !window.MiniSearch) return;
    var root = form.getAttribute("data-root") || "";
    var input = form.querySelector("input[type=search]");
    var out = form.querySelector(".search-results");
    var index = null;
    form.classList.add("search-on");

    function run() {
      var query = input.value.trim();
      out.textContent = "";
      if (!words(query).length) { out.hidden = true; return; }
      index = index || build(window.C5DATA_SEARCH);
      var found = find(index, query);
      var list = el("ul", { "class": found.how === "suggest" ? "suggestions" : "results" });
      found.hits.slice(0, SHOWN).forEach(function (hit) { list.appendChild(item(index.docs[hit.id], hit, root)); });
      var n = found.hits.length;
      var text;
      if (found.how === "suggest") text = n ? "Nothing found for “" + query + "”. Closest names:" : "Nothing found for “" + query + "”.";
      else text = n + " found" + (found.how === "some" ? " (matching some of the words)" : "") + (n > SHOWN ? " (first " + SHOWN + " shown)" : "");
      out.appendChild(el("p", { "class": found.how === "suggest" ? "result-count result-none" : "result-count" }, text));
      if (n) out.appendChild(list);
      out.hidden = false;
    }

    input.addEventListener("input", run);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); run(); var first = out.querySelector("a"); if (first) first.focus(); });
    input.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { input.value = ""; run(); } });
    var asked = new URLSearchParams(window.location.search).get("q");
    if (asked) { input.value = asked; run(); }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
