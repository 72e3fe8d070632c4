#!/usr/bin/env bash
# release-publish.sh TAG ASSETS_DIR NOTES_FILE
#
# Creates the GitHub release of TAG exactly once, with every file of ASSETS_DIR as an asset and
# NOTES_FILE as its notes. Published assets are immutable: nothing is ever re-uploaded or replaced
# (no `gh release upload --clobber`). When the release of TAG already exists (a re-run of the
# workflow, or a tag pushed again), the script uploads nothing: it downloads the published
# SHA256SUMS and checks the rebuilt artifacts against it instead, and fails if any byte differs.
#
# ASSETS_DIR holds SHA256SUMS and c5data-<version>-release.tar.gz (see release-assets.sh).
# Needs gh (GH_TOKEN and GH_REPO in the environment) and sha256sum.
set -euo pipefail
tag=${1:?usage: release-publish.sh TAG ASSETS_DIR NOTES_FILE}
assets=${2:?usage: release-publish.sh TAG ASSETS_DIR NOTES_FILE}
notes=${3:?usage: release-publish.sh TAG ASSETS_DIR NOTES_FILE}
version=${tag#v}

[ -f "$assets/SHA256SUMS" ] || { echo "::error::$assets/SHA256SUMS missing: not a release's assets"; exit 2; }
archive="$assets/c5data-$version-release.tar.gz"
[ -f "$archive" ] || { echo "::error::$archive missing"; exit 2; }

if view=$(gh release view "$tag" --json tagName 2>&1); then
  exists=yes
elif grep -qi "not found" <<<"$view"; then
  exists=no
else
  echo "::error::cannot tell whether the release $tag exists: $view"
  exit 2
fi

if [ "$exists" = no ]; then
  echo "release $tag does not exist: creating it with $(find "$assets" -maxdepth 1 -type f | wc -l) assets"
  gh release create "$tag" "$assets"/* --verify-tag --title "c5data $version" --notes-file "$notes"
  exit 0
fi

echo "release $tag already exists: checking the rebuilt artifacts against its published SHA256SUMS (nothing is uploaded)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! gh release download "$tag" --pattern SHA256SUMS --dir "$work/published"; then
  echo "::error::release $tag exists but has no SHA256SUMS asset: it cannot be checked, and is not overwritten"
  exit 1
fi
published="$work/published/SHA256SUMS"
status=0
# 1. Every file of the rebuilt release folder (from the archive) has the published hash.
mkdir -p "$work/release"
tar -xzf "$archive" -C "$work/release"
if ! (cd "$work/release" && sha256sum --check --strict --quiet "$published"); then
  echo "::error::the rebuilt release of $tag differs from the published SHA256SUMS"
  status=1
fi
# 2. The rebuilt release lists the same files (none added or dropped).
if ! cmp -s "$assets/SHA256SUMS" "$published"; then
  echo "::error::the rebuilt SHA256SUMS of $tag differs from the published one:"
  diff "$published" "$assets/SHA256SUMS" || true
  status=1
fi
# 3. Every single-file asset is a file the published SHA256SUMS lists (matched by name).
for f in "$assets"/*; do
  name=$(basename "$f")
  case "$name" in SHA256SUMS | "c5data-$version-release.tar.gz") continue ;; esac
  digest=$(sha256sum "$f" | cut -d' ' -f1)
  if ! awk -v d="$digest" -v n="$name" '$1 == d && ($2 == n || substr($2, length($2) - length(n)) == "/" n)' "$published" | grep -q .; then
    echo "::error::asset $name (sha256 $digest) is not in the published SHA256SUMS of $tag"
    status=1
  fi
done
if [ "$status" -eq 0 ]; then
  echo "release $tag: the rebuilt artifacts match the published SHA256SUMS; nothing uploaded"
fi
exit "$status"
