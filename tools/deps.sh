#!/bin/sh
# Installs the Debian packages etlhist needs; does nothing when they are all present.
# deps.sh build: to build and run the demo; deps.sh check: also what the tests drive;
# deps.sh fuzz: clang and libFuzzer for make fuzz; deps.sh bench: what make bench drives;
# deps.sh format: clang-format for make format-check.
# MAIL=0 in the environment (make MAIL=0 passes it on) leaves out the mail backend's packages.
# Without root it prints the exact apt-get line and fails.
set -eu
build="gcc make pkg-config libcurl4-openssl-dev libjson-c-dev libsqlite3-dev libcsv-dev \
libinih-dev libmicrohttpd-dev sqlite3 faketime ca-certificates"
[ "${MAIL:-1}" = 0 ] || build="$build libgmime-3.0-dev librsvg2-dev libcairo2-dev"
# The UI tests: a browser, a spreadsheet (a word "a|b" is met by either package; the first is
# installed when neither is), fonts for screenshots, python3 to read what they wrote, and
# script(1) for a terminal; Nagios 4 runs etlhist-report check (t_ui_nagios.sh); systemd's
# systemd-analyze verifies the example units (t_docs_examples.sh).
check="check curl jq prometheus nagios4-core chromium libreoffice-calc-nogui|libreoffice-calc \
fonts-dejavu-core python3 bsdutils groff-base systemd"
fuzz="clang-14 libclang-rt-14-dev"
case "${1:-check}" in
build) pkgs=$build ;;
check) pkgs="$build $check" ;;
fuzz) pkgs="$build $fuzz" ;;
format) pkgs="clang-format" ;;
bench) pkgs="$build curl jq time nghttp2-client" ;;
*) echo "usage: deps.sh build|check|fuzz|bench|format" >&2 && exit 2 ;;
esac
installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}
missing=""
for word in $pkgs; do
    found=""
    for p in $(echo "$word" | tr '|' ' '); do
        installed "$p" && found=$p && break
    done
    [ -n "$found" ] || missing="$missing ${word%%|*}"
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
