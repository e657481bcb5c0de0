# The history behind the golden report files: tests/golden/golden.scn served by the fake CO
# server and polled by the real collector every 300 s for one day from BASE + 30
# (2026-11-23T00:00:30Z). Used by tests/integration/t_report_golden.sh and the UI tests.
# Source it after lib.sh. record_golden_db sets DB (a private copy in $T) and W (the report
# options of that day). The recording takes a few seconds, so the tests share one copy
# kept under $B/tests/ui-cache, named by a checksum of everything that makes it: a new
# collector, fake server or scenario records afresh.
G=${G:-$(cd "$(dirname "$0")/../golden" && pwd)}
BASE=1795392000
W_SINCE=2026-11-23T00:00:00Z
W_UNTIL=2026-11-24T00:00:00Z

record_golden_db_now() {
    start_fakeco "$G/golden.scn"
    secret_file "$T/token" golden-token
    printf '[collect]\ndb = %s\ninterval = 300\n[instance golden]\nurl = %s\ntoken_file = %s\netls = 10, 20, 30, 40, 50, 60, 70, 80\n' \
        "$1" "$URL" "$T/token" >"$T/conf"
    i=0
    while [ $i -lt 288 ]; do
        collect_at $((BASE + 30 + i * 300)) -c "$T/conf" -q
        [ "$RC" -le 1 ] || fail "collector pass $i exited $RC: $(tail -n 1 "$T/collect.err")"
        i=$((i + 1))
    done
    kill "$FAKECO_PID" 2>/dev/null && wait "$FAKECO_PID" 2>/dev/null
    FAKECO_PID=
}

record_golden_db() {
    key=$(cat "$B/etlhist-collect" "$B/fakeco" "$G/golden.scn" | cksum | tr ' ' -)
    cache="$B/tests/ui-cache/golden-$key.db"
    DB=$T/h.db
    if [ ! -s "$cache" ]; then
        mkdir -p "$B/tests/ui-cache"
        rm -f "$B/tests/ui-cache"/golden-*.db
        record_golden_db_now "$T/rec.db"
        sqlite3 "$T/rec.db" "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;" >/dev/null
        cp "$T/rec.db" "$cache.tmp$$" && mv "$cache.tmp$$" "$cache"
    fi
    cp "$cache" "$DB"
    W="--db $DB --since $W_SINCE --until $W_UNTIL --tz UTC"
}
