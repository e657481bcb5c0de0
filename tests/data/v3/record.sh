#!/bin/sh
# Records a schema v3 history with the binaries of an etlhist release that writes v3:
#   sh tests/data/v3/record.sh BUILD OUT.db [HOURS]
# BUILD holds etlhist-collect and fakeco of that release (history.db was made with the build
# of commit bb49156 and HOURS = 6). Two instances of one fake server (tests/data/v3/v3.scn,
# server clock 40 s behind) are polled with interval = 300, one pass 30 s past every 5
# simulated minutes from Monday 2026-11-16 00:00 UTC, each pass at its own instant
# (libfaketime): "demo" with etls = all, "listed" with a configured list that names an ETL
# deleted mid-way (701), one that is not found for half an hour (702) and one that never
# existed (999). The file is then vacuumed.
set -eu
B=$(cd "$1" && pwd)
out=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
hours=${3:-6}
here=$(cd "$(dirname "$0")" && pwd)
w=$(mktemp -d)
export TZ=UTC LC_ALL=C
FAKETIME_LIB=${FAKETIME_LIB:-/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1}
start=1794787200 # 2026-11-16T00:00:00Z
end=$((start + hours * 3600))
echo "$start" >"$w/clock"
"$B/fakeco" --scenario "$here/v3.scn" --port-file "$w/port" --clock-file "$w/clock" \
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
url=http://127.0.0.1:$(cat "$w/port")
cat >"$w/etlhist.conf" <<EOC
[collect]
db = $w/history.db
interval = 300

[instance demo]
url = $url
token_file = $w/token
etls = all

[instance listed]
url = $url
token_file = $w/token
etls = 101, 201-202, 701-702, 999
EOC
t=$((start + 30))
n=0
while [ $t -lt $end ]; do
    echo "$t" >"$w/clock"
    rc=0
    LD_PRELOAD="$FAKETIME_LIB" FAKETIME_FMT=%s FAKETIME="@$t" FAKETIME_DONT_FAKE_MONOTONIC=1 \
        "$B/etlhist-collect" -q -c "$w/etlhist.conf" 2>>"$w/collect.log" || rc=$?
    # 1: some ETLs failed (999 always does); 3: the ETL list failed for "demo".
    [ $rc -le 1 ] || [ $rc -eq 3 ] || { tail -n 3 "$w/collect.log" >&2; exit 1; }
    t=$((t + 300))
    n=$((n + 1))
done
sqlite3 "$w/history.db" "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE; VACUUM;" >/dev/null
cp "$w/history.db" "$out"
echo "record: $n passes per instance" >&2
