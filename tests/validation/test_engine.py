"""The command line validates with pandera's polars path and never loads pandas; library users keep pandas as it is."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from releasekit import ROOT

_RUN = """
import json, sys
import pytest

from c5data.cli import main
sys.argv = ["c5data", "validate", sys.argv[1], "--format", "json"]
try:
    main()
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "pandas": "pandas" in sys.modules, "pandera": "pandera" in sys.modules}), file=sys.stderr)
"""


def _validate_in_a_fresh_process(path) -> tuple[dict, dict]:
    proc = subprocess.run([sys.executable, "-c", _RUN, str(path)], capture_output=True, text=True, timeout=300, cwd=ROOT)
    return json.loads(proc.stdout), json.loads(proc.stderr.strip().splitlines()[-1])


@pytest.mark.slow  # runs a fresh interpreter
def test_the_command_validates_without_loading_pandas(pkg):
    pkg.replace("persons.csv", ",Wang Yi,", ",Wang Yi ,")
    report, state = _validate_in_a_fresh_process(pkg.root)
    assert state == {"code": 1, "pandas": False, "pandera": True}
    assert [(f["code"], f["file"]) for f in report["findings"]] == [("text-whitespace", "data/persons.csv")]


@pytest.mark.slow  # runs a fresh interpreter
def test_pandas_stays_importable_after_the_block_and_nothing_is_hidden_once_loaded():
    code = (
        "import sys\n"
        "from c5data.validation.engine import pandas_hidden_from_pandera\n"
        "with pandas_hidden_from_pandera():\n"
        "    try:\n"
        "        import pandas\n"
        "        hidden = False\n"
        "    except ModuleNotFoundError:\n"
        "        hidden = True\n"
        "import pandas\n"
        "with pandas_hidden_from_pandera():\n"
        "    import pandas.api.types\n"
        "print(hidden, 'pandas' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.stdout.split() == ["True", "True"], proc.stderr
