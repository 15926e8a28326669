#!/usr/bin/env bash
# Call-rate ramp against SipTrunk with real peers: SIPp UAC -> stunnel (client, peer certificate) -> SipTrunk (TLS,
# client certificate required) -> stunnel (server, carrier certificate) -> SIPp UAS. Each step places rate x seconds
# calls at one rate and prints the outcome, response-time percentiles and the CPU every process used. The ramp stops at
# the first step with 0.1% or more failed calls, or when SIPp could not keep 90% of the asked rate, and prints the
# highest clean rate. --direct leaves SipTrunk out (the peer stunnel connects straight to the carrier stunnel) to show
# the harness's own ceiling on this machine. See bench/README.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/sipp-cps-ramp.sh [--direct] [--steps "50 100 200 400 800 1200 1600"] [--seconds 10] [--warmup 5] [--keep]
  --direct    no SipTrunk: measure SIPp and stunnel alone
  --steps     the call rates (calls per second) to try, in order
  --seconds   how long each step places calls (1-300)
  --warmup    seconds of calls at min(first step, 100) cps before the steps, shown as row wN (0-300, 0: none)
  --keep      keep the work directory (configs, logs, SIPp traces) and print where it is
EOF
}

direct=false
steps="50 100 200 400 800 1200 1600"
seconds=10
warmup=5
keep=false
while [ $# -gt 0 ]; do
  case "$1" in
    --direct) direct=true; shift ;;
    --steps) [ $# -ge 2 ] || { usage >&2; exit 2; }; steps="$2"; shift 2 ;;
    --seconds) [ $# -ge 2 ] || { usage >&2; exit 2; }; seconds="$2"; shift 2 ;;
    --warmup) [ $# -ge 2 ] || { usage >&2; exit 2; }; warmup="$2"; shift 2 ;;
    --keep) keep=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "sipp-cps-ramp: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -ge 1 ] && [ "$seconds" -le 300 ] \
  || { echo "sipp-cps-ramp: --seconds must be 1-300" >&2; exit 2; }
