"""The package as shipped: valid for frictionless and for c5data, strictly."""

from __future__ import annotations

import subprocess
import sys

import pytest

from c5data import validate

from releasekit import ROOT


@pytest.mark.slow  # runs frictionless in a fresh interpreter
def test_frictionless_accepts_the_shipped_package():
    proc = subprocess.run([sys.executable, "-m", "frictionless", "validate", "datapackage.json"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def test_c5data_accepts_the_shipped_package_strictly():
    report = validate(ROOT)
    assert report.exit_code(strict=True) == 0, [(f.location, f.code, f.message) for f in report.findings[:20]]
    assert report.row_counts["meetings"] >= 25


def test_every_schema_field_is_documented():
    from c5data.reading.descriptor import load_package

    package, problems = load_package(ROOT)
    assert problems == []
    for resource in package.resources:
        for fld in resource.schema.fields:
            assert fld.description, f"{resource.name}.{fld.name} has no description"
