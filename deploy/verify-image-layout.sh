#!/usr/bin/env bash
# Does, without a Docker engine, what the Dockerfile's image does, and checks it works:
#   1. the build context is exactly the files .dockerignore admits (read from .dockerignore, applied to the files of
#      the repository that git does not ignore);
#   2. build stage: `dotnet restore` with only the files the Dockerfile copies before it (Directory.*.props,
#      .editorconfig, the three csproj), then `dotnet publish -c Release --no-restore` of the whole context's src/;
#   3. runtime stage: /app from the publish, /siptrunk/{config,certs,data} with the image's owners and modes, the
#      process started as the image's non-root UID 1654 (no passwd entry, like `USER $APP_UID`) from /siptrunk with the
#      image's ENTRYPOINT + CMD (`/app/siptrunk run`), on loopback ports picked free (environment overrides, as with
#      `docker run -e`): it generates the development certificates in certs/, opens the store in data/, serves
#      /healthz, the HEALTHCHECK command (`siptrunk health --timeout 5`, also as UID 1654) passes, it cannot write
#      config/ or /app, and SIGTERM (docker stop) ends it with exit code 0.
# Leaves nothing behind unless --keep. Run as root (it switches to UID 1654 with setpriv); needs dotnet, git, python3, ss.
set -euo pipefail

keep=false
case "${1:-}" in
  --keep) keep=true ;;
  "") ;;
  -h|--help) echo "usage: deploy/verify-image-layout.sh [--keep]"; exit 0 ;;
  *) echo "usage: deploy/verify-image-layout.sh [--keep]" >&2; exit 2 ;;
esac
[ "$(id -u)" -eq 0 ] || { echo "verify-image-layout: run as root (it starts SipTrunk as UID 1654)" >&2; exit 1; }
for tool in dotnet git python3 ss setpriv curl; do
  command -v "$tool" >/dev/null || { echo "verify-image-layout: $tool is required" >&2; exit 1; }
done

