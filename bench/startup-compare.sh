#!/usr/bin/env bash
# Interleaved start-ups of the example service (DJL + ORT, signed tiny model): no agent, then each agent jar given,
# in turn, RUNS times; prints the median time to the "listening" line of each. For comparing two builds of the agent
# on this VM, where medians of separate runs move by +-40 ms (bench/RESULTS.md).
# Usage: bench/startup-compare.sh RUNS JAR[@EXTRA_ARGS]...   e.g. bench/startup-compare.sh 21 old.jar new.jar new.jar@pin=copy
# Run it under `chrt -f 10` (root) for real-time scheduling, as BENCH_RT=1 does for bench/agent.sh.
set -euo pipefail
[ "${BASH_VERSINFO[0]}" -ge 5 ] || { echo "bench: bash 5 or later is required (EPOCHREALTIME)" >&2; exit 1; }
[ $# -ge 2 ] || { echo "usage: bench/startup-compare.sh RUNS JAR[@EXTRA_ARGS]..." >&2; exit 2; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="$1"; shift
specs=()
for spec in "$@"; do   # jars made absolute before the cd below
  jar="${spec%%@*}"
  [ -f "$jar" ] || { echo "bench: no such agent jar: $jar" >&2; exit 2; }
  specs+=("$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")${spec#"$jar"}")
done
set -- "${specs[@]}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DJL_OFFLINE=true OPT_OUT_TRACKING=true DJL_CACHE_DIR="$work/djl-cache"
examples="$root/examples/target/modelseal-examples.jar"
ms="$root/bin/modelseal"
cd "$work"
COSIGN_PASSWORD=bench "$ms" generate-key-pair >/dev/null 2>&1
mkdir -p models/tiny
java -cp "$examples" dev.modelseal.examples.MakeTinyModel models/tiny/model.onnx >/dev/null
printf 'engine=OnnxRuntime\n' > models/tiny/serving.properties
for f in models/tiny/model.onnx models/tiny/serving.properties; do
  COSIGN_PASSWORD=bench "$ms" sign-blob --key cosign.key --output-signature "$f.sig" "$f" >/dev/null 2>&1
done
ready() {   # ready JVM_ARGS...: ms from exec to the service's "listening" line
  local start line stop=""
  start=${EPOCHREALTIME/[.,]/}
  coproc SVC { exec java "$@" -jar "$examples" models/tiny 0 2>/dev/null; }
  local pid=$SVC_PID
  while IFS= read -r line <&"${SVC[0]}"; do
    if [[ $line == "listening on port"* ]]; then stop=${EPOCHREALTIME/[.,]/}; break; fi
  done
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  [ -n "$stop" ] || { echo "bench: service died" >&2; exit 1; }
  echo $(( (stop - start) / 1000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
ready >/dev/null   # warm the page cache and ORT's native extraction
: > r0.txt
for ((i = 1; i <= $#; i++)); do : > "r$i.txt"; done
for _ in $(seq "$runs"); do
  ready >> r0.txt
  i=1
  for spec in "$@"; do
    extra=""; [[ $spec == *@* ]] && extra=",${spec#*@}"
    ready -javaagent:"${spec%%@*}=key=$work/cosign.pub,audit-log=$work/startup.jsonl$extra" >> "r$i.txt"
    i=$((i + 1))
  done
done
base=$(median < r0.txt)
echo "no agent: $base ms"
i=1
for spec in "$@"; do
  m=$(median < "r$i.txt")
  echo "$spec: $m ms (+$(awk -v a="$m" -v b="$base" 'BEGIN{print a - b}') ms)"
  i=$((i + 1))
done
