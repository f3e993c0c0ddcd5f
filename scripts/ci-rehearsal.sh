#!/usr/bin/env bash
# Rehearses CI as it really runs: a fresh clone of the committed HEAD in an empty temporary folder, with nothing
# beside it (no shared data folder, no node_modules, no dist), then `.ci/run` there. Uncommitted changes are not tested.
#   scripts/ci-rehearsal.sh            keep the clone only when it fails
#   KEEP=1 scripts/ci-rehearsal.sh     always keep it
set -euo pipefail
repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
parent=$(mktemp -d "${TMPDIR:-/tmp}/xavier-lens-ci.XXXXXX")
git clone --quiet --no-local "$repo" "$parent/xavier-lens"
echo "== CI rehearsal of $(git -C "$parent/xavier-lens" rev-parse --short HEAD) in $parent/xavier-lens (nothing beside it: $(ls -A "$parent"))"
status=0
(cd "$parent/xavier-lens" && bash .ci/run) || status=$?
if [ "$status" -eq 0 ] && [ -z "${KEEP:-}" ]; then rm -rf "$parent"; else echo "== clone kept in $parent"; fi
echo "== CI rehearsal exit $status"
exit "$status"
