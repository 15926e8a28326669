#!/usr/bin/env bash
# Full mTLS handshakes per second against SipTrunk's peer listener, and SipTrunk's CPU per handshake: openssl s_time
# opens a new connection for every handshake (-new: no session resumption), presenting the peer's client certificate,
# for TLS 1.3 and then TLS 1.2. A short untimed run first warms SipTrunk up (JIT, pools). See bench/README.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/tls-handshakes.sh [--seconds 10] [--clients 1] [--protocols "tls1_3 tls1_2"] [--keep]
  --seconds    how long each protocol is measured (1-120)
  --clients    s_time processes run side by side (1-8): one measures latency-bound handshakes, two or more load
               SipTrunk harder (on a small machine they compete with it for CPU)
  --protocols  which of tls1_3 and tls1_2 to measure, in order
  --keep       keep the work directory (config, logs, s_time output) and print where it is
EOF
}

seconds=10
clients=1
protocols="tls1_3 tls1_2"
keep=false
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) [ $# -ge 2 ] || { usage >&2; exit 2; }; seconds="$2"; shift 2 ;;
    --clients) [ $# -ge 2 ] || { usage >&2; exit 2; }; clients="$2"; shift 2 ;;
    --protocols) [ $# -ge 2 ] || { usage >&2; exit 2; }; protocols="$2"; shift 2 ;;
    --keep) keep=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "tls-handshakes: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -ge 1 ] && [ "$seconds" -le 120 ] \
  || { echo "tls-handshakes: --seconds must be 1-120" >&2; exit 2; }
[[ "$clients" =~ ^[0-9]+$ ]] && [ "$clients" -ge 1 ] && [ "$clients" -le 8 ] \
  || { echo "tls-handshakes: --clients must be 1-8" >&2; exit 2; }
read -r -a protocol_list <<<"$protocols"
[ ${#protocol_list[@]} -ge 1 ] || { echo "tls-handshakes: --protocols is empty" >&2; exit 2; }
for protocol in "${protocol_list[@]}"; do
  case "$protocol" in tls1_3|tls1_2) ;; *) echo "tls-handshakes: unknown protocol '$protocol'" >&2; exit 2 ;; esac
done

bench_name=tls-handshakes
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
require_tools dotnet openssl python3 ss awk getconf
bench_init

build_siptrunk
init_pki
# No carrier runs: nothing is routed, and with health checks off SipTrunk never connects to the configured one.
free_port; unused_carrier_port=$port
# Every handshake is a new connection from 127.0.0.1; closed ones linger in no limit, but keep the cap out of reach.
start_siptrunk "$unused_carrier_port" 100000

# Proof that the peer certificate is accepted (a TLS 1.3 client finishes its handshake before the server has checked
# its certificate, so s_time alone would also count refused ones): one connection must answer a keep-alive ping.
python3 "$bench_repo/bench/tls_hold.py" --port "$siptrunk_port" --count 1 \
  --cert "$work/pki/bench-pbx.pem" --key "$work/pki/bench-pbx.key" --ca "$work/pki/ca.pem" </dev/null >"$work/check.out" 2>&1 \
  || { cat "$work/check.out" >&2; die "SipTrunk did not accept the peer certificate (log: $work/siptrunk.log)"; }

hold_args=(--port "$siptrunk_port" --cert "$work/pki/bench-pbx.pem" --key "$work/pki/bench-pbx.key" --ca "$work/pki/ca.pem")

client_run() { # client protocol seconds output_prefix: $clients client processes side by side, each bounded in time
  local client="$1" protocol="$2" run_seconds="$3" prefix="$4" i pids=()
  for ((i = 1; i <= clients; i++)); do
    (
      set +e
      if [ "$client" = s_time ]; then
        openssl s_time -connect "127.0.0.1:$siptrunk_port" -cert "$work/pki/bench-pbx.pem" -key "$work/pki/bench-pbx.key" \
          -CAfile "$work/pki/ca.pem" -new -time "$run_seconds" "-$protocol" >"$prefix.$i.out" 2>&1
      else
        python3 "$bench_repo/bench/tls_hold.py" "${hold_args[@]}" --protocol "$protocol" --churn "$run_seconds" \
          </dev/null >"$prefix.$i.out" 2>&1
      fi
      rc=$?
      times >"$prefix.$i.times"
      exit $rc
    ) &
    pids+=("$!")
  done
  extra_pids=("${pids[@]}")
  local failed=0
  for i in "${pids[@]}"; do wait "$i" || failed=1; done
  extra_pids=()
  [ $failed -eq 0 ] || { cat "$prefix".*.out >&2; die "$client failed ($protocol)"; }
}

