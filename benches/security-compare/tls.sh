#!/usr/bin/env bash
# The TLS protocol versions testssl.sh and kiemdinh find on the same endpoint, on one line:
#
#   benches/security-compare/tls.sh HOST:PORT [CAFILE]
#   → tls 127.0.0.1:18443 testssl=TLSv1,TLSv1.1,TLSv1.2 kiemdinh=TLSv1,TLSv1.1,TLSv1.2 agree=yes
#
# Needs (installs nothing): testssl.sh (Debian: apt-get install testssl.sh; the binary is
# `testssl` or `testssl.sh`), jq, and kiemdinh (KIEMDINH=/path/to/kiemdinh, default
# target/release/kiemdinh then target/debug/kiemdinh). kiemdinh's scan is the one SEC-1 uses
# (`kiemdinh tls-scan`, a hidden subcommand); CAFILE only matters for its certificate lines.
# Version names are OpenSSL's (`TLSv1` is TLS 1.0); testssl's ids (SSLv3, TLS1, TLS1_1,
# TLS1_2, TLS1_3) are mapped to them. SSLv2 is left out: kiemdinh does not try it.
# Exit status: 0 when they agree, 1 when they differ, 2 when a tool is missing or failed.
set -euo pipefail

target="${1:?usage: tls.sh HOST:PORT [CAFILE]}"
cafile="${2:-}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

testssl_bin="$(command -v testssl || command -v testssl.sh || true)"
[ -n "$testssl_bin" ] || { echo "tls.sh: testssl.sh not found (Debian: apt-get install testssl.sh)" >&2; exit 2; }
command -v jq >/dev/null || { echo "tls.sh: jq not found" >&2; exit 2; }
kiemdinh="${KIEMDINH:-}"
if [ -z "$kiemdinh" ]; then
  for k in "$root/target/release/kiemdinh" "$root/target/debug/kiemdinh"; do
    [ -x "$k" ] && { kiemdinh="$k"; break; }
  done
fi
[ -n "$kiemdinh" ] && [ -x "$kiemdinh" ] || { echo "tls.sh: kiemdinh not built (cargo build)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# testssl.sh: protocols only; --warnings off: no interactive questions.
"$testssl_bin" --protocols --jsonfile "$work/testssl.json" --warnings off --quiet --color 0 \
  "$target" >"$work/testssl.log" 2>&1 || true
[ -s "$work/testssl.json" ] || { echo "tls.sh: testssl.sh wrote no JSON (see below)" >&2; cat "$work/testssl.log" >&2; exit 2; }
testssl_versions="$(jq -r '
  [ .[] | select(.id | IN("SSLv3","TLS1","TLS1_1","TLS1_2","TLS1_3"))
        | select(.finding | test("^offered")) | .id ]
  | map({"SSLv3":"SSLv3","TLS1":"TLSv1","TLS1_1":"TLSv1.1","TLS1_2":"TLSv1.2","TLS1_3":"TLSv1.3"}[.])
  | join(",")' "$work/testssl.json")"

ca_args=()
[ -n "$cafile" ] && ca_args=(--ca-file "$cafile")
"$kiemdinh" tls-scan "$target" "${ca_args[@]}" --json >"$work/kiemdinh.json"
kiemdinh_versions="$(jq -r '[.protocols[] | select(.outcome == "accepted") | .version] | join(",")' "$work/kiemdinh.json")"

agree=no
[ "$testssl_versions" = "$kiemdinh_versions" ] && agree=yes
echo "tls $target testssl=${testssl_versions:-none} kiemdinh=${kiemdinh_versions:-none} agree=$agree"
[ "$agree" = yes ]
