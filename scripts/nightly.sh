#!/usr/bin/env bash
# The nightly fabric health job, for cron or a systemd timer (docs/nightly.md):
# adds tonight's captures (or per-node summaries) to the history, judges the night
# against its limits and its baseline, writes the report, JUnit and Prometheus
# textfile, and keeps the history to a bounded size.
#
#   scripts/nightly.sh --db FILE --out DIR [--label NAME] [--textfile-dir DIR] [--keep N]
#                      [--replace] [--bin FABRICSCOPE] INPUT… [-- NIGHTLY OPTIONS]
#
# A label already in the history (the job run twice tonight) is refused with exit 2
# and nothing printed but the reason; --replace stores tonight's run and reports in
# place of the earlier ones.
# Exit status: 0 all checks ok or warn; 1 a check failed; 2 bad input (as 'nightly').
set -euo pipefail
bin=$(command -v fabricscope || echo "$(dirname "$0")/../.build/release/fabricscope")
db="" out="" label=$(date -u +%Y-%m-%d) textfile="" keep=90 inputs=() extra=() replace=()
while (($#)); do
  case $1 in
    --db) db=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --label) label=$2; shift 2 ;;
    --textfile-dir) textfile=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --replace) replace=(--replace --force); shift ;;
    --) shift; extra=("$@"); break ;;
    *) inputs+=("$1"); shift ;;
  esac
done
[[ -n $db && -n $out && ${#inputs[@]} -gt 0 ]] || {
  echo "usage: nightly.sh --db FILE --out DIR [--label NAME] [--textfile-dir DIR] [--keep N] [--replace] INPUT… [-- OPTIONS]" >&2
  exit 2
}
mkdir -p "$out"
# A fabric's night holds 10⁴–10⁵ flows: transparent huge pages for malloc's heap
# (glibc 2.35+; older ones ignore it) save TLB misses (docs/performance.md).
export GLIBC_TUNABLES=${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1}
outputs=(-o "$out/$label.txt" --junit "$out/$label.junit.xml" --html "$out/$label.html")
[[ -n $textfile ]] && outputs+=(--prometheus "$textfile/fabricscope.prom")
status=0
"$bin" nightly --db "$db" --label "$label" "${replace[@]}" "${inputs[@]}" "${outputs[@]}" "${extra[@]}" || status=$?
# Only a night that was judged has a report to show: on exit 2 (a label already
# stored, bad input) the file there, if any, is an earlier run's.
if ((status == 2)); then exit 2; fi
"$bin" history prune --db "$db" --keep "$keep" >/dev/null
cat "$out/$label.txt"
exit "$status"
