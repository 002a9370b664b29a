#!/usr/bin/env bash
# Regenerates the "Latest local results" section of docs/bench.md:
# runs `sandgate bench --quick` (plus any arguments given here), keeps result.json / chart.svg / chart.png
# under docs/bench/, and rewrites the text between the bench-results markers with the printed report.
#   scripts/bench-docs.sh                 # --quick, every scenario, concurrency 1
#   scripts/bench-docs.sh --runs 20       # extra arguments go to the bench
# SANDGATE overrides the command (default: node dist/cli/main.js).
set -euo pipefail
cd "$(dirname "$0")/.."
SANDGATE=${SANDGATE:-node dist/cli/main.js}
OUT=docs/bench
DOC=docs/bench.md
report=$(mktemp)
trap 'rm -f "$report"' EXIT

[ -f dist/cli/main.js ] || npm run build
status=0
# shellcheck disable=SC2086
$SANDGATE bench --quick --out "$OUT" "$@" >"$report" || status=$?
if [ "$status" -gt 1 ]; then
  echo "bench-docs: the bench failed (exit $status); $DOC left unchanged" >&2
  exit "$status"
fi
[ "$status" -eq 1 ] && echo "bench-docs: some cells FAILed; writing them to $DOC anyway" >&2

REPORT="$report" DOC="$DOC" OUT="$OUT" node --input-type=module -e '
import { readFileSync, writeFileSync } from "node:fs";
const { REPORT, DOC, OUT } = process.env;
const start = "<!-- bench-results:start -->", end = "<!-- bench-results:end -->";
const doc = readFileSync(DOC, "utf8");
const i = doc.indexOf(start), j = doc.indexOf(end);
if (i < 0 || j < i) { console.error(`bench-docs: markers not found in ${DOC}`); process.exit(1); }
const r = JSON.parse(readFileSync(`${OUT}/result.json`, "utf8"));
const when = `Generated ${r.finishedAt ?? r.startedAt} on ${r.machine.cpus} CPUs / ${r.machine.memGiB} GiB ` +
  `(load ${r.machine.loadAvg1?.start ?? "?"} → ${r.machine.loadAvg1?.end ?? "?"}), Node ${r.machine.node}, Chromium ${r.machine.chromium}.`;
const body = [when, "", readFileSync(REPORT, "utf8").trim(), "", "![bench chart](bench/chart.png)", ""].join("\n");
writeFileSync(DOC, doc.slice(0, i + start.length) + "\n" + body + doc.slice(j));
console.error(`bench-docs: updated ${DOC} and ${OUT}/`);
'
