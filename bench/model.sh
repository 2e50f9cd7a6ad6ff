#!/usr/bin/env bash
# Benchmark whole-model signing: `modelseal sign-model` / `verify-model` on a directory of 8 files
# (2 GiB by default, in the page cache), against OpenSSL SHA-256 over the same files in the same run:
# one `openssl dgst -sha256` process over all 8 files, and the files split over two parallel
# processes (the practical limit of 2 cores). JVM start included. Also the floor for any JVM:
# bench/HashFloor.java, which only hashes the same files on two threads with the launcher's JVM options
# (no key, signature or manifest). Reports medians, ratios, peak RSS.
# Usage: bench/model.sh [TOTAL_MIB=2048] [RUNS=5]   (needs a build: ./mvnw -q -DskipTests install)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
total_mib="${1:-2048}"
runs="${2:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
timer=/usr/bin/time
[ -x "$timer" ] || { echo "bench: /usr/bin/time is required (apt-get install time)" >&2; exit 1; }
cd "$work"
ms="$root/bin/modelseal"
export COSIGN_PASSWORD=bench
"$ms" generate-key-pair >/dev/null 2>&1
mkdir model
per=$((total_mib / 8))
echo "preparing model/ with 8 files of ${per} MiB in $work" >&2
for i in 0 1 2 3 4 5 6 7; do head -c "$((per * 1024 * 1024))" /dev/urandom > "model/shard-$i.bin"; done
cat model/* > /dev/null
files=(model/shard-*.bin)
javac -d floor "$root/bench/HashFloor.java"
# The launcher's own JVM options, read from bin/modelseal so that the two cannot drift apart; not its
# jar or CDS archive, nor anything else of ModelSeal.
eval "$(sed -n '/^opts=(/,/)$/p' "$root/bin/modelseal")"
floor_opts=("${opts[@]}")
[ "${#floor_opts[@]}" -gt 5 ] || { echo "bench: could not read the JVM options from bin/modelseal" >&2; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
timed() {   # timed OUT CMD...: appends "seconds maxrss_kib"
  local out="$1"; shift
  "$timer" -f "%e %M" -o "$work/t" "$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; exit 1; }
  cat "$work/t" >> "$out"
}
two_openssl() {
  openssl dgst -sha256 "${files[@]:0:4}" >/dev/null & a=$!
  openssl dgst -sha256 "${files[@]:4:4}" >/dev/null & b=$!
  wait "$a"; wait "$b"
}
: > sign.txt; : > verify.txt; : > seq.txt; : > par.txt; : > floor.txt
"$ms" sign-model --key cosign.key model 2>/dev/null
for _ in $(seq "$runs"); do
  cat "${files[@]}" > /dev/null   # back into the page cache: this VM's kernel reclaims idle page cache (DAMON)
  timed sign.txt "$ms" sign-model --key cosign.key --force model
  timed verify.txt "$ms" verify-model --key cosign.pub model
  timed floor.txt java "${floor_opts[@]}" -cp floor HashFloor 2 "${files[@]}"
  timed seq.txt openssl dgst -sha256 "${files[@]}"
  s=$(date +%s%N); two_openssl; e=$(date +%s%N)
  awk -v ns=$((e - s)) 'BEGIN { printf "%.3f 0\n", ns / 1e9 }' >> par.txt
done
sg=$(cut -d' ' -f1 sign.txt | median); vf=$(cut -d' ' -f1 verify.txt | median)
sq=$(cut -d' ' -f1 seq.txt | median); pr=$(cut -d' ' -f1 par.txt | median); fl=$(cut -d' ' -f1 floor.txt | median)
rss_s=$(cut -d' ' -f2 sign.txt | sort -n | tail -1); rss_v=$(cut -d' ' -f2 verify.txt | sort -n | tail -1)
echo "model: 8 files, ${total_mib} MiB, runs: $runs, cores: $(nproc), java: $(java -version 2>&1 | head -1)"
printf 'modelseal sign-model          median %6.2f s   peak RSS %4d MiB\n' "$sg" "$((rss_s / 1024))"
printf 'modelseal verify-model        median %6.2f s   peak RSS %4d MiB\n' "$vf" "$((rss_v / 1024))"
printf 'openssl dgst -sha256, 1 proc  median %6.2f s\n' "$sq"
printf 'openssl dgst -sha256, 2 procs median %6.2f s\n' "$pr"
printf 'JVM floor (HashFloor, 2 thr.) median %6.2f s\n' "$fl"
awk -v v="$vf" -v s="$sg" -v q="$sq" -v p="$pr" -v f="$fl" 'BEGIN {
  printf "verify-model / openssl 2 procs: %.2fx   sign-model / openssl 2 procs: %.2fx\n", v / p, s / p
  printf "verify-model / openssl 1 proc:  %.2fx   (the reference model_signing measured 0.54x here)\n", v / q
  printf "JVM floor / openssl 2 procs:    %.2fx   verify-model / JVM floor: %.2fx\n", f / p, v / f }'
