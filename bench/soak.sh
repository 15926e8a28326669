#!/usr/bin/env bash
# Soak: steady calls with SRTP media through the real SipTrunk for --minutes, sampling its RSS, open file descriptors
# and threads every --sample seconds; prints the curve and the verdict "flat after warm-up" (a least-squares line
# through the second half of the run). It is the integration test SipTrunk.IntegrationTests.Soak.SoakTests (75 s in
# CI) run longer: SIPp calls at --cps (pbx-a over stunnel to a SIPp carrier) plus --srtp-calls SRTP calls up at any
# time (registered baresip to baresip carrier, rekeying relay, audio both ways). See bench/README.md.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: bench/soak.sh [--minutes 10] [--cps 10] [--srtp-calls 2] [--sample 10] [--csv FILE]
  --minutes     length of the run, warm-up (the first quarter) included: 1-1440
  --cps         SIPp calls per second (INVITE with SDP, 200, ACK, 100 ms, BYE): 1-200
  --srtp-calls  SRTP calls up at any time (baresip pairs calling again and again, 3 s of audio each): 1-8
  --sample      seconds between samples: 1-60
  --csv         also write the samples here (default: bench-soak-<time>.csv in the current directory)
USAGE
}

minutes=10
cps=10
srtp_calls=2
sample=10
csv=""
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) [ $# -ge 2 ] || { usage >&2; exit 2; }; minutes="$2"; shift 2 ;;
    --cps) [ $# -ge 2 ] || { usage >&2; exit 2; }; cps="$2"; shift 2 ;;
    --srtp-calls) [ $# -ge 2 ] || { usage >&2; exit 2; }; srtp_calls="$2"; shift 2 ;;
    --sample) [ $# -ge 2 ] || { usage >&2; exit 2; }; sample="$2"; shift 2 ;;
    --csv) [ $# -ge 2 ] || { usage >&2; exit 2; }; csv="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "soak: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
in_range() { [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
in_range "$minutes" 1 1440 || { echo "soak: --minutes must be 1-1440" >&2; exit 2; }
in_range "$cps" 1 200 || { echo "soak: --cps must be 1-200" >&2; exit 2; }
in_range "$srtp_calls" 1 8 || { echo "soak: --srtp-calls must be 1-8" >&2; exit 2; }
in_range "$sample" 1 60 || { echo "soak: --sample must be 1-60" >&2; exit 2; }

cd "$(dirname "$0")/.."
for tool in dotnet sipp stunnel4 baresip; do
  command -v "$tool" >/dev/null || { echo "soak: $tool is required" >&2; exit 1; }
done
[ -n "$csv" ] || csv="$PWD/bench-soak-$(date -u +%Y%m%dT%H%M%SZ).csv"
case "$csv" in /*) ;; *) csv="$PWD/$csv" ;; esac

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "soak: building the integration tests (Release)" >&2
dotnet build tests/SipTrunk.IntegrationTests -c Release -nologo -v quiet >/dev/null

# The test bounds every wait; the run itself takes the soak's length plus about a minute of start and stop.
echo "soak: $minutes min, $cps cps SIPp + $srtp_calls SRTP calls, a sample every $sample s -> $csv" >&2
status=0
SIPTRUNK_SOAK_SECONDS=$((minutes * 60)) SIPTRUNK_SOAK_CPS="$cps" SIPTRUNK_SOAK_SRTP_CALLS="$srtp_calls" \
SIPTRUNK_SOAK_SAMPLE_SECONDS="$sample" SIPTRUNK_SOAK_CSV="$csv" \
  dotnet test tests/SipTrunk.IntegrationTests -c Release --no-build --nologo \
    --filter "FullyQualifiedName~SipTrunk.IntegrationTests.Soak.SoakTests" --logger "console;verbosity=minimal" || status=$?

report="${csv%.*}.txt"
if [ -f "$report" ]; then
  cat "$report"
else
  echo "soak: no report was written (see the test output above)" >&2
  status=1
fi
exit $status
