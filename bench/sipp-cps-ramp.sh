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
usage: bench/sipp-cps-ramp.sh [--direct] [--steps "50 100 200 400 800 1200 1600"] [--seconds 10] [--keep]
  --direct    no SipTrunk: measure SIPp and stunnel alone
  --steps     the call rates (calls per second) to try, in order
  --seconds   how long each step places calls (1-300)
  --keep      keep the work directory (configs, logs, SIPp traces) and print where it is
EOF
}

direct=false
steps="50 100 200 400 800 1200 1600"
seconds=10
keep=false
while [ $# -gt 0 ]; do
  case "$1" in
    --direct) direct=true; shift ;;
    --steps) [ $# -ge 2 ] || { usage >&2; exit 2; }; steps="$2"; shift 2 ;;
    --seconds) [ $# -ge 2 ] || { usage >&2; exit 2; }; seconds="$2"; shift 2 ;;
    --keep) keep=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "sipp-cps-ramp: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -ge 1 ] && [ "$seconds" -le 300 ] \
  || { echo "sipp-cps-ramp: --seconds must be 1-300" >&2; exit 2; }
read -r -a rates <<<"$steps"
[ ${#rates[@]} -ge 1 ] || { echo "sipp-cps-ramp: --steps is empty" >&2; exit 2; }
for rate in "${rates[@]}"; do
  [[ "$rate" =~ ^[0-9]+$ ]] && [ "$rate" -ge 1 ] && [ "$rate" -le 100000 ] \
    || { echo "sipp-cps-ramp: step '$rate' is not a rate of 1-100000 calls per second" >&2; exit 2; }
done

for tool in dotnet sipp stunnel4 ss awk sort getconf; do
  command -v "$tool" >/dev/null || { echo "sipp-cps-ramp: '$tool' is required (sipp: apt-get install sip-tester; stunnel4: apt-get install stunnel4)" >&2; exit 1; }
done

repo="$(cd "$(dirname "$0")/.." && pwd)"
scenarios="$repo/tests/SipTrunk.Testing/Scenarios"
clock_ticks="$(getconf CLK_TCK)"
work="$(mktemp -d "${TMPDIR:-/tmp}/sipp-cps-ramp.XXXXXX")"

# Every background process, so the trap can stop them all whatever happens.
declare -A started=()
uac_pid=""

stop_process() { # pid signal: signal, wait up to 10 s, then SIGKILL; reap it
  local pid="$1" signal="$2" i
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -s "$signal" "$pid" 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  kill -0 "$pid" 2>/dev/null && kill -s KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  [ -n "$uac_pid" ] && stop_process "$uac_pid" INT
  # Front to back: the peer side first, SipTrunk (SIGINT lets it drain), then the carrier side.
  # SIGINT makes SIPp write its final statistics; SipTrunk drains on SIGTERM (and a background job of a
  # non-interactive shell starts with SIGINT ignored, which .NET respects).
  for name in peer-stunnel siptrunk carrier-stunnel uas; do
    if [ -n "${started[$name]:-}" ]; then
      stop_process "${started[$name]}" "$([ "$name" = uas ] && echo INT || echo TERM)"
    fi
  done
  if [ "$keep" = true ] || [ $status -ne 0 ]; then
    echo "sipp-cps-ramp: work directory kept: $work" >&2
  else
    rm -rf "$work"
  fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "sipp-cps-ramp: $*" >&2; exit 1; }

# Ports below Linux's ephemeral range (32768+) and SipTrunk's default media range (20000-29999), so neither the
# kernel's outgoing connections nor the media relay can take them between the check and the bind.
declare -A reserved_ports=()
free_port() { # sets $port
  local candidate i
  for ((i = 0; i < 500; i++)); do
    candidate=$((12000 + RANDOM % 8000))
    [ -n "${reserved_ports[$candidate]:-}" ] && continue
    if [ -z "$(ss -Htuan "sport = :$candidate")" ]; then
      reserved_ports[$candidate]=1
      port=$candidate
      return 0
    fi
  done
  die "no free port found in 12000-19999"
}

wait_listening() { # name pid port log: until pid listens on port (bounded), or die with its log
  local name="$1" pid="$2" listen_port="$3" log="$4" i
  for ((i = 0; i < 600; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 40 "$log" >&2 || true
      die "$name exited before listening on 127.0.0.1:$listen_port"
    fi
    ss -Hltnp "sport = :$listen_port" 2>/dev/null | grep -q "pid=$pid," && return 0
    sleep 0.05
  done
  tail -n 40 "$log" >&2 || true
  die "$name did not listen on 127.0.0.1:$listen_port within 30 s"
}

cpu_ticks() { # pid: utime+stime so far (fields 14 and 15 of /proc/pid/stat; the name in field 2 may hold spaces)
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return 0; }
  awk '{ print $12 + $13 }' <<<"${stat##*) }"
}

write_stunnel_config() { # file mode accept connect cert key
  local file="$1" mode="$2" accept="$3" connect="$4" cert="$5" key="$6"
  {
    echo "foreground = yes"
    echo "pid ="
    echo "debug = 4"
    echo "output = ${file%.conf}.log"
    echo "[$mode]"
    [ "$mode" = client ] && echo "client = yes"
    echo "accept = 127.0.0.1:$accept"
    echo "connect = 127.0.0.1:$connect"
    echo "cert = $cert"
    echo "key = $key"
    echo "CAfile = $work/pki/ca.pem"
    echo "verifyChain = yes"
    echo "sslVersionMin = TLSv1.2"
    if [ "$mode" = client ]; then echo "checkIP = 127.0.0.1"; else echo "requireCert = yes"; fi
    # SIPp leaves Nagle on; without TCP_NODELAY on both legs delayed ACKs add tens of ms per message.
    echo "socket = l:TCP_NODELAY=1"
    echo "socket = r:TCP_NODELAY=1"
  } >"$file"
}

start_stunnel() { # name mode accept connect cert key
  local name="$1"
  write_stunnel_config "$work/$name.conf" "$2" "$3" "$4" "$5" "$6"
  stunnel4 "$work/$name.conf" >"$work/$name.out" 2>&1 &
  started[$name]=$!
  wait_listening "$name" "${started[$name]}" "$3" "$work/$name.log"
}

stat_value() { # file column: the column's value in the last row of a SIPp statistics file (0 when absent)
  awk -F';' -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next } { v = $c }
                         END { print (c && v != "" ? v + 0 : 0) }' "$1" 2>/dev/null || echo 0
}

echo "building SipTrunk (Release)..."
dotnet build -c Release "$repo/src/SipTrunk" -nologo -v quiet >"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; die "build failed"; }
siptrunk_dll="$repo/src/SipTrunk/bin/Release/net10.0/siptrunk.dll"
[ -f "$siptrunk_dll" ] || die "$siptrunk_dll not found after the build"

dotnet "$siptrunk_dll" certs init --out "$work/pki" --peer bench-pbx --carrier bench-carrier >"$work/certs.log" 2>&1 \
  || { cat "$work/certs.log" >&2; die "certs init failed"; }

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
  free_port; siptrunk_port=$port
  free_port; admin_port=$port
  cat >"$work/siptrunk.json" <<EOF
{
  "SipTrunk": {
    "Domain": "bench.siptrunk.test",
    "Listeners": [
      { "Name": "peers", "Transport": "tls", "Address": "127.0.0.1", "Port": $siptrunk_port, "ClientCertificate": "require" }
    ],
    "Tls": {
      "Certificate": "pki/server.pem", "PrivateKey": "pki/server.key",
      "TrustedCaCertificates": ["pki/ca.pem"],
      "AutoGenerateDevCertificates": false
    },
    "Peers": [
      {
        "Name": "bench-pbx",
        "Certificate": { "Subject": "bench-pbx" },
        "Digest": null,
        "AllowedNetworks": ["127.0.0.0/8"],
        "Numbers": [],
        "MaxConcurrentCalls": 100000,
        "MaxCallsPerSecond": 100000,
        "Register": false,
        "Uri": null
      }
    ],
    "Carriers": [
      {
        "Name": "bench-carrier",
        "Uri": "sips:127.0.0.1:$carrier_port",
        "TlsServerName": "bench-carrier",
        "Srtp": "none",
        "HealthCheck": { "OptionsIntervalSeconds": 0, "FailuresBeforeDown": 3 },
        "MaxConcurrentCalls": 100000
      }
    ],
    "Routes": [ { "Prefix": "", "Carriers": ["bench-carrier"] } ],
    "Media": { "Address": "127.0.0.1" },
    "Storage": { "Provider": "sqlite", "ConnectionString": "Data Source=siptrunk.db" },
    "Admin": { "Urls": "http://127.0.0.1:$admin_port" },
    "DrainSeconds": 5
  },
  "Serilog": { "MinimumLevel": { "Default": "Warning" } }
}
EOF
  dotnet "$siptrunk_dll" config check --config "$work/siptrunk.json" >"$work/config-check.log" 2>&1 \
    || { cat "$work/config-check.log" >&2; die "config check failed for $work/siptrunk.json"; }
  dotnet "$siptrunk_dll" run --config "$work/siptrunk.json" >"$work/siptrunk.log" 2>&1 &
  started[siptrunk]=$!
  wait_listening SipTrunk "${started[siptrunk]}" "$siptrunk_port" "$work/siptrunk.log"
  target_port=$siptrunk_port
fi

start_stunnel peer-stunnel client "$peer_port" "$target_port" "$work/pki/bench-pbx.pem" "$work/pki/bench-pbx.key"

if [ "$direct" = true ]; then
  echo "mode: direct (no SipTrunk): SIPp UAC -> stunnel -> stunnel -> SIPp UAS; $(nproc) CPUs"
else
  echo "mode: SipTrunk: SIPp UAC -> stunnel -> SipTrunk 127.0.0.1:$siptrunk_port -> stunnel -> SIPp UAS; $(nproc) CPUs"
fi
echo "each step: rate x $seconds s calls; times in ms (SIPp measures in steps of a few ms); CPU in seconds"
printf '%6s %7s %7s %6s %8s %6s %6s %6s | %8s %8s %8s %8s %8s | %9s\n' \
  cps calls ok failed achieved p50 p90 p99 siptrunk stunnels uac uas total "us/call"

best=0
for rate in "${rates[@]}"; do
  calls=$((rate * seconds))
  step="$work/step-$rate"
  mkdir -p "$step"

  declare -A before=()
  for name in "${!started[@]}"; do before[$name]=$(cpu_ticks "${started[$name]}"); done

  # One subshell per run so bash's 'times' reports exactly SIPp's CPU once it has ended.
  # Bounded: -m calls, -l open calls, -recv_timeout per message, -timeout for the whole run.
  (
    cd "$step"
    set +e
    sipp -sf "$scenarios/uac.xml" -t t1 -i 127.0.0.1 -p "$uac_port" -ci 127.0.0.1 -nostdin -s +441632960001 \
      -m "$calls" -r "$rate" -l "$((rate > 10 ? rate : 10))" -recv_timeout 5000 \
      -timeout "$((seconds * 2 + 15))s" -timeout_error \
      -trace_stat -stf stat.csv -fd 1 -trace_err -error_file errors.log -trace_rtt -rtt_freq 1 \
      "127.0.0.1:$peer_port" >sipp.out 2>&1
    rc=$?
    times >times.txt
    exit $rc
  ) &
  uac_pid=$!
  wait "$uac_pid" && uac_rc=0 || uac_rc=$?
  uac_pid=""

  declare -A used=()
  for name in "${!started[@]}"; do
    used[$name]=$(awk -v a="${before[$name]}" -v b="$(cpu_ticks "${started[$name]}")" -v t="$clock_ticks" 'BEGIN { printf "%.2f", (b - a) / t }')
  done

  ok=$(stat_value "$step/stat.csv" 'SuccessfulCall(C)')
  failed=$((calls - ok)) # calls never placed or unfinished at -timeout count too
  rtt_file=$(ls "$step"/*_rtt.csv 2>/dev/null | head -n 1 || true)

  # The answered-call rate: samples over the span between the first and the last answer (Date_ms is since SIPp
  # started). Wall time would also count SIPp's start and the last call's length.
  achieved=0
  if [ -n "$rtt_file" ]; then
    achieved=$(awk -F';' 'NR > 1 && $1 != "" { if (n == 0) first = $1; last = $1; n++ }
                          END { if (n > 1 && last > first) printf "%.0f", (n - 1) * 1000 / (last - first); else print n }' "$rtt_file")
  fi
  read -r p50 p90 p99 < <(
    { [ -n "$rtt_file" ] && awk -F';' 'NR > 1 && $2 != "" { print $2 }' "$rtt_file"; } | sort -n |
      awk '{ v[NR] = $1 }
           function pct(q,   i) { i = int(q * NR); if (i < q * NR) i++; if (i < 1) i = 1; return v[i] }
           END { if (NR == 0) print "- - -"; else printf "%.0f %.0f %.0f\n", pct(0.5), pct(0.9), pct(0.99) }'
  )

  uac_cpu=$(awk 'NR == 2 { n = split($1 " " $2, f, " "); s = 0
                 for (i = 1; i <= n; i++) { split(f[i], p, "m"); sub("s", "", p[2]); s += p[1] * 60 + p[2] }
                 printf "%.2f", s }' "$step/times.txt" 2>/dev/null || echo 0)
  stunnels=$(awk -v a="${used[peer-stunnel]}" -v b="${used[carrier-stunnel]}" 'BEGIN { printf "%.2f", a + b }')
  siptrunk_cpu="${used[siptrunk]:--}"
  total=$(awk -v a="$stunnels" -v b="$uac_cpu" -v c="${used[uas]}" -v d="${used[siptrunk]:-0}" 'BEGIN { printf "%.2f", a + b + c + d }')
  per_call="-"
  if [ "$direct" = false ] && [ "$ok" -gt 0 ]; then
    per_call=$(awk -v s="$siptrunk_cpu" -v n="$ok" 'BEGIN { printf "%.0f", s * 1e6 / n }')
  fi

  printf '%6s %7s %7s %6s %8s %6s %6s %6s | %8s %8s %8s %8s %8s | %9s\n' \
    "$rate" "$calls" "$ok" "$failed" "$achieved" "$p50" "$p90" "$p99" \
    "$siptrunk_cpu" "$stunnels" "$uac_cpu" "${used[uas]}" "$total" "$per_call"

  for name in "${!started[@]}"; do
    kill -0 "${started[$name]}" 2>/dev/null || die "$name died during the $rate cps step (logs in $work)"
  done
  if [ $((failed * 1000)) -ge "$calls" ]; then
    echo "stopped: $failed of $calls calls failed at $rate cps (SIPp exit $uac_rc; errors in $step/errors.log)"
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
