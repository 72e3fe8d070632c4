/* c5data release site: the browse pages (search is static/search.js). Plain JavaScript, no framework, no network. */
(function () {
  "use strict";

  function fold(text) {
    return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[’']/g, "'");
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  /* ---- browse pages ---------------------------------------------------------------------------------------- */
  /* A cell is text, or a list of references [id, link, name]. Filters, facets, sort and page live in the address's
     query string (as Datasette writes them: column=value, column__year=2024, column__contains=text, _sort, _sort_desc,
     _start: the first row shown), so a filtered view reloads and is shared with the same rows. */
  function cellText(cell, delim) {
    if (cell === null || cell === undefined) return "";
    if (typeof cell === "string") return cell;
    return cell.map(function (ref) { return ref[0]; }).join(delim || ";");
  }

  function cellLabels(cell, delim, bare) {
    if (!cell || typeof cell === "string") return "";
    return cell.map(function (ref) { return ref[2] || (bare ? "" : ref[0]); }).join(delim || ";");
  }

  function cellItems(cell, delim) {
    if (cell === null || cell === undefined || cell === "") return [];
    if (typeof cell === "string") return delim ? cell.split(delim) : [cell];
    return cell.map(function (ref) { return ref[0]; });
  }

  function csvField(text) {
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  window.C5DATA_CSV_FIELD = csvField; // the SQL page writes its CSV the same way

  function setupBrowse(box) {
    var data = JSON.parse(box.querySelector("script.browse-data").textContent);
    var cols = data.columns;
    var rows = data.rows; /* [anchor id, row link, cells...] */
    var controls = box.querySelector(".browse-controls");
    var tbody = box.querySelector("tbody");
    var count = box.querySelector(".browse-count");
    var pager = box.querySelector(".browse-pager");
    var facets = data.facets; /* {key, column, kind: value | list | year} */
    var state = { facets: {}, filters: {}, sort: null, desc: false, page: 0 };
    var phone = window.matchMedia && window.matchMedia("(max-width: 44rem)").matches;
    var size = phone ? data.phonePageSize : data.pageSize; /* a phone shows rows as cards: fewer at a time */
    var panel = box.querySelector("details.browse-filters");
    controls.hidden = false;
    if (phone && panel) panel.open = false; /* on a phone the facets fold under one line that says how many are set */

    function text(row, i) { return cellText(row[i + 2], data.delimiters[i]); }
    function searchable(row, i) { return fold(text(row, i) + " " + cellLabels(row[i + 2], data.delimiters[i])); }
    function facetValues(row, f) {
      var items = cellItems(row[f.column + 2], data.delimiters[f.column]);
      return f.kind === "year" ? items.map(function (v) { return v.slice(0, 4); }) : items;
    }

    function matches(row, skipFacet) {
      for (var k = 0; k < facets.length; k++) {
        var f = facets[k], chosen = state.facets[f.key];
        if (f.key === skipFacet || !chosen || !chosen.length) continue;
        if (!facetValues(row, f).some(function (v) { return chosen.indexOf(v) !== -1; })) return false;
      }
      for (var c in state.filters) {
        if (searchable(row, +c).indexOf(state.filters[c]) === -1) return false;
      }
      return true;
    }

    function filtered() {
      var out = rows.filter(function (r) { return matches(r, null); });
      if (state.sort !== null) {
        var i = state.sort, num = data.numeric[i], sign = state.desc ? -1 : 1;
        out = out.slice().sort(function (a, b) {
          var x = data.named[i] ? cellLabels(a[i + 2]) : text(a, i), y = data.named[i] ? cellLabels(b[i + 2]) : text(b, i);
          if (x === "" || y === "") return x === y ? 0 : x === "" ? 1 : -1;
          if (num) return sign * (parseFloat(x) - parseFloat(y));
          return sign * (x < y ? -1 : x > y ? 1 : 0);
        });
      }
      return out;
    }

    function renderCell(td, cell, row, i) {
      if (cell === null || cell === undefined) return;
      if (typeof cell === "string") {
        if (i === 0 && row[1]) td.appendChild(el("a", { href: row[1] }, cell));
        else td.textContent = cell;
        return;
      }
      cell.forEach(function (ref, k) {
        if (k) td.appendChild(document.createTextNode(ref[2] ? "; " : " "));
        var attrs = ref[2] ? { title: ref[0] } : {};
        if (ref[1]) attrs.href = ref[1];
        td.appendChild(ref[1] || ref[2] ? el(ref[1] ? "a" : "span", attrs, ref[2] || ref[0]) : document.createTextNode(ref[0]));
      });
    }

    /* the state as a query string, and back */
    function toQuery() {
      var q = new URLSearchParams();
      facets.forEach(function (f) { (state.facets[f.key] || []).forEach(function (v) { q.append(f.key, v); }); });
      Object.keys(state.filters).sort(function (a, b) { return a - b; }).forEach(function (c) {
        q.append(cols[c] + "__contains", box.querySelector('input.column-filter[data-column="' + c + '"]').value.trim());
      });
      if (state.sort !== null) q.append(state.desc ? "_sort_desc" : "_sort", cols[state.sort]);
      if (state.page) q.append("_start", String(state.page * size + 1)); /* the first row shown: the same on any screen */
      return q.toString();
    }

    function fromQuery(search) {
      var q = new URLSearchParams(search);
      state = { facets: {}, filters: {}, sort: null, desc: false, page: 0 };
      facets.forEach(function (f) {
        var chosen = q.getAll(f.key);
        if (chosen.length) state.facets[f.key] = chosen;
        box.querySelectorAll('fieldset[data-facet="' + f.key + '"] input[type=checkbox]').forEach(function (cb) { cb.checked = chosen.indexOf(cb.value) !== -1; });
      });
      box.querySelectorAll("input.column-filter").forEach(function (input) {
        var i = input.getAttribute("data-column"), v = q.get(cols[i] + "__contains") || "";
        input.value = v;
        if (fold(v).trim()) state.filters[i] = fold(v).trim();
      });
      var by = q.get("_sort_desc") || q.get("_sort");
      if (by !== null && cols.indexOf(by) !== -1) { state.sort = cols.indexOf(by); state.desc = q.has("_sort_desc"); }
      var start = parseInt(q.get("_start") || "1", 10);
      state.page = start > 1 ? Math.floor((start - 1) / size) : 0;
    }

    function remember() {
      var query = toQuery();
      var hash = /^#row-/.test(location.hash) ? location.hash : "";
      try { history.replaceState(null, "", (query ? "?" + query : location.pathname) + hash); } catch (e) { /* an address the browser will not rewrite: the view still works */ }
    }

    function render() {
      var shown = filtered();
      var pages = Math.max(1, Math.ceil(shown.length / size));
      if (location.hash && /^#row-/.test(location.hash) && !render.jumped) {
        /* a link to one row opens the page of rows that holds it */
        render.jumped = true;
        var at = shown.findIndex(function (r) { return "#" + r[0] === decodeURIComponent(location.hash); });
        if (at >= 0) state.page = Math.floor(at / size);
      }
      if (state.page >= pages) state.page = pages - 1;
      var slice = shown.slice(state.page * size, state.page * size + size);
      var fresh = document.createElement("tbody");
      slice.forEach(function (row) {
        var tr = el("tr", { id: row[0] });
        cols.forEach(function (name, i) {
          var td = el("td", { "data-label": name });
          renderCell(td, row[i + 2], row, i);
          tr.appendChild(td);
        });
        fresh.appendChild(tr);
      });
      tbody.parentNode.replaceChild(fresh, tbody);
      tbody = fresh;
      count.textContent = shown.length;
      var active = facets.filter(function (f) { return (state.facets[f.key] || []).length; }).length + Object.keys(state.filters).length;
      box.querySelector(".browse-active").textContent = active ? "(" + active + " set)" : "";
      pager.hidden = pages < 2;
      if (pages > 1) {
        box.querySelector(".browse-page").textContent = "rows " + (state.page * size + 1) + "–" + Math.min(shown.length, (state.page + 1) * size) + " of " + shown.length + " (page " + (state.page + 1) + " of " + pages + ")";
        box.querySelector(".browse-prev").disabled = state.page === 0;
        box.querySelector(".browse-next").disabled = state.page >= pages - 1;
      }
      facets.forEach(function (f) {
        var tally = {};
        rows.forEach(function (r) { if (matches(r, f.key)) facetValues(r, f).forEach(function (v) { tally[v] = (tally[v] || 0) + 1; }); });
        box.querySelectorAll('fieldset[data-facet="' + f.key + '"] .facet-count').forEach(function (span) {
          span.textContent = "(" + (tally[span.getAttribute("data-value")] || 0) + ")";
        });
      });
      box.querySelectorAll("thead th").forEach(function (th) {
        var i = +th.getAttribute("data-column");
        th.setAttribute("aria-sort", state.sort === i ? (state.desc ? "descending" : "ascending") : "none");
      });
      remember();
      return shown;
    }

    facets.forEach(function (f) {
      box.querySelectorAll('fieldset[data-facet="' + f.key + '"] input[type=checkbox]').forEach(function (cb) {
        cb.addEventListener("change", function () {
          state.facets[f.key] = Array.prototype.map.call(box.querySelectorAll('fieldset[data-facet="' + f.key + '"] input:checked'), function (x) { return x.value; });
          state.page = 0;
          render();
        });
      });
    });
    box.querySelectorAll("input.column-filter").forEach(function (input) {
      input.addEventListener("input", function () {
        var i = input.getAttribute("data-column"), v = fold(input.value).trim();
        if (v) state.filters[i] = v; else delete state.filters[i];
        state.page = 0;
        render();
      });
    });
    box.querySelectorAll("thead th").forEach(function (th) {
      var i = +th.getAttribute("data-column");
      var button = el("button", { type: "button", "class": "sort" }, th.textContent);
      button.setAttribute("aria-label", "Sort by " + th.textContent);
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        state.desc = state.sort === i ? !state.desc : false;
        state.sort = i;
        render();
      });
    });
    box.querySelector(".browse-prev").addEventListener("click", function () { state.page -= 1; render(); });
    box.querySelector(".browse-next").addEventListener("click", function () { state.page += 1; render(); });
    box.querySelector(".browse-reset").addEventListener("click", function () { fromQuery(""); render(); });
    box.querySelector(".browse-download").addEventListener("click", function () {
      /* each column as written; a column of references also gets <column>_label with the names shown */
      var head = [];
      cols.forEach(function (name, i) { head.push(name); if (data.named[i]) head.push(name + "_label"); });
      var lines = [head.map(csvField).join(",")];
      filtered().forEach(function (row) {
        var out = [];
        cols.forEach(function (_, i) {
          out.push(csvField(text(row, i)));
          if (data.named[i]) out.push(csvField(cellLabels(row[i + 2], data.delimiters[i], true)));
        });
        lines.push(out.join(","));
      });
      var blob = new Blob([lines.join("\n") + "\n"], { type: "text/csv;charset=utf-8" });
      var a = el("a", { href: URL.createObjectURL(blob), download: data.table + "-filtered.csv" });
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
    });
    fromQuery(location.search);
    render();
    if (/^#row-/.test(location.hash)) { var target = document.getElementById(decodeURIComponent(location.hash.slice(1))); if (target) target.scrollIntoView(); }
  }

  /* ---- timeline: order, track, year and kind in the address (?order=newest&track=summit&year=2023) ------ */
  function setupTimeline(list) {
    var form = document.querySelector("form.timeline-controls");
    if (!form) return;
    var items = Array.prototype.slice.call(list.children);
    var step = +list.getAttribute("data-page") || 40;
    var more = document.querySelector(".tl-more");
    var moreLine = document.querySelector(".tl-more-line");
    var status = form.querySelector(".tl-status");
    var limit = step;
    form.hidden = false;
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });

    function read() {
      return {
        order: form.querySelector("input[name=order]:checked").value,
        track: form.elements.track.value,
        year: form.elements.year.value,
        kind: form.elements.kind.value
      };
    }
    function apply(state) {
      form.querySelector('input[name=order][value="' + (state.order === "newest" ? "newest" : "oldest") + '"]').checked = true;
      ["track", "year", "kind"].forEach(function (name) {
        var select = form.elements[name], value = state[name] || "";
        select.value = Array.prototype.some.call(select.options, function (o) { return o.value === value; }) ? value : "";
      });
    }
    function render() {
      var state = read();
      var chosen = items.filter(function (li) {
        return (!state.track || li.getAttribute("data-track") === state.track) && (!state.year || li.getAttribute("data-year") === state.year) && (!state.kind || li.getAttribute("data-kind") === state.kind);
      });
      var ordered = state.order === "newest" ? chosen.slice().reverse() : chosen;
      items.forEach(function (li) { li.hidden = true; });
      ordered.forEach(function (li, k) { list.appendChild(li); li.hidden = k >= limit; });
      var all = +status.getAttribute("data-all");
      status.textContent = (ordered.length > limit ? "The first " + limit + " of " : "") + ordered.length + (ordered.length === 1 ? " entry" : " entries") + (ordered.length < all ? " that match (of " + all + ")" : "") + ".";
      moreLine.hidden = ordered.length <= limit;
      more.textContent = "Show " + Math.min(step, ordered.length - limit) + " more (" + (ordered.length - limit) + " not shown yet)";
      var q = new URLSearchParams();
      if (state.order === "newest") q.set("order", "newest");
      ["track", "year", "kind"].forEach(function (name) { if (state[name]) q.set(name, state[name]); });
      var query = q.toString();
      try { history.replaceState(null, "", (query ? "?" + query : location.pathname) + location.hash); } catch (e) { /* the view still works */ }
      return ordered;
    }
    var params = new URLSearchParams(location.search);
    apply({ order: params.get("order"), track: params.get("track"), year: params.get("year"), kind: params.get("kind") });
    var ordered = render();
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.parentNode === list && target.hidden) {
      /* a link to one entry (a search result, say) shows the list down to it */
      var at = ordered.indexOf(target);
      if (at < 0) { apply({}); ordered = render(); at = ordered.indexOf(target); }
      limit = Math.ceil((at + 1) / step) * step;
      render();
      target.scrollIntoView();
    }
    form.addEventListener("change", function () { limit = step; render(); });
    more.addEventListener("click", function () { limit += step; render(); });
  }

  /* ---- long lists folded on a phone (open on a wider screen and without JavaScript), each summary with its count;
     a link to an element inside a folded list opens it */
  function setupFolds() {
    var folds = document.querySelectorAll("details[data-fold-on-phone]");
    if (!folds.length) return;
    if (window.matchMedia && window.matchMedia("(max-width: 44rem)").matches) folds.forEach(function (d) { d.open = false; });
    function reveal() {
      var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (!target) return;
      for (var e = target.parentElement; e; e = e.parentElement) if (e.tagName === "DETAILS") e.open = true;
      target.scrollIntoView();
    }
    reveal();
    window.addEventListener("hashchange", reveal);
  }

  function start() {
    setupFolds();
    document.querySelectorAll("[data-browse]").forEach(setupBrowse);
    document.querySelectorAll("ol.timeline").forEach(setupTimeline);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
