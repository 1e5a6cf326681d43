#!/usr/bin/env bash
# Compares kiemdinh's accessibility audit (PL8-5: the vendored axe-core injected by the browser
# probe) with the axe-core CLI (npm @axe-core/cli 4.13.0, which runs axe-core 4.13.0 too) on
# three pages of the reference portal with known violations (`--defects missing-alt,low-contrast`),
# same rule tags, and prints the rule ids side by side (match / differ).
#
#   benches/axe-compare/run.sh
#
# Needs: chromium + chromedriver (scripts/setup), node + npm (the CLI is installed into a temp
# directory with `npm install --ignore-scripts`: its own chromedriver download would fail
# offline, Debian's /usr/bin/chromedriver is used through --chromedriver-path), python3, cargo.
# About two minutes (kiemdinh renders the whole portal). Exit status: 0 when every page
# matches, 1 when one differs, 2 on a setup error.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
case "${1:-}" in -h|--help) sed -n '2,13p' "$0"; exit 0 ;; esac

cli_version="${AXE_CLI_VERSION:-4.13.0}"
defects="missing-alt,low-contrast"
pages="/ /huong-dan /lien-he"
tags="wcag2a,wcag2aa,wcag21a,wcag21aa,EN-301-549"
chrome="${CHROME_PATH:-/usr/bin/chromium}"
chromedriver="${CHROMEDRIVER_PATH:-/usr/bin/chromedriver}"

for tool in node npm python3 cargo "$chrome" "$chromedriver"; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (see scripts/setup)" >&2; exit 2; }
done

work="$(mktemp -d -t kiemdinh-axe-compare-XXXXXX)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== installing @axe-core/cli@$cli_version into $work/cli"
mkdir -p "$work/cli"
(cd "$work/cli" && npm install --ignore-scripts --no-audit --no-fund --silent "@axe-core/cli@$cli_version")
axe="$work/cli/node_modules/.bin/axe"

echo "== building kiemdinh (debug)"
(cd "$root" && nice cargo build --locked --quiet --bin kiemdinh)
kiemdinh="$root/target/debug/kiemdinh"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port="$(free_port)"
"$kiemdinh" demo serve --port "$port" --http-port "$(free_port)" --defects "$defects" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 50); do
  grep -q "press Ctrl-C" "$work/serve.log" 2>/dev/null && break
  sleep 0.2
done
grep -q "press Ctrl-C" "$work/serve.log" || { echo "run.sh: the demo did not start:" >&2; cat "$work/serve.log" >&2; exit 2; }
base="https://127.0.0.1:$port"

echo "== axe-core CLI on $base (${pages// /, })"
urls=""
for p in $pages; do urls="$urls $base$p"; done
# shellcheck disable=SC2086 # one argument per URL
nice "$axe" $urls --tags "$tags" --chromedriver-path "$chromedriver" --chrome-path "$chrome" \
  --chrome-options="headless,no-sandbox,disable-gpu,disable-dev-shm-usage,ignore-certificate-errors" \
  --dir "$work" --save cli.json --no-reporter >"$work/cli.log" 2>&1 \
  || { echo "run.sh: the axe CLI failed:" >&2; cat "$work/cli.log" >&2; exit 2; }

echo "== kiemdinh assess --demo --defects $defects (browser, one run per timed page)"
nice "$kiemdinh" assess --demo --defects "$defects" --runs 1 --profile none --out "$work/kd" -q \
  >"$work/kd.log" 2>&1 || true
[ -f "$work/kd/evaluation.json" ] || { echo "run.sh: kiemdinh wrote no evaluation:" >&2; cat "$work/kd.log" >&2; exit 2; }

python3 - "$work/cli.json" "$work/kd/evaluation.json" $pages <<'PY'
import json, sys
from urllib.parse import urlsplit

cli_file, kd_file, pages = sys.argv[1], sys.argv[2], sys.argv[3:]

def path(url):
    u = urlsplit(url)
    return u.path + (("?" + u.query) if u.query else "")

cli = {path(r["url"]): r for r in json.load(open(cli_file))}
obs = json.load(open(kd_file))["observations"]
kd = {path(u): r.get("accessibility") for u, r in obs.get("rendered", {}).items()}

differ = 0
print(f"{'page':<12} {'axe CLI ' + cli[pages[0]]['testEngine']['version']:<44} {'kiemdinh':<44} result")
for p in pages:
    c = cli.get(p)
    a = kd.get(p)
    ci = sorted(v["id"] for v in c["violations"]) if c else None
    if a is None or a.get("error"):
        ki = None
    else:
        ki = sorted(v["id"] for v in a["violations"])
    ok = ci is not None and ci == ki
    differ += not ok
    fmt = lambda ids: "—" if ids is None else (", ".join(ids) or "(none)")
    print(f"{p:<12} {fmt(ci):<44} {fmt(ki):<44} {'match' if ok else 'DIFFER'}")
    if a and not a.get("error") and c:
        cn = {v["id"]: (v["impact"], len(v["nodes"])) for v in c["violations"]}
        kn = {v["id"]: (v.get("impact"), v["node_count"]) for v in a["violations"]}
        if cn != kn:
            print(f"{'':<12} impacts/nodes differ: CLI {cn} kiemdinh {kn}")
sys.exit(1 if differ else 0)
PY
