#!/usr/bin/env bash
# release-assets.sh VERSION RELEASE_DIR ASSETS_DIR
#
# The files attached to the GitHub release of VERSION, copied from the built release folder:
# the zip of the CSV package, the DuckDB file, datapackage.json, the codebook, SHA256SUMS, each
# Parquet file, changes.json when there is one, and the whole release folder as one deterministic
# archive (c5data-VERSION-release.tar.gz: sorted names, the commit's time, no owner), which is
# what `c5data verify` checks after a download and what the Pages tree is rebuilt from.
set -euo pipefail
version=${1:?usage: release-assets.sh VERSION RELEASE_DIR ASSETS_DIR}
release=${2:?usage: release-assets.sh VERSION RELEASE_DIR ASSETS_DIR}
assets=${3:?usage: release-assets.sh VERSION RELEASE_DIR ASSETS_DIR}

mkdir -p "$assets"
cp "$release/c5data-$version.zip" "$release/c5data.duckdb" "$release/datapackage.json" "$release/codebook.md" \
   "$release/SHA256SUMS" "$assets/"
cp "$release"/parquet/*.parquet "$assets/"
if [ -f "$release/changes.json" ]; then cp "$release/changes.json" "$assets/"; fi
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
tar --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner -C "$release" -cf - . \
  | gzip -n > "$assets/c5data-$version-release.tar.gz"
ls -l "$assets"
