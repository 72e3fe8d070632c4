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
  function cellText(cell, delim) {
    if (cell === null || cell === undefined) return "";
    if (typeof cell === "string") return cell;
    return cell.map(function (pair) { return pair[0]; }).join(delim || ";");
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
    var state = { facets: {}, filters: {}, sort: null, desc: false, page: 0 };
    controls.hidden = false;

    function text(row, i) { return cellText(row[i + 2], data.delimiters[i]); }

    function matches(row, skipFacet) {
      for (var f in state.facets) {
        if (+f === skipFacet) continue;
        var chosen = state.facets[f];
        if (chosen.length && chosen.indexOf(text(row, +f)) === -1) return false;
      }
      for (var c in state.filters) {
        if (fold(text(row, +c)).indexOf(state.filters[c]) === -1) return false;
      }
      return true;
    }

    function filtered() {
      var out = rows.filter(function (r) { return matches(r, -1); });
      if (state.sort !== null) {
        var i = state.sort, num = data.numeric[i], sign = state.desc ? -1 : 1;
        out = out.slice().sort(function (a, b) {
          var x = text(a, i), y = text(b, i);
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
      cell.forEach(function (pair, k) {
        if (k) td.appendChild(document.createTextNode(" "));
        td.appendChild(pair[1] ? el("a", { href: pair[1] }, pair[0]) : document.createTextNode(pair[0]));
      });
    }

    function render() {
      var shown = filtered();
      var size = data.pageSize;
      var pages = Math.max(1, Math.ceil(shown.length / size));
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
      pager.hidden = pages < 2;
      if (pages > 1) {
        box.querySelector(".browse-page").textContent = "rows " + (state.page * size + 1) + "–" + Math.min(shown.length, (state.page + 1) * size) + " of " + shown.length;
        box.querySelector(".browse-prev").disabled = state.page === 0;
        box.querySelector(".browse-next").disabled = state.page >= pages - 1;
      }
      data.facets.forEach(function (i) {
        var tally = {};
        rows.forEach(function (r) { if (matches(r, i)) { var v = text(r, i); tally[v] = (tally[v] || 0) + 1; } });
        box.querySelectorAll('fieldset[data-column="' + cols[i] + '"] .facet-count').forEach(function (span) {
          span.textContent = "(" + (tally[span.getAttribute("data-value")] || 0) + ")";
        });
      });
      box.querySelectorAll("thead th").forEach(function (th) {
        var i = +th.getAttribute("data-column");
        th.setAttribute("aria-sort", state.sort === i ? (state.desc ? "descending" : "ascending") : "none");
      });
      return shown;
    }

    data.facets.forEach(function (i) {
      box.querySelectorAll('fieldset[data-column="' + cols[i] + '"] input[type=checkbox]').forEach(function (cb) {
        cb.addEventListener("change", function () {
          state.facets[i] = Array.prototype.map.call(box.querySelectorAll('fieldset[data-column="' + cols[i] + '"] input:checked'), function (x) { return x.value; });
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
    box.querySelector(".browse-reset").addEventListener("click", function () {
      state.facets = {}; state.filters = {}; state.page = 0;
      box.querySelectorAll("input[type=checkbox]").forEach(function (cb) { cb.checked = false; });
      box.querySelectorAll("input.column-filter").forEach(function (x) { x.value = ""; });
      render();
    });
    box.querySelector(".browse-download").addEventListener("click", function () {
      var lines = [cols.map(csvField).join(",")];
      filtered().forEach(function (row) { lines.push(cols.map(function (_, i) { return csvField(text(row, i)); }).join(",")); });
      var blob = new Blob([lines.join("\n") + "\n"], { type: "text/csv;charset=utf-8" });
      var a = el("a", { href: URL.createObjectURL(blob), download: data.table + "-filtered.csv" });
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
    });
    render();
  }

  function start() {
    document.querySelectorAll("[data-browse]").forEach(setupBrowse);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
