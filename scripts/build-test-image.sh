#!/usr/bin/env bash
# Builds the local base image every example and test uses: FROM scratch plus the static
# busybox from Debian's busybox-static. Its name starts with `localhost/`, so a missing image
# can only ever be looked for on this machine, never on a public registry.
set -euo pipefail
IMAGE=${BERTH_TEST_IMAGE:-localhost/berth-busybox:1}
if docker image inspect "$IMAGE" >/dev/null 2>&1; then exit 0; fi
BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] || { echo "no $BUSYBOX: apt-get install -y busybox-static" >&2; exit 1; }
# A dynamically linked busybox cannot run in a FROM scratch image.
if ldd "$BUSYBOX" >/dev/null 2>&1; then
  echo "$BUSYBOX is dynamically linked: apt-get install -y busybox-static" >&2; exit 1
fi
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
cp "$BUSYBOX" "$ctx/busybox"
cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN ["/bin/mkdir", "-p", "/tmp", "/www", "/etc", "/root"]
RUN ["/bin/sh", "-c", "echo 'root:x:0:0:root:/root:/bin/sh' > /etc/passwd && echo 'root:x:0:' > /etc/group && echo 'nobody:x:65534:65534:nobody:/:/bin/false' >> /etc/passwd && echo 'nogroup:x:65534:' >> /etc/group"]
ENV PATH=/bin
CMD ["/bin/sh"]
DOCKERFILE
docker build -q -t "$IMAGE" "$ctx" >/dev/null
echo "built $IMAGE"
