#!/bin/sh
# Records a schema v1 history with the binaries of an etlhist release that writes v1:
#   sh tests/data/v1/record.sh BUILD OUT.db DAYS
# BUILD holds etlhist-collect and fakeco of that release (history.db was made with the
# build of commit cfcc4f1 and DAYS = 2). The collector polls tests/data/v1/v1.scn (the demo
# installation plus an ETL with undocumented exit codes) every 5 simulated minutes from
# Monday 2026-11-16, each pass at its own instant (libfaketime); the file is then vacuumed.
set -eu
B=$(cd "$1" && pwd)
out=$2
days=$3
here=$(cd "$(dirname "$0")" && pwd)
w=$(mktemp -d)
FAKETIME_LIB=${FAKETIME_LIB:-/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1}
start=1794787200
end=$((start + days * 86400))
echo "$start" >"$w/clock"
"$B/fakeco" --scenario "$here/v1.scn" --port-file "$w/port" --clock-file "$w/clock" \
    >/dev/null 2>"$w/fakeco.log" &
fakeco=$!
trap 'kill $fakeco 2>/dev/null; rm -rf "$w"' EXIT INT TERM
i=0
while [ ! -s "$w/port" ]; do
    i=$((i + 1))
    [ $i -gt 100 ] && { echo "record: fake CO server did not start" >&2; exit 1; }
    sleep 0.05
done
printf 'demo-token-not-secret\n' >"$w/token"
chmod 600 "$w/token"
cat >"$w/etlhist.conf" <<EOC
[collect]
db = $w/history.db
interval = 300

[instance demo]
url = http://127.0.0.1:$(cat "$w/port")
token_file = $w/token
etls = all
EOC
t=$((start + 30))
while [ $t -lt $end ]; do
    echo "$t" >"$w/clock"
    rc=0
    LD_PRELOAD="$FAKETIME_LIB" FAKETIME_FMT=%s FAKETIME="@$t" FAKETIME_DONT_FAKE_MONOTONIC=1 \
        "$B/etlhist-collect" -q -c "$w/etlhist.conf" 2>>"$w/collect.log" || rc=$?
    [ $rc -le 1 ] || { tail -n 3 "$w/collect.log" >&2; exit 1; }
    t=$((t + 300))
done
sqlite3 "$w/history.db" "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE; VACUUM;" >/dev/null
cp "$w/history.db" "$out"
