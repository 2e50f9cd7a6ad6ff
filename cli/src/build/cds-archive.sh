#!/usr/bin/env bash
# Builds the class-data-sharing (CDS) archive that bin/modelseal maps at start-up, so the JVM does not
# parse and verify ModelSeal's, BouncyCastle's and the JDK's crypto classes on every command
# (measured: 40 ms less wall time and 60 ms less CPU per command; README, "Measured performance").
#
# Usage: cds-archive.sh JAVA JAR OUT
#   Runs every command once on a throw-away key pair and model with JAVA, recording the classes each
#   loads, then dumps one static archive to OUT and writes OUT.jvm: the real path of JAVA, which
#   bin/modelseal compares with its own java before it passes the archive (an archive only fits the
#   JVM build that wrote it). Both files appear together, or neither does. The class list itself goes
#   to OUT without .jsa plus .classlist: the release ships it, and its launcher dumps a user's archive
#   from it on the first run.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: cds-archive.sh JAVA JAR OUT" >&2; exit 2; }
java="$(readlink -f "$1")"
jar="$(readlink -f "$2")"   # the physical path, as bin/modelseal runs it: CDS checks the class path
out="$3"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
list="${out%.jsa}.classlist"
rm -f "$out" "$out.jvm" "$list"

n=0
train() {   # train ARGS...: one command, its loaded classes appended to the class list
  n=$((n + 1))
  if ! "$java" -XX:+UseG1GC -XX:DumpLoadedClassList="$work/$n.classlist" -cp "$jar" dev.modelseal.cli.Main "$@" \
      >"$work/out" 2>"$work/err"; then
    echo "cds-archive: training command failed: modelseal $*: $(tail -1 "$work/err")" >&2
    exit 1
  fi
}
(
  cd "$work"
  export COSIGN_PASSWORD=cds-training
  train generate-key-pair
  train public-key --key cosign.key
  mkdir model
  printf 'weights' > model/weights.bin
  printf '{}' > model/config.json
  train sign-blob --key cosign.key --output-signature blob.sig --bundle blob.bundle model/weights.bin
  train verify-blob --key cosign.pub --signature blob.sig model/weights.bin
  train verify-blob --key cosign.pub --bundle blob.bundle model/weights.bin
  train sign-model --key cosign.key model
  train verify-model --key cosign.pub model
)
# One list, first occurrence kept (the JDK's own lines first, as each run recorded them). Not named
# *.classlist: the shell creates it before the glob is read, and it would read itself half-written.
cat "$work"/*.classlist | awk '!/^#/ && !seen[$0]++' > "$work/merged.list"
# G1 as bin/modelseal runs it: only a G1 dump archives heap objects (the module graph) on JDK 17.
if ! "$java" -XX:+UseG1GC -Xshare:dump -XX:SharedClassListFile="$work/merged.list" \
    -XX:SharedArchiveFile="$work/modelseal.jsa" -cp "$jar" >"$work/dump.log" 2>&1; then
  echo "cds-archive: the JVM could not dump the archive: $(grep -m1 -i error "$work/dump.log" || tail -1 "$work/dump.log")" >&2
  exit 1
fi
printf '%s\n' "$java" > "$work/modelseal.jsa.jvm"
mv "$work/modelseal.jsa" "$out"
mv "$work/modelseal.jsa.jvm" "$out.jvm"
mv "$work/merged.list" "$list"
echo "cds-archive: $(wc -l < "$list") classes -> $out"