refused_count() { # HandshakeRefused lines in SipTrunk's log so far
  grep -c '"Name": "HandshakeRefused"' "$work/siptrunk.log" || true
}

echo "warming up (2 s of each protocol with each client, not counted)..."
for protocol in "${protocol_list[@]}"; do
  client_run s_time "$protocol" 2 "$work/warmup-s_time-$protocol"
  client_run checked "$protocol" 2 "$work/warmup-checked-$protocol"
done

siptrunk_pid=${started[siptrunk]}
echo "SipTrunk 127.0.0.1:$siptrunk_port, ECDSA P-256 certificates from 'siptrunk certs init'; $(nproc) CPUs; $clients client process(es)"
printf '%-7s %-8s %-30s %10s %5s %8s %8s | %8s %12s %7s\n' \
  protocol client cipher handshakes wall "per sec" refused siptrunk "us/handshake" client

for protocol in "${protocol_list[@]}"; do
  cipher=$(openssl s_client -connect "127.0.0.1:$siptrunk_port" -cert "$work/pki/bench-pbx.pem" \
    -key "$work/pki/bench-pbx.key" -CAfile "$work/pki/ca.pem" "-$protocol" -brief </dev/null 2>&1 |
    awk -F': ' '/^Ciphersuite/ { print $2; exit }' || true)
  for client in s_time checked; do
    prefix="$work/$client-$protocol"
    refused_before=$(refused_count)
    before=$(cpu_ticks "$siptrunk_pid")
    started_ns=$(date +%s%N)
    client_run "$client" "$protocol" "$seconds" "$prefix"
    ended_ns=$(date +%s%N)
    siptrunk_cpu=$(ticks_to_seconds $(($(cpu_ticks "$siptrunk_pid") - before)))
    refused=$(($(refused_count) - refused_before))

    # s_time: "N connections in X.XXs; ..." per client (its wall time is in whole seconds only, so it is measured
    # here); the checked client: "handshakes N".
    handshakes=$(cat "$prefix".*.out | awk '/connections in [0-9.]+s;/ { n += $1 } /^handshakes / { n += $2 } END { print n + 0 }')
    [ "$handshakes" -gt 0 ] || { cat "$prefix".*.out >&2; die "$client reported no handshakes for $protocol"; }
    client_cpu=$(cat "$prefix".*.times | awk 'NR % 2 == 0 { n = split($1 " " $2, f, " ")
                 for (i = 1; i <= n; i++) { split(f[i], p, "m"); sub("s", "", p[2]); s += p[1] * 60 + p[2] } }
                 END { printf "%.2f", s }')
    wall=$(awk -v a="$started_ns" -v b="$ended_ns" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
    rate=$(awk -v n="$handshakes" -v a="$started_ns" -v b="$ended_ns" 'BEGIN { printf "%.0f", n * 1e9 / (b - a) }')
    per=$(awk -v s="$siptrunk_cpu" -v n="$handshakes" 'BEGIN { printf "%.0f", s * 1e6 / n }')
    printf '%-7s %-8s %-30s %10s %5s %8s %8s | %8s %12s %7s\n' \
      "$protocol" "$client" "${cipher:-?}" "$handshakes" "$wall" "$rate" "$refused" "$siptrunk_cpu" "$per" "$client_cpu"
    kill -0 "$siptrunk_pid" 2>/dev/null || die "SipTrunk died during the $protocol run (log: $work/siptrunk.log)"
  done
done

cat <<'EOF'
s_time: openssl s_time -new (a full handshake per connection, closed as soon as the client is done); checked: every
connection also answers a keep-alive ping before it is closed, so SipTrunk is known to have accepted it.
refused: handshakes SipTrunk logged as refused during the run. Under TLS 1.3 an s_time client hangs up before SipTrunk
has written its last handshake flight (session tickets), so SipTrunk logs nearly every one as refused (connection
reset), after having done all the cryptography: compare with the checked row.
siptrunk, client: CPU seconds (user + system) during the run; us/handshake: SipTrunk's CPU per handshake.
EOF
