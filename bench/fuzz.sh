#!/usr/bin/env bash
# Fuzzes every parser of untrusted input with Jazzer (coverage-guided, libFuzzer), one fuzz test after
# the other, each for the @FuzzTest(maxExecutions) of its test (10^6 inputs), and prints one line per
# parser: inputs run, seconds, outcome. A finding fails that parser's run; Jazzer saves the input under
# src/test/resources/.../<Class>Inputs/<method>/, where the normal test run replays it from then on.
#
# Usage: bench/fuzz.sh [[module:]Class#method ...]   (default: all ten; run from anywhere, offline)
# Each run: JAZZER_FUZZ=1, bug-detector hooks on, a heap of 1 GiB (an OutOfMemoryError is a finding)
# and 10 s per input (libFuzzer -timeout, handed over as Jazzer's jazzer.internal.arg.N parameters: a
# JUnit timeout would also end the whole fuzzing run, which is one test invocation).
set -euo pipefail
cd "$(dirname "$0")/.."
ALL=(
  core:JsonFuzzTest#parse
  core:KeyFuzzTest#publicKey
  core:KeyFuzzTest#privateKey
  core:KeyFuzzTest#encryptedKey
  core:SignatureMaterialFuzzTest#detached
  core:SignatureMaterialFuzzTest#bundle
  core:ModelSignatureFuzzTest#readSigned
  core:ModelSignatureFuzzTest#statement
  agent:ConfigFileFuzzTest#parse
  agent:AgentArgsFuzzTest#parse
)
targets=("${@:-${ALL[@]}}")
logs="${TMPDIR:-/tmp}/modelseal-fuzz"
mkdir -p "$logs"
for t in "${targets[@]}"; do
  case "$t" in
    *:*) module="${t%%:*}"; test="${t#*:}" ;;
    Config*|AgentArgs*) module=agent; test="$t" ;;
    *) module=core; test="$t" ;;
  esac
  log="$logs/${test/\#/-}.log"
  start=$(date +%s)
  if JAZZER_FUZZ=1 ./mvnw -B -o verify -pl "$module" -am -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
      -Dmodelseal.fuzz.hooks=true -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-timeout=10 -DargLine=-Xmx1g \
      -Denforcer.skip=true >"$log" 2>&1; then
    outcome="no finding"
  else
    outcome="FAILED (see $log)"
  fi
  done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)
  echo "$test	${done_line:-no libFuzzer summary}	(wall $(( $(date +%s) - start )) s with the build)	$outcome"
done
