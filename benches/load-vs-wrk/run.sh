#!/usr/bin/env bash
# kiemdinh load against wrk on the same loopback nginx static page, in one run:
#   1. throughput: `wrk -t2 -c50 -d10s` then `kiemdinh load` with static.toml (50 users, no
#      think time, 10 s); prints both requests/s and their ratio (target: kiemdinh ≥ 0.5× wrk);
#   2. memory: `kiemdinh load` with memory.toml (5 000 users thinking 1 s, 20 s) under
#      `/usr/bin/time -v`; prints the peak RSS (target ≤ 1 GiB).
#
#   benches/load-vs-wrk/run.sh              both halves
#   benches/load-vs-wrk/run.sh --wrk-only   nginx and wrk only (no kiemdinh needed)
#
# Needs (installs nothing): nginx and wrk (Debian: apt-get install nginx-light wrk), GNU time
# at /usr/bin/time (Debian: time), python3, and a release build of kiemdinh
# (cargo build --release; or KIEMDINH=/path/to/kiemdinh). nginx runs as this user from a
# throwaway prefix in a temporary directory on a free loopback port, with one worker process
# (the 2 cores are shared with the clients), and is stopped on exit; no system configuration
# is read or touched.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

wrk_only=0
for arg in "$@"; do
  case "$arg" in
    --wrk-only) wrk_only=1 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $arg (use --wrk-only or nothing)" >&2; exit 2 ;;
  esac
done

missing=()
nginx_bin="$(command -v nginx || true)"
[ -n "$nginx_bin" ] || { [ -x /usr/sbin/nginx ] && nginx_bin=/usr/sbin/nginx; } || true
[ -n "$nginx_bin" ] || missing+=("nginx (Debian: nginx-light or nginx)")
command -v wrk >/dev/null || missing+=("wrk (Debian: wrk)")
command -v python3 >/dev/null || missing+=("python3")
kiemdinh="${KIEMDINH:-$root/target/release/kiemdinh}"
if [ "$wrk_only" = 0 ]; then
  [ -x /usr/bin/time ] && /usr/bin/time -v true 2>/dev/null || missing+=("GNU time at /usr/bin/time (Debian: time)")
  [ -x "$kiemdinh" ] || missing+=("kiemdinh at $kiemdinh (cargo build --release, or set KIEMDINH)")
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "run.sh: missing:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  exit 1
fi
if [ "$wrk_only" = 0 ] && ! "$kiemdinh" load --help >/dev/null 2>&1; then
  echo "run.sh: $kiemdinh has no \`load\` command yet; run with --wrk-only or rebuild" >&2
  exit 1
fi

# 5 000 users hold 5 000 connections (and nginx as many): raise the open-files limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 12000 ]; then
  echo "run.sh: warning: open files limited to $(ulimit -n); the 5 000-user run needs about 10 500" >&2
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/kiemdinh-load-vs-wrk.XXXXXX")"
nginx_pid=""
cleanup() {
  if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill "$nginx_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$nginx_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
mkdir -p "$tmp/www" "$tmp/logs"
# Started as root, nginx's worker runs as nobody: it must be able to read the page.
chmod 755 "$tmp" "$tmp/www"
# A small portal-like page (about 3 KiB), the same for both tools.
python3 - "$tmp/www/index.html" <<'PY'
import sys
rows = "".join(f"<tr><td>1.00{i:04d}</td><td>Thủ tục hành chính số {i}</td><td>Toàn trình</td></tr>" for i in range(30))
page = ("<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Cổng Dịch vụ công</title></head>"
        f"<body><h1>Danh mục thủ tục hành chính</h1><table>{rows}</table></body></html>")
open(sys.argv[1], "w", encoding="utf-8").write(page)
PY
cat > "$tmp/nginx.conf" <<CONF
daemon off;
worker_processes 1;
worker_rlimit_nofile 20000;
pid $tmp/nginx.pid;
error_log $tmp/logs/error.log warn;
events { worker_connections 12000; }
http {
  access_log off;
  client_body_temp_path $tmp/client_body;
  proxy_temp_path $tmp/proxy;
  fastcgi_temp_path $tmp/fastcgi;
  uwsgi_temp_path $tmp/uwsgi;
  scgi_temp_path $tmp/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  types { text/html html; }
  server {
    listen 127.0.0.1:$port;
    root $tmp/www;
    index index.html;
  }
}
CONF
"$nginx_bin" -p "$tmp" -e "$tmp/logs/error.log" -c "$tmp/nginx.conf" &
nginx_pid=$!
for _ in $(seq 50); do
  python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && break
  kill -0 "$nginx_pid" 2>/dev/null || { echo "run.sh: nginx did not start:" >&2; cat "$tmp/logs/error.log" >&2; exit 1; }
  sleep 0.1
done
url="http://127.0.0.1:$port/"
python3 - "$url" <<'PY' || { echo "run.sh: nginx does not serve the page:" >&2; cat "$tmp/logs/error.log" >&2; exit 1; }
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=5) as r:
    assert r.status == 200 and b"Danh m" in r.read(), r.status
