#!/usr/bin/env bash
# pr-summary.sh BASE_DIR HEAD_DIR OUT_DIR
#
# The reviewer's summary of a pull request's data changes: what `c5data diff BASE HEAD` finds
# (Markdown) and the SemVer bump the change needs (`c5data release --dry-run --previous BASE`),
# appended to $GITHUB_STEP_SUMMARY (standard output when unset). The full diff, every row, goes
# to OUT_DIR/diff.json, which the workflow uploads as the artifact $DIFF_ARTIFACT.
#
# GitHub refuses a step summary over 1 MiB, so the summary is kept under $SUMMARY_MAX_BYTES (default
# 1,000,000 bytes): a diff too long lists fewer rows per kind (`--limit`), and, if still too long, is
# cut at a line boundary; either way it says so, and the footer points to the full JSON.
# Exit code: 0, or the first failing command's code (the summary says what failed).
set -uo pipefail
base=${1:?usage: pr-summary.sh BASE_DIR HEAD_DIR OUT_DIR}
head=${2:?usage: pr-summary.sh BASE_DIR HEAD_DIR OUT_DIR}
out=${3:?usage: pr-summary.sh BASE_DIR HEAD_DIR OUT_DIR}
summary=${GITHUB_STEP_SUMMARY:-/dev/stdout}
max=${SUMMARY_MAX_BYTES:-1000000}
artifact=${DIFF_ARTIFACT:-pr-diff}
c5data=${C5DATA:-c5data}
mkdir -p "$out"
status=0

# A command's output shown as it is: an indented code block, which no line of it can close (a fenced block would end
# at a line of backticks), with carriage returns made visible (Markdown reads a lone CR as a line break).
verbatim() {
  sed 's/\r/↵/g; s/^/    /'
}

where="the \`$artifact\` artifact of this run"
if [ -n "${GITHUB_RUN_ID:-}" ]; then
  where="the \`$artifact\` artifact of [this run](${GITHUB_SERVER_URL:-https://github.com}/${GITHUB_REPOSITORY:-}/actions/runs/$GITHUB_RUN_ID)"
fi

"$c5data" diff "$base" "$head" --format json > "$out/diff.json" 2> "$out/diff.err" || status=$?
"$c5data" diff "$base" "$head" --format markdown --limit 1000000 > "$out/diff.md" 2>> "$out/diff.err" || { rc=$?; [ "$status" -ne 0 ] || status=$rc; }
"$c5data" release "$head" --previous "$base" --dry-run > "$out/bump.txt" 2>&1 || { rc=$?; [ "$status" -ne 0 ] || status=$rc; }

level=$(sed -n '1s/^.*: \([a-z]*\) change; proposed.*$/\1/p' "$out/bump.txt")
{
  echo "# Data changes"
  echo
  if [ -n "$level" ]; then
    echo "**SemVer bump needed: $level**"
  elif grep -q "no table, column or row changed" "$out/bump.txt"; then
    echo "**SemVer bump needed: none** (no table, column or row changed)"
  else
    echo "**SemVer bump needed: unknown** (\`c5data release --dry-run\` did not say; see below)"
  fi
  echo
  verbatim < "$out/bump.txt"
  echo
  if [ -s "$out/diff.err" ]; then
    echo "\`c5data diff\` failed:"
    echo
    head -c 20000 "$out/diff.err" | verbatim
    echo
  fi
} > "$out/head.md"
footer="The full diff, every row, as JSON (\`c5data diff --format json\`): $where."

# Room left for the diff: the limit less the header, the footer and the truncation note.
budget=$(( max - $(wc -c < "$out/head.md") - ${#footer} - 400 ))
size=$(wc -c < "$out/diff.md")
note=""
if [ "$size" -gt "$budget" ]; then
  # Too long: list fewer rows per kind ("… and N more") until it fits.
  for limit in 1000 200 50 10 1; do
    "$c5data" diff "$base" "$head" --format markdown --limit "$limit" > "$out/diff-short.md" 2>/dev/null || break
    if [ "$(wc -c < "$out/diff-short.md")" -le "$budget" ]; then
      cp "$out/diff-short.md" "$out/diff.md"
      note="**The diff is shortened** to at most $limit row(s) listed per kind ($size bytes in full; a step summary holds at most 1 MiB)."
      break
    fi
  done
fi
{
  cat "$out/head.md"
  if [ "$(wc -c < "$out/diff.md")" -le "$budget" ]; then
    cat "$out/diff.md"
  else
    # Still too long: cut at the limit, then drop the last (perhaps partial, perhaps mid-character) line.
    head -c "$(( budget > 0 ? budget : 0 ))" "$out/diff.md" | sed '$d'
    echo
    note="**The diff is truncated here** ($size bytes of Markdown; a step summary holds at most 1 MiB)."
  fi
  if [ -n "$note" ]; then
    echo
    echo "$note"
  fi
  echo
  echo "$footer"
} >> "$summary"
exit "$status"