[[ "$warmup" =~ ^[0-9]+$ ]] && [ "$warmup" -le 300 ] || { echo "sipp-cps-ramp: --warmup must be 0-300" >&2; exit 2; }
read -r -a rates <<<"$steps"
[ ${#rates[@]} -ge 1 ] || { echo "sipp-cps-ramp: --steps is empty" >&2; exit 2; }
for rate in "${rates[@]}"; do
  [[ "$rate" =~ ^[0-9]+$ ]] && [ "$rate" -ge 1 ] && [ "$rate" -le 100000 ] \
    || { echo "sipp-cps-ramp: step '$rate' is not a rate of 1-100000 calls per second" >&2; exit 2; }
done

bench_name=sipp-cps-ramp
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
require_tools dotnet sipp stunnel4 ss awk sort getconf
scenarios="$bench_repo/tests/SipTrunk.Testing/Scenarios"
bench_init
# Front to back: the peer side first, SipTrunk (drains), then the carrier side; the UAS on SIGINT writes its statistics.
stop_order=(peer-stunnel siptrunk carrier-stunnel uas)
stop_signal[uas]=INT

stat_value() { # file column: the column's value in the last row of a SIPp statistics file (0 when absent)
  awk -F';' -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next } { v = $c }
                         END { print (c && v != "" ? v + 0 : 0) }' "$1" 2>/dev/null || echo 0
}

build_siptrunk
init_pki

free_port; uas_port=$port
free_port; carrier_port=$port
free_port; peer_port=$port
free_port; uac_port=$port

mkdir -p "$work/uas"
(cd "$work/uas" && exec sipp -sf "$scenarios/uas.xml" -t t1 -i 127.0.0.1 -p "$uas_port" -ci 127.0.0.1 -nostdin \
  -trace_stat -stf stat.csv -fd 1 -trace_err -error_file errors.log >sipp.out 2>&1) &
started[uas]=$!
wait_listening "SIPp UAS" "${started[uas]}" "$uas_port" "$work/uas/sipp.out"
start_stunnel carrier-stunnel server "$carrier_port" "$uas_port" "$work/pki/bench-carrier.pem" "$work/pki/bench-carrier.key"

if [ "$direct" = true ]; then
  target_port=$carrier_port
else
  start_siptrunk "$carrier_port" 1000
  target_port=$siptrunk_port
fi

start_stunnel peer-stunnel client "$peer_port" "$target_port" "$work/pki/bench-pbx.pem" "$work/pki/bench-pbx.key"

if [ "$direct" = true ]; then
  echo "mode: direct (no SipTrunk): SIPp UAC -> stunnel -> stunnel -> SIPp UAS; $(nproc) CPUs"
else
  echo "mode: SipTrunk: SIPp UAC -> stunnel -> SipTrunk 127.0.0.1:$siptrunk_port -> stunnel -> SIPp UAS; $(nproc) CPUs"
fi
cpus=$(nproc)
echo "each step: rate x $seconds s calls; times in ms (SIPp measures in steps of a few ms); CPU in seconds;"
echo "busy = every process's CPU / (wall x $cpus CPUs): near 100% the machine, not SipTrunk, is the limit"
printf '%7s %7s %7s %6s %8s %6s %6s %6s | %8s %8s %8s %8s %8s %6s %5s | %8s %7s\n' \
  cps calls ok failed achieved p50 p90 p99 siptrunk stunnels uac uas total wall busy "us/call" "rss MiB"

run_step() { # label rate seconds: one SIPp UAC run; prints its row and sets ok, failed, achieved, uac_rc, step
  local label="$1" rate="$2" step_seconds="$3" calls name started_ns ended_ns
  calls=$((rate * step_seconds))
  step="$work/step-$label"
  mkdir -p "$step"

  declare -A before=()
  for name in "${!started[@]}"; do before[$name]=$(cpu_ticks "${started[$name]}"); done
  started_ns=$(date +%s%N)

  # One subshell per run so bash's 'times' reports exactly SIPp's CPU once it has ended.
  # Bounded: -m calls, -l open calls, -recv_timeout per message, -timeout for the whole run.
  (
    cd "$step"
    set +e
    sipp -sf "$scenarios/uac.xml" -t t1 -i 127.0.0.1 -p "$uac_port" -ci 127.0.0.1 -nostdin -s +441632960001 \
      -m "$calls" -r "$rate" -l "$((rate > 10 ? rate : 10))" -recv_timeout 5000 \
      -timeout "$((step_seconds * 2 + 15))s" -timeout_error \
      -trace_stat -stf stat.csv -fd 1 -trace_err -error_file errors.log -trace_rtt -rtt_freq 1 \
      "127.0.0.1:$peer_port" >sipp.out 2>&1
    rc=$?
    times >times.txt
    exit $rc
  ) &
  extra_pids=("$!")
  wait "${extra_pids[0]}" && uac_rc=0 || uac_rc=$?
  extra_pids=()
  ended_ns=$(date +%s%N)

  declare -A used=()
  for name in "${!started[@]}"; do
    used[$name]=$(ticks_to_seconds $(($(cpu_ticks "${started[$name]}") - before[$name])))
  done

  ok=$(stat_value "$step/stat.csv" 'SuccessfulCall(C)')
  failed=$((calls - ok)) # calls never placed or unfinished at -timeout count too
  local rtt_file
  rtt_file=$(ls "$step"/*_rtt.csv 2>/dev/null | head -n 1 || true)

  # The answered-call rate: samples over the span between the first and the last answer (Date_ms is since SIPp
  # started). Wall time would also count SIPp's start and the last call's length.
  achieved=0
  if [ -n "$rtt_file" ]; then
    achieved=$(awk -F';' 'NR > 1 && $1 != "" { if (n == 0) first = $1; last = $1; n++ }
                          END { if (n > 1 && last > first) printf "%.0f", (n - 1) * 1000 / (last - first); else print n }' "$rtt_file")
  fi
  local p50 p90 p99
  read -r p50 p90 p99 < <(
    { [ -n "$rtt_file" ] && awk -F';' 'NR > 1 && $2 != "" { print $2 }' "$rtt_file"; } | sort -n |
      awk '{ v[NR] = $1 }
           function pct(q,   i) { i = int(q * NR); if (i < q * NR) i++; if (i < 1) i = 1; return v[i] }
           END { if (NR == 0) print "- - -"; else printf "%.0f %.0f %.0f\n", pct(0.5), pct(0.9), pct(0.99) }'
  )

  local uac_cpu stunnels siptrunk_cpu total wall busy per_call="-"
  uac_cpu=$(awk 'NR == 2 { n = split($1 " " $2, f, " "); s = 0
                 for (i = 1; i <= n; i++) { split(f[i], p, "m"); sub("s", "", p[2]); s += p[1] * 60 + p[2] }
                 printf "%.2f", s }' "$step/times.txt" 2>/dev/null || echo 0)
  stunnels=$(awk -v a="${used[peer-stunnel]}" -v b="${used[carrier-stunnel]}" 'BEGIN { printf "%.2f", a + b }')
  siptrunk_cpu="${used[siptrunk]:--}"
  total=$(awk -v a="$stunnels" -v b="$uac_cpu" -v c="${used[uas]}" -v d="${used[siptrunk]:-0}" 'BEGIN { printf "%.2f", a + b + c + d }')
  wall=$(awk -v a="$started_ns" -v b="$ended_ns" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
  busy=$(awk -v t="$total" -v w="$wall" -v c="$cpus" 'BEGIN { printf "%.0f%%", (w > 0 ? 100 * t / (w * c) : 0) }')
  if [ "$direct" = false ] && [ "$ok" -gt 0 ]; then
    per_call=$(awk -v s="$siptrunk_cpu" -v n="$ok" 'BEGIN { printf "%.0f", s * 1e6 / n }')
  fi

  local rss="-"
  [ -n "${started[siptrunk]:-}" ] && rss=$(($(rss_kb "${started[siptrunk]}") / 1024))

  printf '%7s %7s %7s %6s %8s %6s %6s %6s | %8s %8s %8s %8s %8s %6s %5s | %8s %7s\n' \
    "$label" "$calls" "$ok" "$failed" "$achieved" "$p50" "$p90" "$p99" \
    "$siptrunk_cpu" "$stunnels" "$uac_cpu" "${used[uas]}" "$total" "$wall" "$busy" "$per_call" "$rss"

  for name in "${!started[@]}"; do
    kill -0 "${started[$name]}" 2>/dev/null || die "$name died during the $label step (logs in $work)"
  done
}

if [ "$warmup" -gt 0 ]; then
  # The first calls pay for JIT compilation (tiered: a quick compile first, an optimised one after 30 calls of a
  # method), connection set-up and pool growth; a warm-up step keeps that out of the figures.
  warmup_rate=$((rates[0] < 100 ? rates[0] : 100))
  run_step "w$warmup_rate" "$warmup_rate" "$warmup"
  [ $((failed * 1000)) -lt $((warmup_rate * warmup)) ] \
    || { keep=true; die "the warm-up step failed ($failed of $((warmup_rate * warmup)) calls; errors in $step/errors.log)"; }
fi

best=0
for rate in "${rates[@]}"; do
  run_step "$rate" "$rate" "$seconds"
  if [ $((failed * 1000)) -ge $((rate * seconds)) ]; then
    echo "stopped: $failed of $((rate * seconds)) calls failed at $rate cps (SIPp exit $uac_rc; errors in $step/errors.log)"
    keep=true
    break
  fi
  if [ $((achieved * 10)) -lt $((rate * 9)) ]; then
    echo "stopped: SIPp placed only $achieved of $rate calls per second (open-call limit reached: answers too slow)"
    break
  fi
  best=$rate
done

if [ "$best" -gt 0 ]; then
  echo "highest clean rate: $best cps"
else
  echo "highest clean rate: none (the first step already failed)"
fi
