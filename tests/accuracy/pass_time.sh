#!/bin/sh
# sh tests/accuracy/pass_time.sh BUILD: a case the accuracy simulation cannot show, because
# fakeco's clock stands still during a pass there. Here the server's clock moves on while one
# pass waits 20 s for a slow ETL (concurrency 1), so the next ETL is asked 20 s after the
# pass started: its run began 2 s after the pass started and ended 15 s later, yet every
# observation carries the pass's start time. Exit 0 when etlhist's [lo, hi] holds the true
# 15 s, 1 when it does not (see docs/dev/accuracy.md, "Where the derivation is wrong").
set -eu
ACC_TOP=$(cd "$(dirname "$0")/../.." && pwd)
export TZ=UTC LC_ALL=C
. "$ACC_TOP/tests/integration/lib.sh"
T0=1795392000 # the pass under test starts here; server and collector clocks agree
cat >"$T/scn" <<EOS
token tok
etl 1 name="Slow to answer" period=3600 offset=0 duration=60 fault=slow delay_ms=20000 fault_from=$((T0 - 10))
etl 2 name="Short run" period=3600 offset=$((T0 + 2 - 3600)) duration=600,15 outcomes=OK,ERROR
EOS
CLOCK=$((T0 - 300)) start_fakeco "$T/scn"
secret_file "$T/token" tok
DB=$T/h.db
printf '[collect]\ndb = %s\nconcurrency = 1\ntimeout = 30\n[instance demo]\nurl = %s\ntoken_file = %s\netls = 1-2\n' \
    "$DB" "$URL" "$T/token" >"$T/conf"
collect_at $((T0 - 300)) -c "$T/conf" -q
echo "$T0" >"$T/clock"
(for i in $(seq 1 25); do sleep 1; echo $((T0 + i)) >"$T/clock"; done) &
ticker=$!
LD_PRELOAD="$FAKETIME_LIB" FAKETIME_FMT=%s FAKETIME="@$T0" FAKETIME_DONT_FAKE_MONOTONIC=1 \
    "$B/etlhist-collect" -c "$T/conf" -q || true
wait $ticker
echo "pass: started +$(sql "SELECT started - $T0 FROM pass ORDER BY started DESC, seq DESC LIMIT 1") s," \
    "finished +$(sql "SELECT started + took_s - $T0 FROM pass ORDER BY started DESC, seq DESC LIMIT 1") s"
echo "true run of ETL 2: 2026-11-23 00:00:02 .. 00:00:17 (15 s) ERROR, polled at about +20 s"
"$B/etlhist-report" runs --db "$DB" --etl 2 --since 2026-11-23 --until 2026-11-24 --tz UTC -f csv
bounds=$(sql "SELECT dur_lo_s || ' ' || dur_hi_s FROM run r JOIN etl e ON e.id = r.etl_ref
              WHERE e.etl_id = 2 AND start_ts = $((T0 + 2))")
set -- $bounds
if [ "$1" -le 15 ] && [ "$2" -ge 15 ]; then
    echo "ok: 15 s lies in [$1, $2]"
else
    echo "wrong: the true 15 s lies outside etlhist's [$1, $2]"
    exit 1
fi
