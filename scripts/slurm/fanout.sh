#!/usr/bin/env bash
# The nightly fan-out on Slurm: a job array analyses one node's capture per task
# ('analyze --summary-out'), and a dependent job (afterok) merges the summaries into
# the night's run and judges it ('nightly'). Submits both and waits.
#
#   scripts/slurm/fanout.sh --db FILE --label NAME --out DIR [--bin FABRICSCOPE] CAPTURE…
#
# Extra 'nightly' options (--prometheus, --junit, --html, --config, …) go after "--".
# The array's tasks each read ${captures[SLURM_ARRAY_TASK_ID]} from a list file, as a
# real cluster's tasks would read the capture their node wrote.
set -euo pipefail
bin=$(command -v fabricscope || true)
db="" label="" out="" captures=() extra=()
while (($#)); do
  case $1 in
    --db) db=$2; shift 2 ;;
    --label) label=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) captures+=("$1"); shift ;;
  esac
done
[[ -n $db && -n $label && -n $out && -n $bin && ${#captures[@]} -gt 0 ]] || {
  echo "usage: fanout.sh --db FILE --label NAME --out DIR [--bin FABRICSCOPE] CAPTURE… [-- NIGHTLY OPTIONS]" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
printf '%s\n' "${captures[@]}" > "$out/captures.txt"
last=$(( ${#captures[@]} - 1 ))

array=$(sbatch --parsable --job-name="fabricscope-analyze-$label" --array="0-$last" --time=10 \
  --output="$out/analyze-%a.log" --wrap="
    capture=\$(sed -n \"\$((SLURM_ARRAY_TASK_ID + 1))p\" '$out/captures.txt')
    '$bin' analyze \"\$capture\" --summary-out '$out/summary-'\$SLURM_ARRAY_TASK_ID'.json' --force -o /dev/null")
summaries=$(for i in $(seq 0 "$last"); do printf "'%s' " "$out/summary-$i.json"; done)
quoted_extra=$(printf "'%s' " "${extra[@]}")
merge=$(sbatch --parsable --job-name="fabricscope-nightly-$label" --dependency="afterok:$array" --time=10 \
  --output="$out/nightly.log" --wrap="
    '$bin' nightly --db '$db' --label '$label' $summaries ${extra:+$quoted_extra}; echo \"exit \$?\" > '$out/nightly.status'")
echo "submitted array $array (${#captures[@]} tasks) and nightly $merge (afterok)"
# Wait for the dependent job, bounded: a stuck scheduler must not hang cron or CI.
timeout 300 bash -c "until ! squeue -h -j '$array,$merge' 2>/dev/null | grep -q .; do sleep 0.5; done" || {
  echo "fanout: jobs still queued after 300 s" >&2; squeue >&2; exit 1; }
cat "$out/nightly.log"
status=$(sed -n 's/^exit //p' "$out/nightly.status" 2>/dev/null || echo 2)
exit "${status:-2}"
