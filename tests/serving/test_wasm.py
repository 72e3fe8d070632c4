"""The SQL engine's files: found where npm installed them, laid out once, with the one bare import rewritten."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from c5data.serving.wasm import ARROW_MODULE, ENGINE_DIRNAME, MAIN_MODULE, MANIFEST, WASM, WORKER, EngineMissing, copy_engine, find_engine


def test_the_engine_is_found_through_the_environment_variable(node_modules: Path) -> None:
    engine = find_engine()
    assert engine.node_modules == node_modules
    assert engine.manifest() == {"duckdb-wasm": "9.9.9", "apache-arrow": "17.0.0", "parquet-wasm": "0.8.0", "bundle": "eh"}


def test_a_missing_engine_says_to_run_npm_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("C5DATA_NODE_MODULES", str(tmp_path / "nothing"))
    with pytest.raises(EngineMissing, match="npm ci"):
        find_engine()


def test_the_layout_resolves_apache_arrow_inside_the_folder_and_drops_source_maps(node_modules: Path, tmp_path: Path) -> None:
    folder = copy_engine(find_engine(), tmp_path / "out")
    assert folder == tmp_path / "out" / ENGINE_DIRNAME
    main = (folder / MAIN_MODULE).read_text(encoding="utf-8")
    assert 'from"./apache-arrow.mjs"' in main and 'from"apache-arrow"' not in main
    assert "sourceMappingURL" not in main + (folder / WORKER).read_text(encoding="utf-8")
    assert (folder / WASM).read_bytes() == (node_modules / "@duckdb/duckdb-wasm/dist" / WASM).read_bytes()
    assert json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["duckdb-wasm"] == "9.9.9"
    arrow = (folder / ARROW_MODULE).read_text(encoding="utf-8")
    assert arrow.rstrip().endswith("export const { Type, Table, IntBuilder } = module.exports;")
    assert {p.name for p in folder.iterdir()} >= {"LICENSE-duckdb-wasm.txt", "LICENSE-apache-arrow.txt", "LICENSE-parquet-wasm.txt"}


def test_the_arrow_module_exports_what_the_umd_build_defines(node_modules: Path, tmp_path: Path) -> None:
    """Run the made module in Node (there wherever `npm ci` ran: under CI a missing node fails the test)."""
    import os
    import shutil
    import subprocess

    folder = copy_engine(find_engine(), tmp_path)
    node = shutil.which("node")
    if node is None:
        (pytest.fail if os.environ.get("CI") else pytest.skip)("node is not installed (the SQL page's engine comes from npm ci)")
    script = f"import('{(folder / ARROW_MODULE).as_uri()}').then(m => console.log(JSON.stringify([m.Table, m.IntBuilder])))"
    proc = subprocess.run([node, "--input-type=module", "-e", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == [1, 2]


def test_a_duckdb_wasm_without_the_expected_import_is_refused(node_modules: Path, tmp_path: Path) -> None:
    (node_modules / "@duckdb/duckdb-wasm/dist" / MAIN_MODULE).write_text("export const x = 1;\n", encoding="utf-8")
    with pytest.raises(EngineMissing, match=r"package-lock\.json"):
        copy_engine(find_engine(), tmp_path)
    assert not (tmp_path / ENGINE_DIRNAME).exists()
