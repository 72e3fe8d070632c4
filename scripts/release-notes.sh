#!/usr/bin/env bash
# release-notes.sh VERSION [CHANGELOG.md]
#
# Prints the CHANGELOG.md entry of VERSION (the lines under its "## [VERSION]" heading), or
# "c5data VERSION" when the changelog has none: the notes of the GitHub release.
set -euo pipefail
version=${1:?usage: release-notes.sh VERSION [CHANGELOG.md]}
changelog=${2:-CHANGELOG.md}
notes=""
if [ -f "$changelog" ]; then
  notes=$(awk -v v="$version" '
    $0 ~ "^## \\[?v?" v "\\]?( |$)" { on = 1; next }
    /^## / && on { exit }
    on { print }' "$changelog")
fi
if [ -n "${notes//[[:space:]]/}" ]; then printf '%s\n' "$notes"; else echo "c5data $version"; fi
