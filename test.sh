#!/usr/bin/env bash
# Runs the whole SipTrunk test suite on a Debian machine with the .NET 10 SDK.
# Installs the Debian packages the tests use as real peers when they are missing, then builds with
# warnings as errors and runs every test project. Prints a closing 'N passed, N failed, N skipped' line.
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the suite drives as real peers and tools. Keep this list in step with the tests.
packages=(afl++ baresip chromium gcc libc6-dev libsrtp2-dev openssl postgresql sip-tester sipsak sipvicious sslscan stunnel4 testssl.sh tshark)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "test.sh: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v dotnet >/dev/null || { echo "test.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build SipTrunk.sln -c Release -warnaserror -nologo -v quiet

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test SipTrunk.sln -c Release --no-build --nologo --logger "console;verbosity=minimal" 2>&1 | tee "$log" || status=$?

# Parser fuzzing (issue 7): AFL++ over the frame scanner, SIP and SDP parsers for a bounded 60 s; a crash fails the suite.
fuzz_status=0
CI=true bench/fuzz.sh --seconds 60 || fuzz_status=$?
if [ "$fuzz_status" -ne 0 ]; then
  echo "test.sh: FUZZING FAILED (bench/fuzz.sh exit $fuzz_status): a parser crashed on fuzzed input or the fuzzer could not run; see above"
  status=1
fi

# One closing line over all test assemblies.
awk '/(Passed|Failed)! +- +Failed:/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") failed += $(i+1) + 0
         if ($i == "Passed:") passed += $(i+1) + 0
         if ($i == "Skipped:") skipped += $(i+1) + 0
       }
       runs++
     }
     END { printf "tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped; if (runs == 0) exit 1 }' "$log" || status=1
exit $status
