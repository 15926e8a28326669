#!/usr/bin/env bash
# Call-record write throughput: runs `SipTrunk.Benchmarks cdr-store` against a SQLite file (WAL) in the work directory
# and against a PostgreSQL cluster created there for the run (initdb, 127.0.0.1 on a free port, durable settings:
# fsync and synchronous_commit on, unlike the test harness). Rows: records per second each store takes for each batch
# size (records per InsertAsync), and the InsertAsync latency (p50, p99, max).
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/cdr-store.sh [--batches "1 10 100"] [--seconds 5] [--warmup 1] [--writers 1]
                          [--stores "sqlite postgresql"] [--keep]
  --batches  records per InsertAsync, one row each (1-10000)
  --seconds  measured seconds per row (1-600), after --warmup seconds (0-60) of the same load
  --writers  concurrent writers, each awaiting its insert before the next (the proxy has one)
  --stores   sqlite and/or postgresql
  --keep     keep the work directory (databases, server log) and print where it is
EOF
}

batches="1 10 100"
seconds=5
warmup=1
writers=1
stores="sqlite postgresql"
keep=false
while [ $# -gt 0 ]; do
  case "$1" in
    --batches) [ $# -ge 2 ] || { usage >&2; exit 2; }; batches="$2"; shift 2 ;;
    --seconds) [ $# -ge 2 ] || { usage >&2; exit 2; }; seconds="$2"; shift 2 ;;
    --warmup) [ $# -ge 2 ] || { usage >&2; exit 2; }; warmup="$2"; shift 2 ;;
    --writers) [ $# -ge 2 ] || { usage >&2; exit 2; }; writers="$2"; shift 2 ;;
    --stores) [ $# -ge 2 ] || { usage >&2; exit 2; }; stores="$2"; shift 2 ;;
    --keep) keep=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "cdr-store: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
for store in $stores; do
  case "$store" in sqlite|postgresql) ;; *) echo "cdr-store: --stores takes sqlite and postgresql" >&2; exit 2 ;; esac
done
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -ge 1 ] && [ "$seconds" -le 600 ] || { echo "cdr-store: --seconds must be 1-600" >&2; exit 2; }
[[ "$warmup" =~ ^[0-9]+$ ]] && [ "$warmup" -le 60 ] || { echo "cdr-store: --warmup must be 0-60" >&2; exit 2; }
[[ "$writers" =~ ^[0-9]+$ ]] && [ "$writers" -ge 1 ] && [ "$writers" -le 64 ] || { echo "cdr-store: --writers must be 1-64" >&2; exit 2; }

bench_name=cdr-store
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
require_tools dotnet ss timeout
bench_init

echo "cdr-store: building bench/SipTrunk.Benchmarks (Release)" >&2
dotnet build -c Release "$bench_repo/bench/SipTrunk.Benchmarks" >"$work/build.log" 2>&1 \
  || { tail -n 40 "$work/build.log" >&2; die "build failed"; }
tool="$bench_repo/bench/SipTrunk.Benchmarks/bin/Release/net10.0/SipTrunk.Benchmarks.dll"
run_limit=$(( (seconds + warmup) * $(wc -w <<<"$batches") + 120 ))

start_postgres() { # sets $pg_connection; the server is stopped by the trap (SIGINT: fast shutdown)
  local bin="" candidate as_postgres=()
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
    [ -x "$candidate/initdb" ] && [ -x "$candidate/postgres" ] && bin="$candidate"
  done
  [ -n "$bin" ] || die "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin (apt-get install postgresql)"
  mkdir -p "$work/pg"
  if [ "$(id -u)" -eq 0 ]; then
    # PostgreSQL refuses to run as root; setpriv execs, so the server keeps the pid the trap stops.
    require_tools setpriv
    chmod o+x "$work" # traverse only, to reach its own folder
    chown postgres:postgres "$work/pg"
    as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups --)
  fi
  (cd "$work/pg" && "${as_postgres[@]}" "$bin/initdb" -D "$work/pg/data" -U postgres --auth=trust --encoding=UTF8 \
    --locale=C --no-instructions) >"$work/pg/initdb.log" 2>&1 || { cat "$work/pg/initdb.log" >&2; die "initdb failed"; }
  free_port
  pg_port=$port
  cat >>"$work/pg/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$work/pg'
EOF
  (cd "$work/pg" && exec "${as_postgres[@]}" "$bin/postgres" -D "$work/pg/data") >"$work/pg/postgres.log" 2>&1 &
  started[postgres]=$!
  stop_signal[postgres]=INT
  wait_listening postgres "${started[postgres]}" "$pg_port" "$work/pg/postgres.log"
  pg_connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
}

echo "cdr-store: work directory on $(stat -f -c %T "$work") ($(df -h --output=source "$work" | tail -n 1)), $(nproc) CPUs" >&2
header_shown=false
for store in $stores; do
  case "$store" in
    sqlite) connection="Data Source=$work/sqlite/calls.db" ;;
    postgresql) start_postgres; connection="$pg_connection" ;;
  esac
  out="$work/$store.out"
  timeout --kill-after=10 "$run_limit" dotnet "$tool" cdr-store --store "$store" --connection "$connection" \
    --batches "$batches" --seconds "$seconds" --warmup "$warmup" --writers "$writers" >"$out" 2>"$work/$store.err" \
    || { cat "$out" "$work/$store.err" >&2; die "cdr-store --store $store failed"; }
  if [ "$header_shown" = false ]; then
    head -n 1 "$out"
    header_shown=true
  fi
  tail -n +2 "$out"
done
