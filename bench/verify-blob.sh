#!/usr/bin/env bash
# Benchmark: `modelseal verify-blob` against `openssl dgst -sha256 -verify` on the same file, in the
# same run, JVM start included. Reports the median wall time of each, their ratio and peak RSS.
# Usage: bench/verify-blob.sh [SIZE_MIB=1024] [RUNS=5]   (needs a built CLI: ./mvnw -q package -DskipTests)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mib="${1:-1024}"
runs="${2:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

command -v openssl >/dev/null || { echo "bench: openssl is required" >&2; exit 1; }
timer=/usr/bin/time
[ -x "$timer" ] || { echo "bench: /usr/bin/time is required (apt-get install time)" >&2; exit 1; }

echo "preparing a ${size_mib} MiB file, a key pair and a signature in $work" >&2
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > model.bin
COSIGN_PASSWORD=bench "$root/bin/modelseal" generate-key-pair >/dev/null 2>&1
COSIGN_PASSWORD=bench "$root/bin/modelseal" sign-blob --key cosign.key --output-signature model.sig model.bin 2>/dev/null
base64 -d model.sig > model.sig.der
cat model.bin > /dev/null   # page cache, for both tools alike

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
run() {   # prints "seconds maxrss_kib" of one run of the command
  "$timer" -f "%e %M" -o "$work/t" "$@" >/dev/null 2>&1 || { echo "bench: command failed: $*" >&2; exit 1; }
  cat "$work/t"
}

: > ms.txt; : > os.txt
for _ in $(seq "$runs"); do
  cat model.bin > /dev/null   # back into the page cache: this VM's kernel reclaims idle page cache (DAMON)
  run "$root/bin/modelseal" verify-blob --key cosign.pub --signature model.sig model.bin >> ms.txt
  run openssl dgst -sha256 -verify cosign.pub -signature model.sig.der model.bin >> os.txt
done
ms=$(cut -d' ' -f1 ms.txt | median); os=$(cut -d' ' -f1 os.txt | median)
ms_rss=$(cut -d' ' -f2 ms.txt | sort -n | tail -1); os_rss=$(cut -d' ' -f2 os.txt | sort -n | tail -1)
echo "file: ${size_mib} MiB, runs: $runs, java: $(java -version 2>&1 | head -1)"
printf 'modelseal verify-blob   median %6.2f s   peak RSS %4d MiB\n' "$ms" "$((ms_rss / 1024))"
printf 'openssl dgst -verify    median %6.2f s   peak RSS %4d MiB\n' "$os" "$((os_rss / 1024))"
awk -v a="$ms" -v b="$os" 'BEGIN { printf "ratio modelseal/openssl: %.2fx\n", a / b }'
