"""Serving a release over HTTP on this machine, with the browser SQL engine beside it.

Browsers do not run WebAssembly workers from `file://`, so the site's SQL page needs a web server: the hosted
Pages site, or `c5data serve` here. `wasm.py` finds the DuckDB-WASM files npm installed (`npm ci`) and lays
them out as the site expects them; `server.py` is the static server, bound to 127.0.0.1 on a free port.
"""
