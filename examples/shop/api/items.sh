#!/bin/sh
# GET /cgi-bin/items: the items the db serves on the private network, with this replica's
# name and the greeting from the mounted Config.
printf 'Content-Type: text/plain\r\n\r\n'
echo "api $(hostname) ($(cat /srv/release)): $(cat /etc/shop/api.conf)"
wget -q -O - http://db:5432/items.txt || echo 'db unreachable'
