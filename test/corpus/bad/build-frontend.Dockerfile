# escape=\
# syntax=docker/dockerfile:1.4
FROM localhost/berth-busybox:1
RUN --mount=type=tmpfs,target=/cache true
