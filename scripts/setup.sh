#!/usr/bin/env bash
# Everything berth's demo and tests need on a fresh Debian machine (run as root):
# npm dependencies from the lockfile, docker.io and busybox-static from apt, a running
# engine, the local base image and the CLI bundle. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }

need_apt=()
command -v dockerd >/dev/null 2>&1 || need_apt+=(docker.io)
command -v busybox >/dev/null 2>&1 && busybox --help 2>&1 | head -1 | grep -q . || need_apt+=(busybox-static)
[ -x /bin/busybox ] && ldd /bin/busybox 2>&1 | grep -q 'not a dynamic' || need_apt+=(busybox-static)
command -v docker-registry >/dev/null 2>&1 || need_apt+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || need_apt+=(apache2-utils)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing ${need_apt[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${need_apt[@]}" | sort -u) >/dev/null
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
  say "starting dockerd in the background (log: /var/log/berth-dockerd.log)"
  nohup dockerd >/var/log/berth-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do engine_up && break; sleep 0.5; done
  engine_up || { echo "setup: dockerd did not answer within 30 s; see /var/log/berth-dockerd.log" >&2; exit 1; }
fi
say "engine $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"

./scripts/build-test-image.sh >&2
npm run --silent build >&2
