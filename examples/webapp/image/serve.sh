#!/bin/sh
# Serves /www (the read-only bind mount) on port 8080; exits promptly on SIGTERM.
trap 'exit 0' TERM
httpd -f -p 8080 -h /www &
wait