PY
echo "nginx $("$nginx_bin" -v 2>&1 | sed 's/.*\///') on $url (pid $nginx_pid, 1 worker)"
echo "machine: $(nproc) cores, $(uname -sr)"

echo "== wrk -t2 -c50 -d10s"
wrk -t2 -c50 -d10s "$url" | tee "$tmp/wrk.txt"
wrk_rps="$(awk '/^Requests\/sec:/ {print $2}' "$tmp/wrk.txt")"
[ -n "$wrk_rps" ] || { echo "run.sh: no Requests/sec in wrk's output" >&2; exit 1; }
if grep -q "Non-2xx or 3xx responses\|Socket errors" "$tmp/wrk.txt"; then
  echo "run.sh: wrk saw errors; its figure is not comparable" >&2
  exit 1
fi
if [ "$wrk_only" = 1 ]; then
  echo "wrk: $wrk_rps requests/s"
  exit 0
fi

# A figure from load.json (top level, as `kiemdinh load` writes it).
figure() {
  python3 - "$1" "$2" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
value = run
for key in sys.argv[2].split("."):
    value = value[key]
print(value)
PY
}

# Runs `kiemdinh load` on a copy of a bench scenario pointed at this nginx; $2 = output dir.
load() {
  sed "s#http://127.0.0.1:18080/#$url#" "$here/$1" > "$tmp/$1"
  local rc=0
  CI=1 "${@:3}" "$kiemdinh" load --scenario "$tmp/$1" --out "$2" || rc=$?
  if [ ! -f "$2/load.json" ]; then
    echo "run.sh: kiemdinh load exited $rc without $2/load.json" >&2
    exit 1
  fi
  [ "$rc" = 0 ] || echo "(kiemdinh load exited $rc — a verdict, not a crash: its load.json is there)"
}

echo "== kiemdinh load: static.toml (50 users, think 0, 10 s)"
load static.toml "$tmp/static"
k_rps="$(figure "$tmp/static/load.json" rps)"
k_err="$(figure "$tmp/static/load.json" errors)"
k_req="$(figure "$tmp/static/load.json" requests)"
k_p50="$(figure "$tmp/static/load.json" latency_ms.p50)"
k_p99="$(figure "$tmp/static/load.json" latency_ms.p99)"

echo "== kiemdinh load: memory.toml (5 000 users, think 1 s, 20 s) under /usr/bin/time -v"
load memory.toml "$tmp/memory" /usr/bin/time -v -o "$tmp/time.txt"
rss_kib="$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$tmp/time.txt")"
m_users="$(figure "$tmp/memory/load.json" users)"
m_rps="$(figure "$tmp/memory/load.json" rps)"
m_err="$(figure "$tmp/memory/load.json" errors)"

python3 - "$wrk_rps" "$k_rps" "$k_req" "$k_err" "$k_p50" "$k_p99" "$rss_kib" "$m_users" "$m_rps" "$m_err" <<'PY'
import sys
wrk, k, req, err, p50, p99, rss, users, mrps, merr = sys.argv[1:]
ratio = float(k) / float(wrk)
mib = int(rss) / 1024
print()
print("| run | figure | target |")
print("|---|---|---|")
print(f"| wrk -t2 -c50 -d10s | {float(wrk):,.0f} requests/s | |")
print(f"| kiemdinh load, 50 users, 10 s | {float(k):,.0f} requests/s ({int(req):,} requests, {int(err)} errors, p50 {float(p50):.2f} ms, p99 {float(p99):.2f} ms) | |")
print(f"| ratio kiemdinh / wrk | {ratio:.2f}× | ≥ 0.5× {'(met)' if ratio >= 0.5 else '(NOT met)'} |")
print(f"| kiemdinh load, 5 000 users thinking 1 s, 20 s | peak RSS {mib:,.0f} MiB ({users} users reached, {float(mrps):,.0f} requests/s, {int(merr)} errors) | ≤ 1 024 MiB {'(met)' if mib <= 1024 else '(NOT met)'} |")
PY
