# Shared setup for the bench scripts (sourced, not run): a work directory and a trap that stops every process the
# script started, free loopback ports, waiting for a listener, CPU and memory of a process from /proc, the test PKI,
# stunnel configs, and a SipTrunk configured for benchmarking (one mTLS listener, one peer, one carrier, no limits in
# the way). The sourcing script sets bench_name first and calls bench_init. See bench/README.md.
# shellcheck shell=bash

: "${bench_name:?set bench_name before sourcing bench/lib.sh}"

bench_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
clock_ticks="$(getconf CLK_TCK)"
page_kb=$(($(getconf PAGESIZE) / 1024))
work=""
: "${keep:=false}"

# Every background process by name, so the trap can stop them all whatever happens. stop_order: the names to stop
# first, in that order (the rest follow); stop_signal[name]: the signal for one of them (TERM when unset);
# extra_pids: one-off processes (a SIPp client, a connection holder) stopped before everything else.
declare -A started=()
declare -A stop_signal=()
stop_order=()
extra_pids=()

die() { echo "$bench_name: $*" >&2; exit 1; }

require_tools() { # tool...: every one must be on PATH
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null \
      || die "'$tool' is required (sipp: apt-get install sip-tester; stunnel4: apt-get install stunnel4; ss: iproute2)"
  done
}

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

bench_cleanup() {
  local status=$? pid name
  trap - EXIT INT TERM
  for pid in "${extra_pids[@]}"; do
    [ -n "$pid" ] && stop_process "$pid" INT
  done
  # SIGINT makes SIPp write its final statistics; SipTrunk drains on SIGTERM (and a background job of a
  # non-interactive shell starts with SIGINT ignored, which .NET respects).
  for name in "${stop_order[@]}"; do
    if [ -n "${started[$name]:-}" ]; then
      stop_process "${started[$name]}" "${stop_signal[$name]:-TERM}"
      unset "started[$name]"
    fi
  done
  for name in "${!started[@]}"; do
    stop_process "${started[$name]}" "${stop_signal[$name]:-TERM}"
  done
  if [ -n "$work" ]; then
    if [ "$keep" = true ] || [ $status -ne 0 ]; then
      echo "$bench_name: work directory kept: $work" >&2
    else
      rm -rf "$work"
    fi
  fi
  exit $status
}

bench_init() { # creates $work and installs the trap
  work="$(mktemp -d "${TMPDIR:-/tmp}/$bench_name.XXXXXX")"
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

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

ticks_to_seconds() { # ticks: as seconds with two decimals
  awk -v t="$1" -v hz="$clock_ticks" 'BEGIN { printf "%.2f", t / hz }'
}

rss_kb() { # pid: resident set size in KiB (field 24 of /proc/pid/stat, in pages)
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return 0; }
  awk -v p="$page_kb" '{ print $22 * p }' <<<"${stat##*) }"
}

thread_count() { # pid
  awk '$1 == "Threads:" { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0
}

established_count() { # port: established TCP connections whose local port is port
  ss -Htn state established "sport = :$1" 2>/dev/null | wc -l
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

build_siptrunk() { # builds src/SipTrunk (Release); sets $siptrunk_dll
  echo "building SipTrunk (Release)..."
  dotnet build -c Release "$bench_repo/src/SipTrunk" -nologo -v quiet >"$work/build.log" 2>&1 \
    || { tail -n 30 "$work/build.log" >&2; die "build failed"; }
  siptrunk_dll="$bench_repo/src/SipTrunk/bin/Release/net10.0/siptrunk.dll"
  [ -f "$siptrunk_dll" ] || die "$siptrunk_dll not found after the build"
}

init_pki() { # a fresh CA, server certificate, peer bench-pbx and carrier bench-carrier in $work/pki
  dotnet "$siptrunk_dll" certs init --out "$work/pki" --peer bench-pbx --carrier bench-carrier >"$work/certs.log" 2>&1 \
    || { cat "$work/certs.log" >&2; die "certs init failed"; }
}

write_siptrunk_config() { # file listener_port admin_port carrier_port max_connections_per_ip
  local file="$1" listener_port="$2" admin_port="$3" carrier_port="$4" max_connections="$5"
  # One mTLS listener; the peer matched by certificate subject with nothing else to check; the carrier without SRTP
  # (SIPp has none) and without health checks (interval 0); limits far above what a bench reaches, so the figures
  # measure SipTrunk's work and not its protection against floods.
  cat >"$file" <<EOF
{
  "SipTrunk": {
    "Domain": "bench.siptrunk.test",
    "Listeners": [
      { "Name": "peers", "Transport": "tls", "Address": "127.0.0.1", "Port": $listener_port, "ClientCertificate": "require" }
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
    "Limits": { "MaxConnectionsPerIp": $max_connections, "AuthFailuresBeforeBan": 1000000, "RequestsPerSecondPerIp": 1000000, "RequestBurstPerIp": 1000000 },
    "Storage": { "Provider": "sqlite", "ConnectionString": "Data Source=siptrunk.db" },
    "Admin": { "Urls": "http://127.0.0.1:$admin_port" },
    "DrainSeconds": 5
  },
  "Serilog": { "MinimumLevel": { "Default": "Warning" } }
}
EOF
}

start_siptrunk() { # carrier_port max_connections_per_ip: checks the config, runs SipTrunk; sets $siptrunk_port
  local carrier_port="$1" max_connections="$2"
  free_port; siptrunk_port=$port
  free_port; local admin_port=$port
  write_siptrunk_config "$work/siptrunk.json" "$siptrunk_port" "$admin_port" "$carrier_port" "$max_connections"
  dotnet "$siptrunk_dll" config check --config "$work/siptrunk.json" >"$work/config-check.log" 2>&1 \
    || { cat "$work/config-check.log" >&2; die "config check failed for $work/siptrunk.json"; }
  # SIPTRUNK_BENCH_ENV: extra environment for SipTrunk only (e.g. "DOTNET_PerfMapEnabled=1" for perf, or a
  # runtime knob to compare), as space-separated NAME=VALUE words.
  # shellcheck disable=SC2086
  env ${SIPTRUNK_BENCH_ENV:-} dotnet "$siptrunk_dll" run --config "$work/siptrunk.json" >"$work/siptrunk.log" 2>&1 &
  started[siptrunk]=$!
  wait_listening SipTrunk "${started[siptrunk]}" "$siptrunk_port" "$work/siptrunk.log"
}
