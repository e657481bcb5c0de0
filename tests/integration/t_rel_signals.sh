# Signals during a pass: SIGTERM, SIGINT or SIGHUP while an ETL (or the ETL list) hangs ends
# the collector within about a second, not at the pass deadline. The pass cut short is not
# stored at all (no pass, sample or run row of it); the database stays whole. A single run
# exits 128+signal; a --loop stopped by SIGTERM exits 0.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/rel.sh"
BASE=1795392000
cat >"$T/scn" <<EOS
token tok-sig
etl 1 name="One" period=3600 duration=60 outcomes=OK
etl 2 name="Hang" period=3600 duration=60 outcomes=OK fault=hang fault_from=$((BASE + 300))
list_fault hang fault_from=$((BASE + 5000))
EOS
start_fakeco "$T/scn"
secret_file "$T/token" tok-sig
DB=$T/h.db
printf '[collect]\ndb = %s\ninterval = 300\ntimeout = 60\n[instance prod]\nurl = %s\ntoken_file = %s\netls = 1, 2\n[instance all]\nurl = %s\ntoken_file = %s\netls = all\n' \
    "$DB" "$URL" "$T/token" "$URL" "$T/token" >"$T/conf"
collect_at $((BASE + 60)) -c "$T/conf"
expect_eq "first pass" "$RC" 0
dump() {
    sqlite3 "$DB" ".dump pass" ".dump sample" ".dump run" ".dump etl" | md5sum
}
before=$(dump)

# stop_after EPOCH SIGNAL ARGS...: starts a collector at EPOCH, sends SIGNAL after 1 s;
# leaves its exit code in RC and the milliseconds from the signal to its end in TOOK.
stop_after() {
    t=$1 sig=$2
    shift 2
    echo "$t" >"$T/clock"
    LD_PRELOAD="$FAKETIME_LIB" FAKETIME_FMT=%s FAKETIME="@$t" FAKETIME_DONT_FAKE_MONOTONIC=1 \
        "$B/etlhist-collect" "$@" >>"$T/collect.out" 2>>"$T/collect.err" &
    pid=$!
    track $pid
    sleep 1
    kill -0 $pid 2>/dev/null || fail "the collector ended before the signal: $(cat "$T/collect.err")"
    t0=$(now_ms)
    kill -"$sig" $pid
    n=0
    while kill -0 $pid 2>/dev/null && [ $n -lt 100 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    TOOK=$(($(now_ms) - t0))
    kill -KILL $pid 2>/dev/null || true
    set +e
    wait $pid
    RC=$?
    set -e
}

stop_after $((BASE + 600)) TERM -c "$T/conf" --instance prod
expect_eq "SIGTERM during a pass: exit 128+15" "$RC" 143
[ "$TOOK" -lt 3000 ] || fail "SIGTERM took ${TOOK} ms to stop a hanging pass"
expect_eq "nothing of the cut pass stored" "$(dump)" "$before"
grep -q "interrupted" "$T/collect.err" || fail "no word of the interruption: $(cat "$T/collect.err")"

stop_after $((BASE + 900)) INT -c "$T/conf" --instance prod
expect_eq "SIGINT: exit 130" "$RC" 130
[ "$TOOK" -lt 3000 ] || fail "SIGINT took ${TOOK} ms"
stop_after $((BASE + 1200)) HUP -c "$T/conf" --instance prod
expect_eq "SIGHUP: exit 129" "$RC" 129
[ "$TOOK" -lt 3000 ] || fail "SIGHUP took ${TOOK} ms"
expect_eq "still nothing of the cut passes" "$(dump)" "$before"

stop_after $((BASE + 1500)) TERM -c "$T/conf" --instance prod --loop 300
expect_eq "--loop stopped by SIGTERM mid-pass: exit 0" "$RC" 0
[ "$TOOK" -lt 3000 ] || fail "--loop took ${TOOK} ms to stop"
expect_eq "a loop's cut pass is not stored either" "$(dump)" "$before"

# A hanging ETL list (a blocking request, not the concurrent polls).
stop_after $((BASE + 5100)) TERM -c "$T/conf" --instance all
expect_eq "SIGTERM during discovery: exit 143" "$RC" 143
[ "$TOOK" -lt 3000 ] || fail "SIGTERM took ${TOOK} ms to stop a hanging ETL list"
expect_eq "nothing stored for the cut discovery" "$(dump)" "$before"
expect_eq "integrity" "$(sql "PRAGMA integrity_check")" ok
echo "signals ok"
