#!/usr/bin/env bash
# Holds kiemdinh's lab metrics (examples/lab) against Lighthouse 13 with applied DevTools
# throttling on three fixture pages served from loopback, for the mobile and desktop profiles,
# and prints the medians side by side with the acceptance bounds (FCP and LCP within 15 %,
# Speed Index within 20 %; TTFB shown, not bounded: the two tools define it differently).
#
#   benches/lighthouse-compare/run.sh [--runs N] [--profiles "mobile desktop"] [--pages "light images script"]
#
# Needs: chromium + chromedriver (scripts/setup), node + npm (Lighthouse is installed once into
# target/lighthouse-cache with `npm install --ignore-scripts`), python3 (the static server and
# the table). No internet once Lighthouse is cached. Slow (~10 min for the defaults): one
# browser at a time, niced; run it on an otherwise idle machine and repeat when in doubt.
# Exit status: 0 when every bound holds, 1 when one does not, 2 on a usage or setup error.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

runs=3
profiles="mobile desktop"
pages="light images script"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --profiles) profiles="$2"; shift 2 ;;
    --pages) pages="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
case "$runs" in ''|*[!0-9]*) echo "run.sh: --runs needs a number" >&2; exit 2 ;; esac

chrome="${CHROME_PATH:-/usr/bin/chromium}"
lh_version="${LIGHTHOUSE_VERSION:-13.5.0}"
cache="$root/target/lighthouse-cache"
out="$root/target/lighthouse-compare/$(date -u +%Y%m%dT%H%M%SZ)"
# The Chromium flags kiemdinh's sessions use (src/probe/browser/session.rs, STACK.md).
flags="--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking --disable-component-update --no-first-run"

for tool in node npm python3 "$chrome" chromedriver cargo; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (see scripts/setup)" >&2; exit 2; }
done

lighthouse="$cache/node_modules/.bin/lighthouse"
if [ ! -x "$lighthouse" ] || [ "$("$lighthouse" --version)" != "$lh_version" ]; then
  echo "== installing lighthouse@$lh_version into $cache"
  mkdir -p "$cache"
  (cd "$cache" && npm install --ignore-scripts --no-audit --no-fund --silent "lighthouse@$lh_version")
fi

echo "== building examples/lab (release)"
(cd "$root" && nice cargo build --release --locked --quiet --example lab)
lab="$root/target/release/examples/lab"

mkdir -p "$out/site"
cp -r "$here/site/." "$out/site/"
python3 "$here/site/make-app-js.py" "$out/site/app.js"

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 -m http.server --bind 127.0.0.1 --directory "$out/site" "$port" >"$out/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/light.html', timeout=1)" 2>/dev/null && break
  sleep 0.1
done

{
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "machine: $(uname -sm), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "browser: $("$chrome" --version 2>/dev/null | head -1); lighthouse $("$lighthouse" --version); node $(node --version)"
  echo "runs: $runs per page and profile, interleaved (Lighthouse, kiemdinh, Lighthouse, ...)"
} >"$out/machine.txt"
cat "$out/machine.txt"

for profile in $profiles; do
  preset=()
  [ "$profile" = desktop ] && preset=(--preset=desktop)
  for page in $pages; do
    url="http://127.0.0.1:$port/$page.html"
    for i in $(seq "$runs"); do
      echo "== $profile $page run $i/$runs"
      CHROME_PATH="$chrome" nice "$lighthouse" "$url" "${preset[@]}" --quiet \
        --only-categories=performance --throttling-method=devtools \
        --chrome-flags="$flags" --output=json --output-path="$out/lh-$profile-$page-$i.json" \
        || echo "lighthouse failed on $url" >&2
      nice "$lab" "$url" --profile "$profile" --runs 1 --json >"$out/lab-$profile-$page-$i.json" \
        || echo "examples/lab failed on $url" >&2
    done
  done
done

python3 "$here/compare.py" "$out" $profiles -- $pages | tee "$out/table.md"
