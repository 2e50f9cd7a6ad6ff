#!/usr/bin/env bash
# Large models (issue 18), with and without the agent, in one run, against `openssl dgst -sha256` of the
# same bytes. For each size (1 GiB; also 10 GiB with BENCH_LARGE=1 when the disk has room):
#   (a) writable folder: an ONNX model directory (model.onnx + serving.properties, cosign .sig each)
#       loaded through DJL (`LoadModel criteria`): whole run without and with the agent, the agent's gate
#       (decision log durationMs), bytes the JVM wrote, and a restart on the unchanged model.
#   (b) read-only storage: a GGUF (cosign .sig: one sequential SHA-256 pass by construction) on a file system
#       mounted read-only (a tmpfs remounted ro), loaded with java-llama.cpp (examples' LoadGguf): the agent's added time against one
#       openssl pass, bytes written, restart.
#   (c) one file signed as OMS shards (`sign-model --shard-size`): verified by the agent (ORT createSession
#       (path); above 2 GiB, ONNX's limit, random bytes through XGBoost loadModel(path), which fails to parse
#       them after the agent allowed them: the agent's gate is what is measured there) and by
#       `bin/modelseal verify-model`, each against one openssl pass (ratio), bytes written, restart.
# Targets (issue 18): read-only first load <= 1.25x one openssl pass + 0.3 s, <= 16 MiB written, restart
# <= 0.3 s; writable DJL whole load <= 1.35x the load without agent, <= 16 MiB written; 10 GiB sharded
# file <= 0.6x one openssl pass on 2 cores. The script reports what it measures whatever the pin mode.
# Usage: bench/large-models.sh [RUNS=3]   (needs a build: ./mvnw -B package -DskipTests)
# BENCH_LARGE=1 adds 10 GiB; BENCH_SIZES="1024" sets the sizes in MiB; BENCH_SHARD_MIB=128 the shard size;
# BENCH_PARTS="a b c" chooses the parts. The read-only part needs root (mount --bind); else it is skipped.
# BENCH_BASE_AGENT=JAR also runs (c) with another agent jar (an earlier build), interleaved, for its gate time.
set -euo pipefail
[ "${BASH_VERSINFO[0]}" -ge 5 ] || { echo "bench: bash 5 or later is required (EPOCHREALTIME)" >&2; exit 1; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-3}"
examples="$root/examples/target/modelseal-examples.jar"
agent="$root/agent/target/modelseal-agent.jar"
ms="$root/bin/modelseal"
for f in "$examples" "$agent"; do
  [ -f "$f" ] || { echo "bench: $f is missing: build first (./mvnw -B package -DskipTests)" >&2; exit 1; }
