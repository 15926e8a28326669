#!/usr/bin/env bash
# Media relay throughput and latency: runs `SipTrunk.Benchmarks relay-load`, which plays both parties of every stream
# (G.711-sized RTP, 160-byte payloads) through `relay-server`, a MediaRelay alone in a child process, and reads the
# relay's CPU from /proc/PID/stat. Rows: one-way latency with and without the relay (blocking receivers), then
# packets per second per relay CPU second in passthrough and in rekey mode (AES_CM_128_HMAC_SHA1_80 in with one key,
# out with another), for the epoll receive threads and the async loops. See bench/README.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/relay-load.sh [--streams 200] [--seconds 10] [--warmup 3] [--latency-pps "2000 20000"]
                           [--load-pps 50000] [--modes "passthrough rekey"] [--receive "epoll async"] [--keep]
  --streams      relayed streams (calls), 1-1000; each direction of each stream sends in turn
  --seconds      measured seconds per row (1-600), after --warmup seconds (0-60) at the same rate
  --latency-pps  packets per second, both directions together, of the latency rows (each with and without the relay)
  --load-pps     packets per second of the throughput rows
  --modes        passthrough and/or rekey
  --receive      relay receive modes of the throughput rows: epoll and/or async
  --keep         keep the work directory (each row's full output) and print where it is
EOF
}

streams=200
seconds=10
warmup=3
latency_pps="2000 20000"
load_pps=50000
modes="passthrough rekey"
receive_modes="epoll async"
keep=false
while [ $# -gt 0 ]; do
  case "$1" in
    --streams) [ $# -ge 2 ] || { usage >&2; exit 2; }; streams="$2"; shift 2 ;;
    --seconds) [ $# -ge 2 ] || { usage >&2; exit 2; }; seconds="$2"; shift 2 ;;
    --warmup) [ $# -ge 2 ] || { usage >&2; exit 2; }; warmup="$2"; shift 2 ;;
    --latency-pps) [ $# -ge 2 ] || { usage >&2; exit 2; }; latency_pps="$2"; shift 2 ;;
    --load-pps) [ $# -ge 2 ] || { usage >&2; exit 2; }; load_pps="$2"; shift 2 ;;
    --modes) [ $# -ge 2 ] || { usage >&2; exit 2; }; modes="$2"; shift 2 ;;
    --receive) [ $# -ge 2 ] || { usage >&2; exit 2; }; receive_modes="$2"; shift 2 ;;
    --keep) keep=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "relay-load: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$streams" =~ ^[0-9]+$ ]] && [ "$streams" -ge 1 ] && [ "$streams" -le 1000 ] || { echo "relay-load: --streams must be 1-1000" >&2; exit 2; }
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -ge 1 ] && [ "$seconds" -le 600 ] || { echo "relay-load: --seconds must be 1-600" >&2; exit 2; }
[[ "$warmup" =~ ^[0-9]+$ ]] && [ "$warmup" -le 60 ] || { echo "relay-load: --warmup must be 0-60" >&2; exit 2; }
for rate in $latency_pps $load_pps; do
  [[ "$rate" =~ ^[0-9]+$ ]] && [ "$rate" -ge 1 ] && [ "$rate" -le 2000000 ] || { echo "relay-load: rates must be 1-2000000" >&2; exit 2; }
done
for mode in $modes; do
  case "$mode" in passthrough|rekey) ;; *) echo "relay-load: --modes takes passthrough and rekey" >&2; exit 2 ;; esac
done
for receive in $receive_modes; do
  case "$receive" in epoll|async) ;; *) echo "relay-load: --receive takes epoll and async" >&2; exit 2 ;; esac
done

bench_name=relay-load
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
require_tools dotnet getconf awk timeout
bench_init

echo "relay-load: building bench/SipTrunk.Benchmarks (Release)" >&2
dotnet build -c Release "$bench_repo/bench/SipTrunk.Benchmarks" >"$work/build.log" 2>&1 \
  || { tail -n 40 "$work/build.log" >&2; die "build failed"; }
tool="$bench_repo/bench/SipTrunk.Benchmarks/bin/Release/net10.0/SipTrunk.Benchmarks.dll"

# Each stream takes two even/odd port pairs; 16000-19999 holds 1000 streams. Ports in use there are skipped by the relay.
common=(--streams "$streams" --seconds "$seconds" --warmup "$warmup" --port-min 16000 --port-max 19999 --clock-ticks "$clock_ticks")
run_limit=$((seconds + warmup + 90))
rows="$work/rows"
: >"$rows"

run() { # label args...: one relay-load run, bounded in time; appends "label <row>" to $rows and prints the row
  local label="$1" out
  shift
  out="$work/run.$(wc -l <"$rows").out"
  timeout --kill-after=10 "$run_limit" dotnet "$tool" relay-load "${common[@]}" "$@" >"$out" 2>&1 \
    || { cat "$out" >&2; die "relay-load $* failed"; }
  printf '%-22s %s\n' "$label" "$(tail -n 1 "$out")" | tee -a "$rows"
}

echo
echo "one-way latency, blocking receivers (µs; relay rows minus direct rows = latency the relay adds)"
echo "row                    where  mode         streams  offered      sent  received   loss |  p50 µs  p90 µs  p99 µs p99.9µs | relayed  cpu s  pps/core  B/packet    GCs | gen cpu s  rejected"
for mode in $modes; do
  for rate in $latency_pps; do
    run "latency-direct" --mode "$mode" --pps "$rate" --direct
    run "latency-relay" --mode "$mode" --pps "$rate" --receive epoll
  done
done

echo
echo "throughput, polling receivers (the relay's sends wake no receiver, as toward a remote host)"
for mode in $modes; do
  for receive in $receive_modes; do
    run "load-$receive" --mode "$mode" --pps "$load_pps" --receive "$receive" --receiver poll
  done
done

echo
echo "summary"
awk '
  # Fields after the label: where mode streams offered sent received loss | p50 p90 p99 p99.9 | relayed cpu pps/core ...
  $1 == "latency-direct" { key = $3 " " $5; direct50[key] = $10; direct99[key] = $12 }
  $1 == "latency-relay"  { key = $3 " " $5; relay50[key] = $10; relay99[key] = $12; order[++n] = key }
  $1 ~ /^load-/ {
    printf "%-11s %-5s receive: %7d pps per relay CPU second = %5d G.711 calls (100 pps each) per core, loss %s\n", \
      $3, substr($1, 6), $17, $17 / 100, $8
  }
  END {
    for (i = 1; i <= n; i++) {
      split(order[i], part, " ")
      printf "%-11s at %6d pps: added latency p50 %5d µs, p99 %5d µs (relay %d / %d, direct %d / %d)\n", \
        part[1], part[2], relay50[order[i]] - direct50[order[i]], relay99[order[i]] - direct99[order[i]], \
        relay50[order[i]], relay99[order[i]], direct50[order[i]], direct99[order[i]]
    }
  }' "$rows"
