#!/usr/bin/env bash
# Coverage-guided fuzzing of the frame scanner + SIP parser (target "sip") and the SDP parser (target "sdp") with
# AFL++ over a SharpFuzz-instrumented SipTrunk.Sip.dll (issue 7 item 5). Publishes tests/SipTrunk.Fuzz, instruments the
# parser assembly with the sharpfuzz tool (SharpFuzz.CommandLine, installed into a cache directory on first use), then
# runs afl-fuzz on each target from the seed corpus in tests/corpus/<target>/ for a share of --seconds (2/3 sip, 1/3
# sdp). Reports executions and crashes per target; every crashing input is replayed uninstrumented to print its
# exception. Exit status 1 when any target crashed. With --dumb, or when AFL++ or the tool is unavailable, runs the
# uninstrumented seeded mutator in-process for the same time instead. See bench/README.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/fuzz.sh [--seconds 600] [--targets sip,sdp] [--dumb] [--work DIR]
  --seconds  total fuzzing time, split between the targets (default 600, or 60 with CI=true as test.sh runs it)
  --targets  which targets to fuzz
  --dumb     skip AFL++: uninstrumented seeded mutation run in-process
  --work     where AFL++ keeps its queue and findings (default: a fresh temporary directory, kept on a crash)
EOF
}

# CI runs a short bounded pass; by hand the default is ten minutes.
if [ "${CI:-}" = true ]; then seconds=60; else seconds=600; fi
targets=sip,sdp
dumb=false
work=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) [ $# -ge 2 ] || { usage >&2; exit 2; }; seconds="$2"; shift 2 ;;
    --targets) [ $# -ge 2 ] || { usage >&2; exit 2; }; targets="$2"; shift 2 ;;
    --dumb) dumb=true; shift ;;
    --work) [ $# -ge 2 ] || { usage >&2; exit 2; }; work="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -ge 10 ] || { echo "fuzz.sh: --seconds must be a whole number >= 10" >&2; exit 2; }

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sharpfuzz_version=2.3.0
tools="${XDG_CACHE_HOME:-$HOME/.cache}/siptrunk-fuzz/sharpfuzz-$sharpfuzz_version"
[ -n "$work" ] || work="$(mktemp -d -t siptrunk-fuzz.XXXXXX)"
mkdir -p "$work"
build="$work/build"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "fuzz.sh: publishing tests/SipTrunk.Fuzz to $build"
dotnet publish "$repo/tests/SipTrunk.Fuzz/SipTrunk.Fuzz.csproj" -c Release -o "$build" -nologo -v quiet >/dev/null

if [ "$dumb" = false ] && ! command -v afl-fuzz >/dev/null; then
  echo "fuzz.sh: afl-fuzz not found (apt-get install afl++); falling back to the uninstrumented mutation run"
  dumb=true
fi
if [ "$dumb" = false ] && [ ! -x "$tools/sharpfuzz" ]; then
  if ! dotnet tool install --tool-path "$tools" SharpFuzz.CommandLine --version "$sharpfuzz_version" >/dev/null; then
    echo "fuzz.sh: could not install the sharpfuzz tool (SharpFuzz.CommandLine $sharpfuzz_version); falling back to the uninstrumented mutation run"
    dumb=true
  fi
fi

IFS=, read -r -a target_list <<<"$targets"
share() { # target: its seconds out of the total
  if [ "${#target_list[@]}" -eq 1 ]; then echo "$seconds"; elif [ "$1" = sip ]; then echo $((seconds * 2 / 3)); else echo $((seconds - seconds * 2 / 3)); fi
}

total_crashes=0
if [ "$dumb" = true ]; then
  for target in "${target_list[@]}"; do
    status=0
    dotnet "$build/SipTrunk.Fuzz.dll" mutate "$target" "$repo/tests/corpus/$target" "$(share "$target")" 1 "$work/$target-crashes" || status=$?
    [ "$status" -eq 0 ] || total_crashes=$((total_crashes + $(find "$work/$target-crashes" -type f | wc -l)))
  done
else
  # Instrument only the parser assembly: coverage of the harness and the BCL would only dilute AFL++'s map.
  cp -r "$build" "$work/plain"
  "$tools/sharpfuzz" "$build/SipTrunk.Sip.dll" >/dev/null
  # The target is dotnet, not an AFL-compiled binary (SharpFuzz speaks the fork-server protocol itself); the machine
  # may pipe core dumps to a handler and scale CPU frequency, neither of which matters for a bounded run.
  export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1
  export AFL_FORKSRV_INIT_TMOUT=60000 AFL_QUIET=1
  for target in "${target_list[@]}"; do
    out="$work/afl-$target"
    budget="$(share "$target")"
    echo "fuzz.sh: afl-fuzz on '$target' for ${budget}s (seeds: tests/corpus/$target, findings: $out)"
    # -t 5000: a fixed, generous per-input timeout. Not auto-scaled ('+'): on a busy machine a scaled one fires, and
    # a timeout kills the dotnet process, which is SharpFuzz's fork server, ending the run.
    afl-fuzz -i "$repo/tests/corpus/$target" -o "$out" -V "$budget" -t 5000 -m none \
      -- dotnet "$build/SipTrunk.Fuzz.dll" afl "$target" >"$work/afl-$target.log" 2>&1 || {
        echo "fuzz.sh: afl-fuzz on '$target' failed; its log:" >&2
        tail -n 40 "$work/afl-$target.log" >&2
        exit 1
      }
    stats="$out/default/fuzzer_stats"
    afl_stat() { awk -F' *: *' -v key="$1" '$1 == key { print $2 }' "$stats"; }
    crashes=$(find "$out/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
    hangs=$(find "$out/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
    echo "fuzz.sh: $target: $(afl_stat execs_done) execs in $(afl_stat run_time)s ($(afl_stat execs_per_sec)/s), corpus $(afl_stat corpus_count), edges $(afl_stat edges_found)/$(afl_stat total_edges), crashes $crashes, hangs $hangs"
    if [ "$crashes" -gt 0 ]; then
      total_crashes=$((total_crashes + crashes))
      # Replay against the uninstrumented build for the exception and stack.
      find "$out/default/crashes" -type f -name 'id:*' -print0 \
        | xargs -0 dotnet "$work/plain/SipTrunk.Fuzz.dll" replay "$target" 2>&1 | head -n 60 || true
    fi
  done
fi

if [ "$total_crashes" -gt 0 ]; then
  echo "FUZZ FAILED: $total_crashes crashing input(s) kept in $work; each must become a regression test and a parser fix"
  exit 1
fi
echo "fuzz.sh: no crashes"
rm -rf "$work"
