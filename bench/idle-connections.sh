#!/usr/bin/env bash
# Memory per idle mTLS connection: opens --connections connections to SipTrunk's peer listener (peer client
# certificate, each proven accepted by a keep-alive ping and its pong), in batches, holds them idle, and reports
# SipTrunk's resident set size after each batch; bytes per connection = RSS growth / connections. Also SipTrunk's CPU
# while it holds them all idle. See bench/README.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/idle-connections.sh [--connections 2000] [--batch 500] [--protocol tls1_3|tls1_2] [--settle 3] [--keep]
  --connections  idle connections to hold (1-20000)
  --batch        connections opened between two measurements
  --protocol     TLS version the connections use
  --settle       seconds to wait after a batch before reading SipTrunk's memory (0-60)
  --keep         keep the work directory (config, logs) and print where it is
EOF
}

connections=2000
batch=500
protocol=tls1_3
settle=3
keep=false
while [ $# -gt 0 ]; do
  case "$1" in
    --connections) [ $# -ge 2 ] || { usage >&2; exit 2; }; connections="$2"; shift 2 ;;
    --batch) [ $# -ge 2 ] || { usage >&2; exit 2; }; batch="$2"; shift 2 ;;
    --protocol) [ $# -ge 2 ] || { usage >&2; exit 2; }; protocol="$2"; shift 2 ;;
    --settle) [ $# -ge 2 ] || { usage >&2; exit 2; }; settle="$2"; shift 2 ;;
    --keep) keep=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "idle-connections: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$connections" =~ ^[0-9]+$ ]] && [ "$connections" -ge 1 ] && [ "$connections" -le 20000 ] \
  || { echo "idle-connections: --connections must be 1-20000" >&2; exit 2; }
[[ "$batch" =~ ^[0-9]+$ ]] && [ "$batch" -ge 1 ] || { echo "idle-connections: --batch must be at least 1" >&2; exit 2; }
[[ "$settle" =~ ^[0-9]+$ ]] && [ "$settle" -le 60 ] || { echo "idle-connections: --settle must be 0-60" >&2; exit 2; }
case "$protocol" in tls1_3|tls1_2) ;; *) echo "idle-connections: --protocol must be tls1_3 or tls1_2" >&2; exit 2 ;; esac

bench_name=idle-connections
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
require_tools dotnet python3 ss awk getconf

# Both ends of every connection are in processes started from here (the client's sockets, SipTrunk's accepted ones),
# so the file limit of this shell must cover the connections plus what each process opens anyway.
needed=$((connections + 1024))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$needed" ]; then
  ulimit -n "$needed" 2>/dev/null || die "open-file limit $(ulimit -n) is below $needed and cannot be raised (hard limit $(ulimit -Hn))"
fi

bench_init
build_siptrunk
init_pki
free_port; unused_carrier_port=$port
# The per-address cap must let every connection in: they all come from 127.0.0.1.
start_siptrunk "$unused_carrier_port" $((connections + 100))
siptrunk_pid=${started[siptrunk]}

hold_args=(--port "$siptrunk_port" --cert "$work/pki/bench-pbx.pem" --key "$work/pki/bench-pbx.key" --ca "$work/pki/ca.pem"
  --protocol "$protocol")

# Warm-up: the accept, handshake and flow code paths compiled and their pools filled before the baseline is read.
echo "warming up (100 connections opened, pinged and closed)..."
python3 "$bench_repo/bench/tls_hold.py" "${hold_args[@]}" --count 100 </dev/null >"$work/warmup.out" 2>&1 \
  || { cat "$work/warmup.out" >&2; die "the warm-up connections failed (log: $work/siptrunk.log)"; }
for ((i = 0; i < 100 && $(established_count "$siptrunk_port") > 0; i++)); do sleep 0.1; done
sleep "$settle"

base_rss=$(rss_kb "$siptrunk_pid")
echo "SipTrunk 127.0.0.1:$siptrunk_port, $protocol, peer certificate; $(nproc) CPUs; RSS read $settle s after each batch"
printf '%11s %11s %9s %8s %10s %14s %16s\n' connections established threads "fds" "rss KiB" "growth KiB" "bytes/connection"
printf '%11s %11s %9s %8s %10s %14s %16s\n' 0 "$(established_count "$siptrunk_port")" "$(thread_count "$siptrunk_pid")" \
  "$(ls "/proc/$siptrunk_pid/fd" | wc -l)" "$base_rss" 0 -

coproc HOLDER { exec python3 "$bench_repo/bench/tls_hold.py" "${hold_args[@]}" --count "$connections" --batch "$batch" 2>"$work/holder.err"; }
extra_pids=("$HOLDER_PID")
to_holder=${HOLDER[1]}
from_holder=${HOLDER[0]}

held=0
previous_held=0
previous_rss=$base_rss
while [ "$held" -lt "$connections" ]; do
  # A batch of up to 20000 handshakes on a small machine: bounded, but generously.
  if ! read -r -t 600 word held <&"$from_holder" || [ "$word" != held ]; then
    cat "$work/holder.err" >&2 || true
    die "the connection holder stopped after $previous_held connections (SipTrunk log: $work/siptrunk.log)"
  fi
  sleep "$settle"
  rss=$(rss_kb "$siptrunk_pid")
  growth=$((rss - base_rss))
  printf '%11s %11s %9s %8s %10s %14s %16s\n' "$held" "$(established_count "$siptrunk_port")" "$(thread_count "$siptrunk_pid")" \
    "$(ls "/proc/$siptrunk_pid/fd" | wc -l)" "$rss" "$growth" "$((growth * 1024 / held))"
  if [ "$held" -gt "$previous_held" ] && [ "$previous_held" -gt 0 ]; then
    marginal=$(((rss - previous_rss) * 1024 / (held - previous_held)))
  fi
  previous_held=$held
  previous_rss=$rss
  [ "$held" -lt "$connections" ] && echo more >&"$to_holder"
done

# Idle means idle: SipTrunk's CPU while it holds every connection and nothing is sent.
before=$(cpu_ticks "$siptrunk_pid")
sleep 5
idle_cpu=$(ticks_to_seconds $(($(cpu_ticks "$siptrunk_pid") - before)))

echo stop >&"$to_holder"
wait "$HOLDER_PID" || true
extra_pids=()

echo "bytes per idle mTLS connection: $(((previous_rss - base_rss) * 1024 / connections)) (RSS growth / $connections)" \
  "${marginal:+, $marginal over the last batch}"
echo "SipTrunk CPU while holding $connections idle connections for 5 s: $idle_cpu s"
