/* c5data SQL page: DuckDB-WASM runs the reader's SQL on this release's Parquet files, in the browser.

   A classic script, so that opened from disk (where module scripts and workers are refused) it only says how to
   get the page served; the engine's modules are imported dynamically, over HTTP only.

   Everything comes from this page's own origin: the engine from duckdb-wasm/ beside releases/, the Parquet files
   from the release folder (each fetched whole, and only when a query names its table or a view built on it). The
   engine installs no extension and reads no file: external access is switched off and the configuration locked
   before the first query, and the tables are handed to it as Arrow data. The views are created from the same SQL
   the build ran (embedded in the page by `c5data site`). The query and the release version live in the address
   (#v=…&sql=…), so a link reopens the same query on the same version. */

(function () {
  "use strict";

  const meta = JSON.parse(document.getElementById("sql-meta").textContent);
  const app = document.getElementById("sql-app");
  const editor = document.getElementById("sql-editor");
  const runButton = document.getElementById("sql-run");
  const cancelButton = document.getElementById("sql-cancel");
  const statusLine = document.getElementById("sql-status");
  const errorBox = document.getElementById("sql-error");
  const resultBox = document.getElementById("sql-result");
  const citeLine = document.getElementById("sql-cite");
  const downloadButton = document.getElementById("sql-download");
  const SHOWN = 1000;
  const FILE_MESSAGE = document.getElementById("sql-file-note");

  const state = { engine: null, starting: null, loaded: new Set(), created: new Set(), last: null, busy: null };
  const api = { meta, state, ready: null, run: (sql) => run(sql), last: () => state.last };
  window.C5DATA_SQL = api;

  function say(text) { statusLine.textContent = text; }

  /* ---- the engine -------------------------------------------------------------------------------------------- */

  async function startEngine() {
    const base = new URL(meta.engine, location.href).href;
    const duckdb = await import(base + "duckdb-browser.mjs");
    const parquet = await import(base + "parquet_wasm.js");
    const parquetReady = parquet.default({ module_or_path: base + "parquet_wasm_bg.wasm" }); // compiles while DuckDB starts
    parquetReady.catch(() => {}); // awaited below; a failure of DuckDB first must not leave it unhandled
    const features = await duckdb.getPlatformFeatures();
    if (!features.wasmExceptions) throw new Error("This browser does not run the SQL engine (it lacks WebAssembly exception handling); use a current Chromium, Firefox or Safari.");
    const worker = new Worker(base + "duckdb-browser-eh.worker.js");
    const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
    await db.instantiate(base + "duckdb-eh.wasm");
    await db.open({ allowUnsignedExtensions: false, query: { castBigIntToDouble: false } });
    const conn = await db.connect();
    // Before any SQL of the reader's: no extension installed or loaded, no file or URL read, and no way back.
    await conn.query("SET autoinstall_known_extensions = false; SET autoload_known_extensions = false; SET enable_external_access = false; SET lock_configuration = true;");
    await parquetReady;
    const engine = { duckdb, parquet, db, conn, worker, version: await db.getVersion(), Type: (await import(base + "apache-arrow.mjs")).Type };
    const manifest = await fetch(base + "engine.json").then((r) => (r.ok ? r.json() : {}));
    engine.package = manifest["duckdb-wasm"] || "";
    document.getElementById("sql-engine").textContent = `DuckDB ${engine.version} (DuckDB-WASM ${engine.package || "unknown version"}) in this browser.`;
    return engine;
  }

  function engine() {
    if (!state.starting) {
      state.starting = startEngine().then((e) => (state.engine = e), (err) => { state.starting = null; throw err; });
    }
    return state.starting;
  }

  function stopEngine() {
    const e = state.engine;
    state.engine = null;
    state.starting = null;
    state.loaded = new Set();
    state.created = new Set();
    if (e) e.worker.terminate();
  }

  /* ---- what a query needs ------------------------------------------------------------------------------------- */

  const relations = new Map(); // lower-cased name -> {kind, name, tables}
  meta.tables.forEach((t) => relations.set(t.name.toLowerCase(), { kind: "table", name: t.name, tables: [t.name] }));
  meta.views.forEach((v) => relations.set(v.name.toLowerCase(), { kind: "view", name: v.name, tables: v.tables }));

  function namesIn(sql) {
    // every word or quoted identifier of the query; a name in a string or a comment only loads a file too many
    const out = new Set();
    for (const m of sql.matchAll(/"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_]*)/g)) out.add((m[1] ? m[1].replace(/""/g, '"') : m[2]).toLowerCase());
    return out;
  }

  function needs(sql) {
    const tables = new Set();
    const views = new Set();
    for (const name of namesIn(sql)) {
      const r = relations.get(name);
      if (!r) continue;
      r.tables.forEach((t) => tables.add(t));
      if (r.kind === "view") views.add(r.name);
    }
    return { tables, views };
  }

  async function loadTable(e, name) {
    const table = meta.tables.find((t) => t.name === name);
    say(`Loading ${table.parquet.split("/").pop()}…`);
    const response = await fetch(table.parquet);
    if (!response.ok) throw new Error(`${table.parquet}: ${response.status} ${response.statusText}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const ipc = e.parquet.readParquet(bytes).intoIPCStream();
    await e.conn.insertArrowFromIPCStream(ipc, { name, create: true });
    state.loaded.add(name);
  }

  async function prepare(e, sql) {
    const { tables, views } = needs(sql);
    for (const name of [...tables].sort()) if (!state.loaded.has(name)) await loadTable(e, name);
    for (const v of meta.views) {
      if (views.has(v.name) && !state.created.has(v.name)) {
        await e.conn.query(v.sql);
        state.created.add(v.name);
      }
    }
  }

  /* ---- values as text, as DuckDB writes them ------------------------------------------------------------------ */

  function pad(n, width) { return String(n).padStart(width || 2, "0"); }

  function text(value, type, T) {
    if (value === null || value === undefined) return null;
    switch (type.typeId) {
      case T.Date:
      case T.DateDay:
      case T.DateMillisecond: {
        const d = new Date(Number(value));
        return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
      }
      case T.Timestamp:
      case T.TimestampSecond:
      case T.TimestampMillisecond:
      case T.TimestampMicrosecond:
      case T.TimestampNanosecond:
        return new Date(Number(value)).toISOString().replace("T", " ").replace(/\.000Z$|Z$/, "") + (type.timezone ? "+00" : "");
      case T.List:
      case T.FixedSizeList:
        return "[" + Array.from(value, (item) => { const t = text(item, type.children[0].type, T); return t === null ? "NULL" : t; }).join(", ") + "]";
      case T.Struct:
        return "{" + type.children.map((c) => { const t = text(value[c.name], c.type, T); return `'${c.name}': ${t === null ? "NULL" : t}`; }).join(", ") + "}";
      case T.Bool:
        return value ? "true" : "false";
      case T.Decimal: {
        // Arrow hands the unscaled integer; the point goes `scale` digits from the right
        const digits = String(value).replace("-", "");
        const scale = type.scale;
        const sign = String(value).startsWith("-") ? "-" : "";
        if (!scale) return sign + digits;
        const padded = digits.padStart(scale + 1, "0");
        return `${sign}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
      }
      case T.Time:
      case T.TimeSecond:
      case T.TimeMillisecond:
      case T.TimeMicrosecond:
      case T.TimeNanosecond: {
        const perSecond = [1, 1e3, 1e6, 1e9][type.unit];
        const total = Number(value) / perSecond;
        const whole = Math.floor(total);
        const fraction = total - whole ? String(Math.round((total - whole) * 1e6)).padStart(6, "0").replace(/0+$/, "") : "";
        return `${pad(Math.floor(whole / 3600))}:${pad(Math.floor(whole / 60) % 60)}:${pad(whole % 60)}` + (fraction ? "." + fraction : "");
      }
      default:
        return String(value);
    }
  }

  function tableOf(result, T) {
    const fields = result.schema.fields;
    const columns = fields.map((f) => ({ name: f.name, type: String(f.type) }));
    const vectors = fields.map((_, i) => result.getChildAt(i));
    const rows = [];
    for (let r = 0; r < result.numRows; r++) rows.push(fields.map((f, i) => text(vectors[i].get(r), f.type, T)));
    return { columns, rows };
  }

  /* ---- running a query ---------------------------------------------------------------------------------------- */

  function show(result) {
    resultBox.textContent = "";
    const wrap = document.createElement("div");
    wrap.className = "table-wrap";
    const table = document.createElement("table");
    table.className = "sql-rows";
    const head = table.createTHead().insertRow();
    result.columns.forEach((c) => {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = c.name;
      th.title = c.type;
      head.appendChild(th);
    });
    const body = table.createTBody();
    result.rows.slice(0, SHOWN).forEach((row) => {
      const tr = body.insertRow();
      row.forEach((v) => {
        const td = tr.insertCell();
        if (v === null) { td.className = "null"; td.textContent = "NULL"; } else td.textContent = v;
      });
    });
    wrap.appendChild(table);
    resultBox.appendChild(wrap);
    const n = result.rows.length;
    say(`${n.toLocaleString("en")} row${n === 1 ? "" : "s"} in ${result.ms.toFixed(0)} ms` + (n > SHOWN ? `; the first ${SHOWN.toLocaleString("en")} shown, the CSV has them all` : "") + ".");
    downloadButton.hidden = false;
  }

  function permalink(sql) {
    const here = new URL(location.href);
    here.pathname = here.pathname.replace(/\/releases\/latest\//, `/releases/${encodeURIComponent(meta.version)}/`);
    here.hash = new URLSearchParams({ v: meta.version, sql }).toString();
    return here.href;
  }

  function cite(sql) {
    const link = permalink(sql);
    const day = new Date().toISOString().slice(0, 10);
    citeLine.textContent = "";
    citeLine.append(`Cite: ${meta.title}, version ${meta.version}, SQL query at `);
    const a = document.createElement("a");
    a.href = link;
    a.textContent = link;
    citeLine.append(a, ` (run ${day}).`);
    citeLine.hidden = false;
  }

  async function run(sql) {
    sql = (sql === undefined ? editor.value : sql).trim();
    if (!sql) return null;
    editor.value = sql;
    history.replaceState(null, "", "#" + new URLSearchParams({ v: meta.version, sql }).toString());
    errorBox.hidden = true;
    errorBox.textContent = "";
    citeLine.hidden = true;
    downloadButton.hidden = true;
    runButton.disabled = true;
    cancelButton.disabled = false;
    app.setAttribute("aria-busy", "true");
    let cancel;
    const cancelled = new Promise((_, reject) => { cancel = () => reject(new Error("Cancelled: the engine was stopped and starts again for the next query.")); });
    state.busy = cancel;
    const started = performance.now();
    try {
      const outcome = (async () => {
        if (!state.engine) say("Starting the SQL engine…");
        const e = await engine();
        await prepare(e, sql);
        say("Running…");
        const arrow = await e.conn.query(sql);
        return { e, arrow };
      })();
      outcome.catch(() => {}); // after a cancel the stopped engine's answer is not awaited
      const { e, arrow } = await Promise.race([outcome, cancelled]);
      const result = tableOf(arrow, e.Type);
      result.sql = sql;
      result.ms = performance.now() - started;
      state.last = result;
      show(result);
      cite(sql);
      return result;
    } catch (err) {
      if (state.busy === null) stopEngine();
      state.last = { sql, error: String(err && err.message ? err.message : err) };
      errorBox.textContent = state.last.error;
      errorBox.hidden = false;
      resultBox.textContent = "";
      say("The query did not run.");
      return state.last;
    } finally {
      state.busy = null;
      runButton.disabled = false;
      cancelButton.disabled = true;
      app.removeAttribute("aria-busy");
    }
  }

  function cancelRun() {
    const cancel = state.busy;
    if (!cancel) return;
    state.busy = null; // tells run() the engine is to be stopped: a running query cannot be interrupted otherwise
    cancel();
  }

  function download() {
    const r = state.last;
    if (!r || !r.rows) return;
    const field = window.C5DATA_CSV_FIELD;
    const lines = [r.columns.map((c) => field(c.name)).join(",")];
    r.rows.forEach((row) => lines.push(row.map((v) => (v === null ? "" : field(v))).join(",")));
    const blob = new Blob([lines.join("\n") + "\n"], { type: "text/csv;charset=utf-8" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `c5data-${meta.version}-query.csv`;
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  }

  /* ---- the page ----------------------------------------------------------------------------------------------- */

  function fromAddress() {
    const params = new URLSearchParams(location.hash.slice(1));
    const version = params.get("v");
    const sql = params.get("sql");
    const path = location.pathname.match(/^(.*\/releases\/)[^/]+(\/site\/sql\.html)$/);
    if (version && version !== meta.version && path && /^[0-9A-Za-z.+-]+$/.test(version)) {
      location.replace(path[1] + version + path[2] + location.hash); // the same query on the version the link names
      return null;
    }
    return sql;
  }

  function start() {
    if (location.protocol === "file:") {
      FILE_MESSAGE.hidden = false;
      app.hidden = true;
      return;
    }
    app.hidden = false;
    runButton.addEventListener("click", () => run());
    cancelButton.addEventListener("click", cancelRun);
    downloadButton.addEventListener("click", download);
    editor.addEventListener("keydown", (ev) => { if ((ev.ctrlKey || ev.metaKey) && ev.key === "Enter") { ev.preventDefault(); run(); } });
    document.querySelectorAll("[data-sql]").forEach((b) => b.addEventListener("click", () => { run(b.getAttribute("data-sql")); editor.focus(); }));
    const sql = fromAddress();
    api.ready = engine().then(() => say("Ready."), (err) => { errorBox.textContent = String(err.message || err); errorBox.hidden = false; say("The SQL engine did not start."); });
    if (sql) run(sql);
  }

  start();
})();
