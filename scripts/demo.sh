#!/usr/bin/env bash
# The README's main job, end to end on a fresh Debian machine (root): install what is
# missing, start the engine, then validate, plan, apply and show the examples as project
# "examples". Leaves them running; `node bin/berth.mjs delete -f examples/` removes them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
berth() { node bin/berth.mjs "$@"; }
step() { printf '\n\033[1m$ berth %s\033[0m\n' "$*"; }

step validate -f examples/;            berth validate -f examples/
step plan -f examples/;                berth plan -f examples/
step apply -f examples/;               berth apply -f examples/ --log-level warn
step status -p examples;               berth status -p examples || true
step get -p examples -o wide;          berth get -p examples -o wide
step apply -f examples/ "(again: nothing to do)"; berth apply -f examples/ --log-level warn
printf '\nThe web example answers on http://127.0.0.1:18080/ :\n'
wget -q -O - http://127.0.0.1:18080/ 2>/dev/null || curl -s http://127.0.0.1:18080/ || true
printf '\nThe shop example: web -> api (2 replicas, by name) -> db, on http://127.0.0.1:18081/cgi-bin/items :\n'
wget -q -O - http://127.0.0.1:18081/cgi-bin/items 2>/dev/null ||
  curl -s http://127.0.0.1:18081/cgi-bin/items || true
cat <<'TXT'

Next: node bin/berth.mjs logs -p examples client     (the client fetching the page)
      node bin/berth.mjs describe -p examples container/server
      node bin/berth.mjs exec -p examples web -- wget -qO- http://api:8080/cgi-bin/items
      node bin/berth.mjs delete -f examples/         (remove it all; host folders stay)
TXT
