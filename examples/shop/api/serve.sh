#!/bin/sh
# The API: busybox httpd on port 8080 with one CGI endpoint; exits promptly on SIGTERM.
trap 'exit 0' TERM
httpd -f -p 8080 -h /srv &
wait