done
command -v openssl >/dev/null || { echo "bench: openssl is required" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is required (apt-get install time)" >&2; exit 1; }
work="$(mktemp -d)"
ro=""
cleanup() { if [ -n "$ro" ]; then umount "$ro" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT
export DJL_OFFLINE=true OPT_OUT_TRACKING=true DJL_CACHE_DIR="$work/djl-cache"
now_us() { echo "${EPOCHREALTIME/[.,]/}"; }
median() {   # median [DECIMALS=0]: of the numbers on stdin
  sort -n | awk -v d="${1:-0}" '{a[NR]=$1} END {m = (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; printf("%." d "f\n", m)}'
}
col() { awk -v c="$2" '{print $c}' "$1" | median; }   # col FILE N: median of column N
load() { cut -d' ' -f1-3 /proc/loadavg; }
shard_mib="${BENCH_SHARD_MIB:-128}"
parts="${BENCH_PARTS:-a b c}"

# timed OUT CMD...: runs CMD (output discarded) and appends "wall_ms written_blocks exit_code" to OUT;
# written_blocks is /usr/bin/time's %O (the kernel's ru_oublock: 512-byte units the process wrote).
timed() {
  local out=$1 s e rc=0
  shift
  s=$(now_us)
  /usr/bin/time -f '%O' -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || rc=$?
  e=$(now_us)
  echo "$(( (e - s) / 1000 )) $(tail -1 "$work/time.txt") $rc" >> "$out"
}
# gate LOG: the agent's durationMs of the last allow decision (pin + hash + verify), or "refused"
gate() {
  local d
  d=$( (grep '"decision":"allow"' "$1" || true) | grep -o '"durationMs":[0-9]*' | tail -1 | cut -d: -f2)
  echo "${d:-refused}"
}
ossl_ms() { local s; s=$(now_us); openssl dgst -sha256 "$1" > /dev/null; echo $(( ($(now_us) - s) / 1000 )); }
warm() { cat "$@" > /dev/null; }   # this VM's kernel reclaims idle page cache (DAMON): read it back first
mib() { awk -v b="$1" 'BEGIN{printf "%.1f", b * 512 / 1048576}'; }   # 512-byte blocks to MiB
written() {   # written PREFIX: the JVM's writes without and with the agent, and what the agent added
  local p w r
  p=$(col "$1-plain.txt" 2); w=$(col "$1-agent.txt" 2); r=$(col "$1-restart.txt" 2)
  printf '    written by the JVM: without agent %s MiB, with agent %s MiB, restart %s MiB; added by the agent %s MiB' \
    "$(mib "$p")" "$(mib "$w")" "$(mib "$r")" "$(mib $((w - p)))"
  printf ' (restart %s MiB; target <= 16)\n' "$(mib $((r - p)))"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a / b}'; }
# The agent's pin folder (and so its verified-result cache) is the run's own: a first load starts with no cache
# entry (first_load clears it), a restart finds the one the first load wrote.
agentopt() { echo "-javaagent:$agent=config=$work/agent.conf,audit-log=$work/$1"; }   # agentopt LOG
first_load() { rm -rf "$work/pins/modelseal-verified-cache"; }

cd "$work"
COSIGN_PASSWORD=bench "$ms" generate-key-pair >/dev/null 2>&1
mkdir -m 700 pins
printf 'key.bench = %s\npin-dir = %s\n' "$work/cosign.pub" "$work/pins" > agent.conf
sign() { COSIGN_PASSWORD=bench "$ms" sign-blob --key cosign.key --output-signature "$1.sig" "$1" 2>/dev/null; }
sizes="${BENCH_SIZES-1024}"
if [ "${BENCH_LARGE:-0}" = 1 ]; then
  avail=$(df -Pm "$work" | awk 'NR==2{print $4}')
  if [ "$avail" -ge $((3 * 10240 + 2048)) ]; then sizes="$sizes 10240"
  else echo "10 GiB skipped: $avail MiB free under $work, 32 GiB needed (model, pinned copy, headroom)"; fi
fi
echo "java: $(java -version 2>&1 | head -1); $(openssl version); $(nproc) cores; runs: $runs; load average at start: $(load)"

onnx() {   # onnx PATH MIB: a real ONNX model of about MIB MiB (MakeTinyModel pads it with an unused initializer)
  mkdir -p "$(dirname "$1")"
  java -Xmx12g -cp "$examples" dev.modelseal.examples.MakeTinyModel "$1" onnx $(($2 * 1024 * 1024)) >/dev/null
}

for size in $sizes; do
  echo "== ${size} MiB =="
  if [ "$size" -le 2000 ]; then onnx models/src/model.onnx "$size"
  else mkdir -p models/src; head -c $((size * 1024 * 1024)) /dev/urandom > models/src/model.onnx; fi
  model=models/src/model.onnx

  if [[ " $parts " == *" a "* ]]; then
    if [ "$size" -gt 2000 ]; then echo "(a) skipped: ONNX protobuf files stop at 2 GiB"; else
    dir=models/a; mkdir -p "$dir"; cp "$model" "$dir/model.onnx"
    printf 'engine=OnnxRuntime\n' > "$dir/serving.properties"
    sign "$dir/model.onnx"; sign "$dir/serving.properties"
    : > a-plain.txt; : > a-agent.txt; : > a-restart.txt; : > a-gate.txt; : > a-gate2.txt; : > a-ossl.txt
    for _ in $(seq "$runs"); do
      warm "$dir/model.onnx"; sync
      ossl_ms "$dir/model.onnx" >> a-ossl.txt
      timed a-plain.txt java -cp "$examples" dev.modelseal.examples.LoadModel criteria "$dir"
      sync; rm -f a.jsonl; first_load
      timed a-agent.txt java "$(agentopt a.jsonl)" -cp "$examples" dev.modelseal.examples.LoadModel criteria "$dir"
      gate a.jsonl >> a-gate.txt
      sync; rm -f a.jsonl   # restart on the unchanged model
      timed a-restart.txt java "$(agentopt a.jsonl)" -cp "$examples" dev.modelseal.examples.LoadModel criteria "$dir"
      gate a.jsonl >> a-gate2.txt
    done
    p=$(col a-plain.txt 1); w=$(col a-agent.txt 1); r=$(col a-restart.txt 1)
    echo "(a) writable folder, ONNX through DJL Criteria (cosign .sig per file), load average $(load):"
    printf '    whole load: without agent %d ms, with agent %d ms: %sx (target <= 1.35x); restart %d ms: %sx\n' \
      "$p" "$w" "$(ratio "$w" "$p")" "$r" "$(ratio "$r" "$p")"
    printf '    agent gate %s ms (restart %s ms), openssl dgst -sha256 %s ms: %sx\n' "$(median < a-gate.txt)" \
      "$(median < a-gate2.txt)" "$(median < a-ossl.txt)" "$(ratio "$(median < a-gate.txt)" "$(median < a-ossl.txt)")"
    written a
    rm -rf "$dir"; fi
  fi

  if [[ " $parts " == *" b "* ]]; then
    if [ "$(id -u)" != 0 ]; then echo "(b) skipped: mounting read-only storage needs root"
    else
      # Read-only storage as a container sees a readOnly volume: a file system mounted only read-only (a
      # tmpfs remounted ro; a read-only bind of a folder that stays writable elsewhere would not qualify,
      # since the file could still be changed through the writable mount).
      mkdir -p models/ro
      mount -t tmpfs -o size=$((size + 64))m modelseal-bench models/ro && ro="$work/models/ro"
      # TinyGguf's one-layer LLaMA followed by random bytes up to the size: llama.cpp maps the file and
      # reads only its tensors, the agent verifies every byte (a cosign .sig: one sequential pass).
      java -cp "$examples" dev.modelseal.examples.MakeTinyModel "$ro/model.gguf" gguf \
        $((size * 1024 * 1024 - 4096)) >/dev/null
      sign "$ro/model.gguf"
      mount -o remount,ro "$ro"
      f="$ro/model.gguf"
      : > b-plain.txt; : > b-agent.txt; : > b-restart.txt; : > b-gate.txt; : > b-gate2.txt; : > b-ossl.txt
      for _ in $(seq "$runs"); do
        warm "$f"; sync
        ossl_ms "$f" >> b-ossl.txt
        timed b-plain.txt java -cp "$examples" dev.modelseal.examples.LoadGguf "$f"
        sync; rm -f b.jsonl; first_load
        timed b-agent.txt java "$(agentopt b.jsonl)" -cp "$examples" dev.modelseal.examples.LoadGguf "$f"
        gate b.jsonl >> b-gate.txt
        sync; rm -f b.jsonl
        timed b-restart.txt java "$(agentopt b.jsonl)" -cp "$examples" dev.modelseal.examples.LoadGguf "$f"
        gate b.jsonl >> b-gate2.txt
      done
      pin=$(grep -o '"pin":"[a-z-]*"' b.jsonl | tail -1)
      o=$(median < b-ossl.txt); p=$(col b-plain.txt 1); w=$(col b-agent.txt 1); r=$(col b-restart.txt 1)
      echo "(b) read-only file system, GGUF through java-llama.cpp ModelParameters.setModel (cosign .sig), $pin, load average $(load):"
      printf '    whole run: without agent %d ms, with agent %d ms, restart %d ms\n' "$p" "$w" "$r"
      printf '    agent added %d ms; budget 1.25 x openssl %d ms + 300 = %d ms; gate %s ms\n' \
        "$((w - p))" "$o" "$(awk -v o="$o" 'BEGIN{printf "%d", 1.25 * o + 300}')" "$(median < b-gate.txt)"
      printf '    restart: added %d ms (target <= 300), gate %s ms\n' "$((r - p))" "$(median < b-gate2.txt)"
      written b
      umount "$ro"; ro=""; rm -rf models/ro
    fi
  fi

  if [[ " $parts " == *" c "* ]]; then
    f=models/src/model.onnx
    loader=(dev.modelseal.examples.LoadModel ort-path)
    if [ "$size" -gt 2000 ]; then loader=(dev.modelseal.examples.LoadTreeModel xgb-path); fi
    COSIGN_PASSWORD=bench "$ms" sign-model --key cosign.key --shard-size $((shard_mib * 1024 * 1024)) "$f" 2>/dev/null
    : > c-plain.txt; : > c-agent.txt; : > c-restart.txt; : > c-gate.txt; : > c-gate2.txt; : > c-ossl.txt
    : > c-vm.txt; : > c-bps.txt; : > c-base.txt
    for _ in $(seq "$runs"); do
      warm "$f"; sync
      ossl_ms "$f" >> c-ossl.txt
      timed c-vm.txt "$ms" verify-model --key cosign.pub "$f"
      timed c-plain.txt java -cp "$examples" "${loader[@]}" "$f"
      sync; rm -f c.jsonl; first_load
      timed c-agent.txt java "$(agentopt c.jsonl)" -cp "$examples" "${loader[@]}" "$f"
      gate c.jsonl >> c-gate.txt
      (grep -o '"event":"verify-end".*"bytesPerSecond":[0-9]*' c.jsonl | grep -o '[0-9]*$' || echo 0) >> c-bps.txt
      sync; rm -f c.jsonl
      timed c-restart.txt java "$(agentopt c.jsonl)" -cp "$examples" "${loader[@]}" "$f"
      gate c.jsonl >> c-gate2.txt
      if [ -n "${BENCH_BASE_AGENT:-}" ]; then
        sync; rm -f c.jsonl
        java -javaagent:"$BENCH_BASE_AGENT=key=$work/cosign.pub,audit-log=$work/c.jsonl" -cp "$examples" \
          "${loader[@]}" "$f" >/dev/null 2>&1 || true
        gate c.jsonl >> c-base.txt
      fi
    done
    o=$(median < c-ossl.txt); g=$(median < c-gate.txt); v=$(col c-vm.txt 1)
    echo "(c) one ${size} MiB file signed as OMS shards of ${shard_mib} MiB, load average $(load):"
    printf '    agent gate %s ms, openssl dgst -sha256 %d ms: %sx (target <= 0.6x on 2 cores); verify-end %s MB/s\n' \
      "$g" "$o" "$(ratio "$g" "$o")" "$(awk -v b="$(median < c-bps.txt)" 'BEGIN{printf "%.0f", b / 1e6}')"
    if [ -n "${BENCH_BASE_AGENT:-}" ]; then
      printf '    base agent (%s) gate %s ms: %sx openssl; this agent / base agent, median of per-round ratios: %sx\n' \
        "$BENCH_BASE_AGENT" "$(median < c-base.txt)" "$(ratio "$(median < c-base.txt)" "$o")" \
        "$(paste c-gate.txt c-base.txt | awk '{printf "%.3f\n", $1 / $2}' | median 3)"
    fi
    printf '    modelseal verify-model %d ms (exit %s): %sx one openssl pass\n' "$v" "$(col c-vm.txt 3)" "$(ratio "$v" "$o")"
    printf '    whole %s run: without agent %d ms (exit %s), with agent %d ms, restart %d ms (gate %s ms)\n' \
      "${loader[*]##*.}" "$(col c-plain.txt 1)" "$(col c-plain.txt 3)" "$(col c-agent.txt 1)" "$(col c-restart.txt 1)" "$(median < c-gate2.txt)"
    written c
  fi
  rm -rf models
done
echo "load average at end: $(load)"
