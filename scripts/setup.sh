#!/usr/bin/env bash
# Everything berth's demo and tests need on a fresh Debian machine (run as root):
# npm dependencies from the lockfile, docker.io, podman, busybox-static and chromium from apt, a running
# engine, the local base image and the CLI bundle. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
need_apt=()
command -v dockerd >/dev/null 2>&1 || need_apt+=(docker.io)
installed busybox-static || need_apt+=(busybox-static)   # the test image needs the static build
command -v docker-registry >/dev/null 2>&1 || need_apt+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || need_apt+=(apache2-utils)
command -v pidof >/dev/null 2>&1 || need_apt+=(procps)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)   # the web view's browser tests (playwright-core)
command -v docker-compose >/dev/null 2>&1 || need_apt+=(docker-compose) # import side-by-side tests, bench
command -v ip >/dev/null 2>&1 || need_apt+=(iproute2)     # scripts/cluster: extra engines in netns
command -v bc >/dev/null 2>&1 || need_apt+=(bc)           # scripts/cluster timings
command -v script >/dev/null 2>&1 || need_apt+=(bsdutils) # run -it tests under a pseudo-terminal
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl) # TLS context tests make a throw-away CA
command -v git >/dev/null 2>&1 || need_apt+=(git)         # the git source
command -v podman >/dev/null 2>&1 || need_apt+=(podman)   # test/podman: a second engine (Podman's Docker API)
command -v catatonit >/dev/null 2>&1 || need_apt+=(catatonit) # Podman's init (`init: true`)
# Podman's network backend and its DNS: without them Podman 4.3 uses CNI, with no names.
[ -x /usr/lib/podman/netavark ] || need_apt+=(netavark)
[ -x /usr/lib/podman/aardvark-dns ] || need_apt+=(aardvark-dns)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing ${need_apt[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

engine_up() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
if ! engine_up; then
  if [ -n "${DOCKER_HOST:-}" ]; then
    echo "setup: no engine answers at DOCKER_HOST=$DOCKER_HOST" >&2; exit 1
  fi
  # A pid file left by an engine that is not running (a machine image taken while one ran)
  # makes dockerd refuse to start; no dockerd runs, so it is stale.
  if ! pidof dockerd >/dev/null 2>&1; then
    rm -f /var/run/docker.pid /var/run/docker/containerd/containerd.pid
  fi
  start_dockerd() {
    say "starting dockerd in the background (log: /var/log/berth-dockerd.log)"
    # From /: the engine runs git (BuildKit git sources) in its working directory, which must
    # outlive this checkout. exec + setsid: no shell of this script stays behind holding its
    # output open.
    (cd / && exec setsid nohup dockerd </dev/null >>/var/log/berth-dockerd.log 2>&1) &
  }
  # Waits up to $1 seconds for the engine to answer; gives up early when dockerd has exited.
  wait_engine() {
    local deadline=$(( $(date +%s) + $1 ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
      engine_up && return 0
      sleep 0.5
      pidof dockerd >/dev/null 2>&1 || { sleep 1; engine_up && return 0; pidof dockerd >/dev/null 2>&1 || return 1; }
    done
    engine_up
  }
  start_dockerd
  if ! wait_engine 120; then
    echo "setup: dockerd did not answer; the last lines of /var/log/berth-dockerd.log:" >&2
    tail -n 25 /var/log/berth-dockerd.log >&2 || true
    pkill -x dockerd 2>/dev/null || true
    sleep 2
    rm -f /var/run/docker.pid /var/run/docker/containerd/containerd.pid
    say "starting dockerd once more"
    start_dockerd
    wait_engine 120 || {
      echo "setup: dockerd did not answer twice; the last lines of /var/log/berth-dockerd.log:" >&2
      tail -n 40 /var/log/berth-dockerd.log >&2 || true
      exit 1
    }
  fi
fi
say "engine $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"

./scripts/build-test-image.sh >&2
npm run --silent build >&2
