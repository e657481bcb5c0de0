#!/bin/sh
# Installs the Debian packages etlhist needs to build, test and run its demo.
# Does nothing when they are all present; without root prints the apt-get line and fails.
set -eu
pkgs="gcc make pkg-config libcurl4-openssl-dev libjson-c-dev libsqlite3-dev libcsv-dev \
libinih-dev libmicrohttpd-dev check sqlite3 faketime curl jq ca-certificates prometheus"
[ -n "${ETLHIST_EXTRA_DEPS:-}" ] && pkgs="$pkgs $ETLHIST_EXTRA_DEPS"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "etlhist: missing packages:$missing" >&2
    echo "etlhist: run as root: apt-get update && apt-get install -y$missing" >&2
    exit 1
fi
echo "etlhist: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends $missing
