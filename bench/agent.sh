#!/usr/bin/env bash
# Benchmark the agent, with and without it, in one run:
#   1. JVM startup overhead on the example service: time from exec to "listening on port N"; also with
#      bench/NoopAgent.java, an agent that does nothing, which is what any -javaagent costs the JVM, and with
#      the models folder named as a root (models=), whose reads are then sealed (JDK file opens woven).
#   2. Verify-and-load overhead for a 100 MiB and a 1 GiB ONNX model loaded with ORT createSession(path):
#      how much longer createSession takes with the agent than without (LoadModel's session-ms, its check
#      included) against `openssl dgst -sha256` of the same bytes; the agent's gate time alone (decision log
#      durationMs: pin + hash + verify; in memory mode it includes reading the model into memory, which ORT
#      then no longer does); and the whole LoadModel run with and without the agent.
# Usage: bench/agent.sh [RUNS=5]   (needs a build: ./mvnw -q -DskipTests install)
# BENCH_SIZES="100 1024" chooses the model sizes in MiB (empty: startup only).
# BENCH_RT=1 (root, chrt): each start-up run under real-time scheduling (chrt -f 10), so that the host's and the
# kernel's own threads do not preempt it; on this 2-core VM default scheduling scatters even the no-agent
# baseline by +-100 ms (bench/RESULTS.md, "Start-up under real-time scheduling").
set -euo pipefail
[ "${BASH_VERSINFO[0]}" -ge 5 ] || { echo "bench: bash 5 or later is required (EPOCHREALTIME)" >&2; exit 1; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DJL_OFFLINE=true OPT_OUT_TRACKING=true DJL_CACHE_DIR="$work/djl-cache"
examples="$root/examples/target/modelseal-examples.jar"
agent="$root/agent/target/modelseal-agent.jar"
ms="$root/bin/modelseal"
rt=()
if [ "${BENCH_RT:-0}" = 1 ]; then
  command -v chrt >/dev/null && [ "$(id -u)" = 0 ] || { echo "bench: BENCH_RT=1 needs root and chrt" >&2; exit 1; }
  rt=(chrt -f 10)
fi
now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $(( t / 1000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

cd "$work"
COSIGN_PASSWORD=bench "$ms" generate-key-pair >/dev/null 2>&1
sign() { COSIGN_PASSWORD=bench "$ms" sign-blob --key cosign.key --output-signature "$1.sig" "$1" 2>/dev/null; }
mkdir -p models/tiny
java -cp "$examples" dev.modelseal.examples.MakeTinyModel models/tiny/model.onnx >/dev/null
printf 'engine=OnnxRuntime\n' > models/tiny/serving.properties
sign models/tiny/model.onnx; sign models/tiny/serving.properties

ready_ms() {   # ready_ms JVM_ARGS...: ms from exec to the service's "listening" line
  # A blocking read of the service's stdout, not a polling loop: polling forked grep and sleep every
  # few ms, which on two cores takes CPU from the JVM being measured and inflates the overhead
  # (bench/RESULTS.md, "Machine and method").
  local start line stop=""
  start=${EPOCHREALTIME/[.,]/}
  coproc SVC { exec ${rt[@]+"${rt[@]}"} java "$@" -jar "$examples" models/tiny 0 2>/dev/null; }
  local pid=$SVC_PID
  while IFS= read -r line <&"${SVC[0]}"; do
    if [[ $line == "listening on port"* ]]; then stop=${EPOCHREALTIME/[.,]/}; break; fi
  done
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  [ -n "$stop" ] || { echo "bench: service died" >&2; exit 1; }
  echo $(( (stop - start) / 1000 ))   # microseconds to ms, as now_ms
}
mkdir noop
javac -d noop "$root/bench/NoopAgent.java"
printf 'Premain-Class: NoopAgent\nCan-Retransform-Classes: true\n' > noop/manifest.txt
jar cfm noop-agent.jar noop/manifest.txt -C noop NoopAgent.class -C noop 'NoopAgent$1.class'
: > base.txt; : > with.txt; : > noop.txt; : > sealed.txt
ready_ms >/dev/null   # warm the page cache and ORT's native extraction
for _ in $(seq "$runs"); do
  ready_ms >> base.txt
  ready_ms -javaagent:"$agent=key=$work/cosign.pub,audit-log=$work/startup.jsonl" >> with.txt
  ready_ms -javaagent:"$work/noop-agent.jar" >> noop.txt
  ready_ms -javaagent:"$agent=key=$work/cosign.pub,models=$work/models,audit-log=$work/sealed.jsonl" >> sealed.txt
done
b=$(median < base.txt); w=$(median < with.txt); n=$(median < noop.txt); s=$(median < sealed.txt)
echo "java: $(java -version 2>&1 | head -1), runs: $runs${rt[0]+, start-up runs under ${rt[*]}}"
echo "startup to first 'listening' line (example service, DJL + ORT, tiny model):"
printf '  without agent %5d ms   with agent %5d ms   overhead %d ms\n' "$b" "$w" "$((w - b))"
printf '  no-op agent   %5d ms   (any -javaagent: %d ms; ModelSeal above a no-op agent: %d ms)\n' \
  "$n" "$((n - b))" "$((w - n))"
printf '  with agent and models=%s (sealed root) %5d ms   overhead %d ms\n' "models" "$s" "$((s - b))"

for mib in ${BENCH_SIZES-100 1024}; do
  mkdir -p "models/m$mib"
  f="models/m$mib/model.onnx"
  java -Xmx12g -cp "$examples" dev.modelseal.examples.MakeTinyModel "$f" onnx $((mib * 1024 * 1024)) >/dev/null
  sign "$f"
  cat "$f" > /dev/null
  : > gate.txt; : > ossl.txt; : > plain.txt; : > agent.txt; : > splain.txt; : > sagent.txt
  for _ in $(seq "$runs"); do
    cat "$f" > /dev/null   # back into the page cache: this VM's kernel reclaims idle page cache (DAMON)
    sync
    s=$(now_ms); openssl dgst -sha256 "$f" > /dev/null; echo $(( $(now_ms) - s )) >> ossl.txt
    s=$(now_ms)
    java -Dexamples.timing=true -cp "$examples" dev.modelseal.examples.LoadModel ort-path "$f" > /dev/null 2> s.txt
    echo $(( $(now_ms) - s )) >> plain.txt
    grep '^session-ms ' s.txt | cut -d' ' -f2 >> splain.txt
    sync
    s=$(now_ms)
    java -javaagent:"$agent=key=$work/cosign.pub,audit-log=$work/load.jsonl" -Dexamples.timing=true \
      -cp "$examples" dev.modelseal.examples.LoadModel ort-path "$f" > /dev/null 2> s.txt
    echo $(( $(now_ms) - s )) >> agent.txt
    grep '^session-ms ' s.txt | cut -d' ' -f2 >> sagent.txt
    grep -o '"durationMs":[0-9.]*' load.jsonl | tail -1 | cut -d: -f2 >> gate.txt
    grep -o '"pin":"[a-z-]*"' load.jsonl | tail -1 | cut -d'"' -f4 > pin.txt
  done
  g=$(median < gate.txt); o=$(median < ossl.txt); p=$(median < plain.txt); a=$(median < agent.txt)
  sp=$(median < splain.txt); sa=$(median < sagent.txt)
  echo "${mib} MiB model, ORT createSession(path), pin $(cat pin.txt):"
  printf '  load-time overhead (createSession with agent %d ms - without %d ms) %d ms   openssl dgst -sha256 %5d ms' \
    "$sa" "$sp" $((sa - sp)) "$o"
  printf '   ratio %.2fx\n' "$(awk -v a=$((sa - sp)) -v b="$o" 'BEGIN{print a/b}')"
  printf '  agent gate (pin + hash + verify) %7.0f ms   ratio %.2fx\n' "$g" \
    "$(awk -v a="$g" -v b="$o" 'BEGIN{print a/b}')"
  printf '  whole LoadModel run: without agent %5d ms, with agent %5d ms\n' "$p" "$a"
  rm -f "$f"
done
