"""The files a contributor meets besides the data: templates, the pre-commit hooks, and CONTRIBUTING.md naming what to touch."""

from __future__ import annotations

import json
import re

import yaml

from releasekit import ROOT


def test_pull_request_template_asks_for_what_changed_sources_and_validation():
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert "## What changed" in text and "## Sources" in text and "c5data validate --strict" in text


def test_issue_templates_for_a_wrong_row_and_a_missing_meeting():
    names = set()
    for path in (ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.md"):
        front = path.read_text(encoding="utf-8").split("---")[1]
        names.add(yaml.safe_load(front)["name"])
    for path in (ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml"):
        if path.name != "config.yml":
            names.add(yaml.safe_load(path.read_text(encoding="utf-8"))["name"])
    assert {"A row is wrong", "A meeting is missing"} <= names


def test_the_wrong_row_form_receives_what_the_sites_report_link_fills_in():
    from c5data.diplomacy.site import about

    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / about.FORM).read_text(encoding="utf-8"))
    inputs = {item["id"]: item for item in form["body"] if item.get("type") != "markdown"}
    assert set(about.FIELDS) <= set(inputs)
    assert all(inputs[name]["type"] == "input" for name in about.FIELDS)  # a query parameter fills an input by its id


def test_pre_commit_runs_the_projects_own_hook_ruff_and_the_format_check():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: (repo, hook) for repo in config["repos"] for hook in repo["hooks"]}
    (published,) = [h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")) if h["id"] == "c5data-validate"]
    own = hooks["c5data-validate"][1]
    assert (own["entry"], own["files"], own["pass_filenames"]) == (published["entry"], published["files"], published["pass_filenames"])
    ruff_repo, _ = hooks["ruff"]
    assert ruff_repo["repo"].endswith("ruff-pre-commit") and re.fullmatch(r"v\d+\.\d+\.\d+", ruff_repo["rev"])
    assert "--check" in hooks["ruff-format"][1]["args"]


def test_contributing_names_every_file_a_contributor_touches_and_the_command_that_proves_it():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] != "countries":  # the six countries are fixed
            assert f"`{resource['path']}`" in text, resource["path"]
    for other in ("`tests/data/test_data_coverage.py`", "`README.md`", "c5data validate --strict", "c5data new meeting", "c5data fix"):
        assert other in text, other
