#!/usr/bin/env bash
# Where SipTrunk's CPU goes while it carries calls: runs one bench/sipp-cps-ramp.sh step at a fixed rate with managed
# symbols exported for perf (DOTNET_PerfMapEnabled=1; W^X off so perf can read the JIT'd code), samples SipTrunk's
# call stacks with `perf record` in the middle of the step, and prints the share of samples per category
# (bench/perf/classify.awk) and which callers pay for SIP parsing and validation (bench/perf/sip-entry-points.awk).
# The perf map slows SipTrunk slightly: read the shares, not the step's us/call. See bench/README.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/profile-siptrunk.sh [--rate 1000] [--seconds 30] [--record 10] [--keep]
  --rate     calls per second of the profiled step (1-100000)
  --seconds  length of the step (10-300)
  --record   seconds of sampling, started a third of the way into the step (2 to seconds/2)
  --keep     keep the work directory (perf.data, perf script output, the ramp's output)
Extra environment for SipTrunk (e.g. DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0) goes in SIPTRUNK_BENCH_ENV.
EOF
}

rate=1000
seconds=30
record=10
keep=false
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) [ $# -ge 2 ] || { usage >&2; exit 2; }; rate="$2"; shift 2 ;;
    --seconds) [ $# -ge 2 ] || { usage >&2; exit 2; }; seconds="$2"; shift 2 ;;
    --record) [ $# -ge 2 ] || { usage >&2; exit 2; }; record="$2"; shift 2 ;;
    --keep) keep=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "profile-siptrunk: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$rate" =~ ^[0-9]+$ ]] && [ "$rate" -ge 1 ] && [ "$rate" -le 100000 ] || { echo "profile-siptrunk: --rate must be 1-100000" >&2; exit 2; }
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -ge 10 ] && [ "$seconds" -le 300 ] || { echo "profile-siptrunk: --seconds must be 10-300" >&2; exit 2; }
[[ "$record" =~ ^[0-9]+$ ]] && [ "$record" -ge 2 ] && [ "$record" -le $((seconds / 2)) ] \
  || { echo "profile-siptrunk: --record must be 2 to $((seconds / 2))" >&2; exit 2; }

bench_name=profile-siptrunk
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
require_tools perf ss awk sort
bench_init

# The ramp script runs in its own process group's trap-protected shell: SIGTERM makes it stop everything it started.
SIPTRUNK_BENCH_ENV="DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 ${SIPTRUNK_BENCH_ENV:-}" \
  "$bench_repo/bench/sipp-cps-ramp.sh" --steps "$rate" --seconds "$seconds" --warmup 5 >"$work/ramp.out" 2>&1 &
started[ramp]=$!

# The warm-up row marks the start of the measured step; the SipTrunk port is on the "mode:" line.
for ((i = 0; i < 1200; i++)); do
  grep -q '^ *w[0-9]' "$work/ramp.out" && break
  kill -0 "${started[ramp]}" 2>/dev/null || { cat "$work/ramp.out" >&2; die "the ramp ended before its warm-up did"; }
  sleep 0.1
done
grep -q '^ *w[0-9]' "$work/ramp.out" || die "no warm-up row from the ramp within 120 s"
siptrunk_port=$(sed -n 's/^mode: SipTrunk: .*SipTrunk 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$work/ramp.out")
[ -n "$siptrunk_port" ] || die "no SipTrunk port in the ramp's output"
siptrunk_pid=$(ss -Hltnp "sport = :$siptrunk_port" | sed -n 's/.*pid=\([0-9]*\),.*/\1/p' | head -n 1)
[ -n "$siptrunk_pid" ] || die "nothing listens on 127.0.0.1:$siptrunk_port"

sleep $((seconds / 3))
echo "recording SipTrunk (pid $siptrunk_pid) for $record s at $rate cps..."
perf record -F 999 -g -p "$siptrunk_pid" -o "$work/perf.data" -- sleep "$record" >"$work/perf-record.log" 2>&1 \
  || { cat "$work/perf-record.log" >&2; die "perf record failed"; }
# Resolve the JIT'd frames while SipTrunk's perf map still exists (it is /tmp/perf-PID.map, written by the runtime).
perf script -i "$work/perf.data" >"$work/perf.txt" 2>/dev/null || die "perf script failed"

wait "${started[ramp]}" || { cat "$work/ramp.out" >&2; die "the ramp failed"; }
unset 'started[ramp]'
rm -f "/tmp/perf-$siptrunk_pid.map" "/tmp/perfinfo-$siptrunk_pid.map"

grep -E '^ +(cps|w?[0-9]+) ' "$work/ramp.out"
echo
echo "SipTrunk's CPU samples by category (leaf-most match; $record s at $rate cps):"
awk -f "$bench_repo/bench/perf/classify.awk" "$work/perf.txt" | sort -rn
echo
echo "SIP parsing/validation by caller (share of all samples):"
awk -f "$bench_repo/bench/perf/sip-entry-points.awk" "$work/perf.txt" | sort -rn | head -n 12
