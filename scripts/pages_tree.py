"""pages_tree.py OUT --current ARCHIVE: the GitHub Pages tree of every published version, rebuilt from the GitHub releases.

A Pages deployment replaces the whole site, so each deployment carries every version. Rather than
fetching the previously deployed tree, the tree is rebuilt from the source of truth: the
`c5data-<version>-release.tar.gz` asset of each GitHub release (immutable once published; see
release-publish.sh), listed and downloaded with `gh` (GH_TOKEN and GH_REPO in the environment).
The version being released comes from ARCHIVE, the archive this workflow run built (and checked
against the published SHA256SUMS). Each archive is verified (`c5data verify`) and published in
version order with `c5data publish`, which writes:

    OUT/releases/<version>/   every version, as released (its static site in site/)
    OUT/releases.json         the index of versions, newest first, and `latest`
    OUT/latest                the latest version's number

and then this script adds

    OUT/releases/latest/      a copy of the latest version, so that its URLs do not change between
                              releases (the DuckDB-over-HTTPS recipe in README reads from it)
    OUT/index.html            the home page: forwards to releases/latest/site/
    OUT/duckdb-wasm/          the browser SQL engine of every version's SQL page, once (from `npm ci`)

A release with no archive asset (one published before the archive existed) is left out with a
warning. Only final versions vX.Y.Z that are not drafts are taken, and each archive must hold the
version of its tag. Whatever stops the script (an unreadable archive, a version that is not its
tag's, a release that does not verify) is said in one line on stderr, exit code 1.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zlib
from pathlib import Path

from c5data.releasing.publishing import PublishError, publish, verify
from c5data.serving.wasm import EngineMissing, copy_engine, find_engine

TAG = re.compile(r"^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")


def gh(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["gh", *args], capture_output=True, text=True, check=False)


def released_tags() -> list[str]:
    proc = gh("release", "list", "--limit", "1000", "--json", "tagName,isDraft,isPrerelease")
    if proc.returncode != 0:
        raise SystemExit(f"gh release list failed: {proc.stderr.strip()}")
    try:
        listed = json.loads(proc.stdout or "[]")
    except ValueError as exc:
        raise SystemExit(f"gh release list did not print JSON ({exc}): {proc.stdout[:200]!r}") from exc
    if not isinstance(listed, list) or not all(isinstance(r, dict) and isinstance(r.get("tagName"), str) for r in listed):
        raise SystemExit(f"gh release list printed {proc.stdout[:200]!r}, not a list of releases with a tagName")
    return [r["tagName"] for r in listed if TAG.match(r["tagName"]) and not r.get("isDraft") and not r.get("isPrerelease")]


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def extract(archive: Path, into: Path) -> Path:
    """The archive unpacked into `into` (tar's `data` filter: no links out, no devices, no absolute paths)."""
    into.mkdir(parents=True)
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(into, filter="data")
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        said = " ".join(str(exc).split())
        raise SystemExit(f"{archive}: not a readable release archive, a .tar.gz ({type(exc).__name__}: {said})") from exc
    return into


def version_of(folder: Path, archive: Path) -> str:
    """The version the release in `folder` declares: X.Y.Z, or the script stops saying what it found."""
    try:
        version = json.loads((folder / "datapackage.json").read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError, AttributeError) as exc:
        raise SystemExit(f"{archive}: holds no readable datapackage.json at its root ({type(exc).__name__}: {exc})") from exc
    if not isinstance(version, str) or not TAG.match(f"v{version}"):
        raise SystemExit(f"{archive}: its datapackage.json declares version {version!r}, not X.Y.Z")
    return version


HOME = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>c5data {version}</title>
<meta http-equiv="refresh" content="0; url=releases/latest/site/">
<link rel="canonical" href="releases/latest/site/">
</head>
<body>
<p>The latest release of c5data is <a href="releases/latest/site/">{version}</a>.
Every version: <a href="releases.json">releases.json</a>.</p>
</body>
</html>
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the Pages tree into (must not exist)")
    parser.add_argument("--current", type=Path, required=True, help="the release archive this run built")
    args = parser.parse_args(argv)
    if args.out.exists():
        parser.error(f"{args.out} exists")
    try:
        engine = find_engine()
    except EngineMissing as exc:
        raise SystemExit(f"the Pages tree needs the SQL page's engine: {exc}") from exc
    work = Path(tempfile.mkdtemp(prefix="c5data-pages-"))
    try:
        folders = {}
        current = extract(args.current, work / "current")
        folders[version_of(current, args.current)] = current
        for tag in released_tags():
            version = tag[1:]
            if version in folders:
                continue
            name = f"c5data-{version}-release.tar.gz"
            proc = gh("release", "download", tag, "--pattern", name, "--dir", str(work / "download" / version))
            if proc.returncode != 0:
                print(f"::warning::release {tag} has no {name}: left out of the Pages site ({proc.stderr.strip()})")
                continue
            downloaded = work / "download" / version / name
            folders[version] = extract(downloaded, work / "releases" / version)
            found = version_of(folders[version], downloaded)
            if found != version:  # published as releases/<found>/, it would stand where tag v<found> belongs
                raise SystemExit(f"release {tag}: its archive {name} holds version {found}, not {version}")
        for version in sorted(folders, key=version_key):
            try:
                check = verify(folders[version])
                if not check.ok:
                    raise SystemExit(f"release {version} does not verify: " + "; ".join(check.problems))
                result = publish(folders[version], args.out)
            except PublishError as exc:
                raise SystemExit(f"release {version} cannot be published into {args.out}: {exc}") from exc
            print(f"published {version} ({result.files} files); latest is {result.latest}")
        latest = json.loads((args.out / "releases.json").read_text(encoding="utf-8"))["latest"]
        shutil.copytree(args.out / "releases" / latest, args.out / "releases" / "latest")
        (args.out / "index.html").write_text(HOME.format(version=html.escape(latest)), encoding="utf-8")
        print(f"{copy_engine(engine, args.out)}: DuckDB-WASM {engine.duckdb_wasm_version}, shared by every version's SQL page")
        print(f"{args.out}: {len(folders)} version(s), latest {latest}")
    except OSError as exc:  # a full disk, a permission: said in one line, as every other stop
        raise SystemExit(f"the Pages tree cannot be written: {type(exc).__name__}: {exc}") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