repo="$(cd "$(dirname "$0")/.." && pwd)"
app_uid=1654
work="$(mktemp -d "${TMPDIR:-/tmp}/siptrunk-image.XXXXXX")"
chmod 0755 "$work"
pid=""
cleanup() {
  local status=$?
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  if [ "$keep" = true ] || [ $status -ne 0 ]; then echo "verify-image-layout: work directory kept: $work" >&2; else rm -rf "$work"; fi
  exit $status
}
trap cleanup EXIT
fail() { echo "verify-image-layout: FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

# 1. The build context, by .dockerignore's rules (last matching rule wins; a rule matching a parent directory
# matches what is inside; `**` spans directories), over the files git tracks or would track.
context="$work/context"
mkdir -p "$context"
cat >"$work/context.py" <<'PY'
import os, re, shutil, sys
ignore_file, repo, context = sys.argv[1:4]
rules = []
for line in open(ignore_file):
    line = line.strip()
    if not line or line.startswith('#'):
        continue
    negate = line.startswith('!')
    pattern = line[1:] if negate else line
    pattern = pattern.strip('/')
    regex = ''
    i = 0
    while i < len(pattern):
        if pattern.startswith('**/', i):
            regex += '(?:.*/)?'; i += 3
        elif pattern.startswith('**', i):
            regex += '.*'; i += 2
        elif pattern[i] == '*':
            regex += '[^/]*'; i += 1
        elif pattern[i] == '?':
            regex += '[^/]'; i += 1
        else:
            regex += re.escape(pattern[i]); i += 1
    rules.append((negate, re.compile(regex + '$')))
def excluded(path):
    parts = path.split('/')
    prefixes = ['/'.join(parts[:n]) for n in range(1, len(parts) + 1)]
    result = False
    for negate, regex in rules:
        if any(regex.match(p) for p in prefixes):
            result = not negate
    return result
count = 0
for path in sys.stdin.read().split('\n'):
    if not path or not os.path.isfile(os.path.join(repo, path)) or excluded(path):
        continue
    os.makedirs(os.path.dirname(os.path.join(context, path)) or context, exist_ok=True)
    shutil.copy2(os.path.join(repo, path), os.path.join(context, path))
    count += 1
print(f"build context: {count} files")
PY
(cd "$repo" && git ls-files -co --exclude-standard) | python3 "$work/context.py" "$repo/.dockerignore" "$repo" "$context"
[ -f "$context/src/SipTrunk/SipTrunk.csproj" ] || fail "the context lacks src/SipTrunk/SipTrunk.csproj"
[ -f "$context/config/siptrunk.json" ] || fail "the context lacks config/siptrunk.json"
leaked="$(cd "$context" && find . \( -name '*.key' -o -name '*.pem' -o -name bin -o -name obj -o -name .git -o -path ./tests -o -path ./certs \) -print | head -5)"
[ -z "$leaked" ] || fail "the context holds files it must not: $leaked"
ok "context admits src/, config/siptrunk.json and the build settings; no keys, certificates, tests or build output"

# 2. Build stage: restore on the copied project files alone, then publish.
source_dir="$work/source"
mkdir -p "$source_dir/src/SipTrunk.Sip" "$source_dir/src/SipTrunk.Core" "$source_dir/src/SipTrunk"
cp "$context/Directory.Build.props" "$context/Directory.Packages.props" "$context/.editorconfig" "$source_dir/"
cp "$context/src/SipTrunk.Sip/SipTrunk.Sip.csproj" "$source_dir/src/SipTrunk.Sip/"
cp "$context/src/SipTrunk.Core/SipTrunk.Core.csproj" "$source_dir/src/SipTrunk.Core/"
cp "$context/src/SipTrunk/SipTrunk.csproj" "$source_dir/src/SipTrunk/"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
(cd "$source_dir" && dotnet restore src/SipTrunk/SipTrunk.csproj -v quiet) >"$work/restore.log" 2>&1 || { cat "$work/restore.log" >&2; fail "dotnet restore on the project files alone"; }
ok "dotnet restore needs only Directory.*.props, .editorconfig and the three csproj"
cp -r "$context/src/." "$source_dir/src/"
root="$work/root"
(cd "$source_dir" && dotnet publish src/SipTrunk/SipTrunk.csproj -c Release --no-restore -o "$root/app" -p:UseAppHost=true -v quiet) >"$work/publish.log" 2>&1 || { cat "$work/publish.log" >&2; fail "dotnet publish"; }
[ -x "$root/app/siptrunk" ] || fail "publish made no /app/siptrunk executable"
ok "dotnet publish -c Release: $(du -sh "$root/app" | cut -f1) in /app, apphost /app/siptrunk"

# 3. Runtime stage: WORKDIR /siptrunk, config copied (root-owned), certs and data owned by the app user, 0750.
home="$root/siptrunk"
mkdir -p "$home/config" "$home/certs" "$home/data" "$root/home"
cp "$context/config/siptrunk.json" "$home/config/siptrunk.json"
chown -R root:root "$root/app" "$home/config"
chmod -R go-w "$root/app" "$home/config"
chown "$app_uid:$app_uid" "$home/certs" "$home/data" "$root/home"
chmod 0750 "$home/certs" "$home/data"

free_port() {
  local candidate i
  for ((i = 0; i < 200; i++)); do
    candidate=$((12000 + RANDOM % 8000))
    if [ -z "$(ss -Htuan "sport = :$candidate")" ]; then echo "$candidate"; return 0; fi
  done
  fail "no free port"
}
sip_port="$(free_port)"
admin_port="$(free_port)"
media_min=$((30000 + (RANDOM % 100) * 100))
# The image's user and environment: UID/GID 1654, no supplementary groups, a HOME of its own, the overrides.
as_app_command=(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME="$root/home"
  DOTNET_ROOT="$(dirname "$(readlink -f "$(command -v dotnet)")")" ASPNETCORE_HTTP_PORTS=
  SIPTRUNK__Listeners__0__Address=127.0.0.1 SIPTRUNK__Listeners__0__Port="$sip_port"
  SIPTRUNK__Admin__Urls="http://127.0.0.1:$admin_port"
  SIPTRUNK__Media__Address=127.0.0.1 SIPTRUNK__Media__PortRange__Min="$media_min" SIPTRUNK__Media__PortRange__Max=$((media_min + 99))
  setpriv --reuid="$app_uid" --regid="$app_uid" --clear-groups)
as_app() { "${as_app_command[@]}" "$@"; }

cd "$home"
# exec: $! is siptrunk itself (env and setpriv exec it in turn).
(exec "${as_app_command[@]}" "$root/app/siptrunk" run) >"$work/siptrunk.log" 2>&1 &
pid=$!
for ((i = 0; i < 300; i++)); do
  kill -0 "$pid" 2>/dev/null || { cat "$work/siptrunk.log" >&2; fail "siptrunk exited at start"; }
  curl -fsS "http://127.0.0.1:$admin_port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$admin_port/healthz" >/dev/null || { cat "$work/siptrunk.log" >&2; fail "/healthz did not answer within 30 s"; }
uid="$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")"
[ "$uid" = "$app_uid" ] || fail "siptrunk runs as UID $uid, not $app_uid"
ok "siptrunk run (PID $pid) as UID $uid from /siptrunk answers /healthz on 127.0.0.1:$admin_port"

for ((i = 0; i < 100; i++)); do ss -Hltn "sport = :$sip_port" | grep -q . && break; sleep 0.1; done
ss -Hltn "sport = :$sip_port" | grep -q . || fail "no SIP TLS listener on 127.0.0.1:$sip_port"
ok "SIP TLS listener on 127.0.0.1:$sip_port"

health="$(as_app "$root/app/siptrunk" health --timeout 5 2>&1)" || fail "HEALTHCHECK command failed: $health"
ok "HEALTHCHECK command as UID $app_uid: $health"

for file in ca.pem server.pem server.key; do
  [ -f "$home/certs/$file" ] || fail "certs/$file was not generated"
done
key_mode="$(stat -c '%a %u' "$home/certs/server.key")"
[ "$key_mode" = "600 $app_uid" ] || fail "certs/server.key is mode/owner $key_mode, expected 600 $app_uid"
ok "development certificates generated in certs/ (server.key mode 0600, owned by UID $app_uid)"
for ((i = 0; i < 50; i++)); do [ -n "$(ls -A "$home/data")" ] && break; sleep 0.1; done
[ -n "$(ls -A "$home/data")" ] || fail "nothing was written to data/"
ok "data/ holds: $(ls "$home/data" | tr '\n' ' ')"

as_app touch "$home/config/probe" 2>/dev/null && fail "UID $app_uid can write config/" || true
as_app touch "$root/app/probe" 2>/dev/null && fail "UID $app_uid can write /app" || true
ok "UID $app_uid cannot write config/ or /app"

kill -TERM "$pid"
exit_code=0
wait "$pid" || exit_code=$?
pid=""
[ "$exit_code" -eq 0 ] || { tail -n 20 "$work/siptrunk.log" >&2; fail "SIGTERM ended siptrunk with exit code $exit_code"; }
ok "SIGTERM (docker stop): exit code 0"
echo "verify-image-layout: all checks passed"
