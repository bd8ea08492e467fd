#!/usr/bin/env bash
# Chaos check for issue 6, run by hand (it restarts dockerd: every other engine test running
# at the same time will fail). Starts `berth watch` on a small project, stops the engine
# under it, starts it again with the same command line, kills a container, and checks that
# the controller reconnected (berth_engine_reconnects_total ≥ 1) and converged again.
# Needs root (it signals dockerd). Exit 0 = passed.
set -euo pipefail
cd "$(dirname "$0")/.."

project="chaos-$RANDOM"
work="$(mktemp -d)"
port=17399
image="${BERTH_TEST_IMAGE:-localhost/berth-busybox:1}"
cat >"$work/app.yaml" <<YAML
apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: $image
  command: [sh, -c]
  args: ["trap 'exit 0' TERM; sleep 3600 & wait"]
YAML

watch_pid=""
cleanup() {
  [ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null || true
  docker rm -f "$project-web" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_for() { # seconds, command...
  local end=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -ge $end ] && return 1
    sleep 0.2
  done
}
running() { [ "$(docker inspect -f '{{.State.Status}}' "$project-web")" = running ]; }

XDG_STATE_HOME="$work/state" node --import tsx controller/cli/main.ts watch "$work" -p "$project" \
  --listen "127.0.0.1:$port" --resync 5s 2>"$work/watch.log" &
watch_pid=$!
wait_for 60 running || { echo "FAIL: never converged"; cat "$work/watch.log"; exit 1; }
echo "converged; restarting dockerd"

dockerd_pid="$(pidof dockerd)"
mapfile -d '' cmd <"/proc/$dockerd_pid/cmdline"
kill -TERM "$dockerd_pid"
while kill -0 "$dockerd_pid" 2>/dev/null; do sleep 0.2; done
sleep 2
nohup "${cmd[@]}" >/var/log/dockerd-chaos.log 2>&1 &
wait_for 60 docker version || { echo "FAIL: dockerd did not come back"; exit 1; }
echo "dockerd is back"

# The live-restore-less daemon stops containers; berth must bring web back either way.
wait_for 60 running || { echo "FAIL: not running after the engine restart"; cat "$work/watch.log"; exit 1; }
docker kill "$project-web" >/dev/null
wait_for 10 running || { echo "FAIL: kill after reconnect not repaired"; cat "$work/watch.log"; exit 1; }
reconnects="$(curl -s "127.0.0.1:$port/metrics" | awk '/^berth_engine_reconnects_total/ {print $2}')"
[ "${reconnects:-0}" -ge 1 ] || { echo "FAIL: no reconnect counted"; exit 1; }
kill -TERM "$watch_pid"; wait "$watch_pid"; watch_pid=""
echo "PASS: reconnected $reconnects time(s) and converged"
