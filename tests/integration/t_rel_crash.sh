# Crash safety: the collector is killed with SIGKILL at pseudo-random moments (fixed seed)
# over many passes: while it logs in, while slow ETLs hold the network phase open, while it
# writes the pass, after it committed. Afterwards the database passes integrity_check, every
# pass is wholly present or wholly absent, the collector carries on, and --rebuild-runs
# derives exactly the runs that were maintained incrementally.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/rel.sh"
BASE=1795392000
N=400          # ETLs
# CI makes REL_CRASH_KILLS tries (default 40; about 30 kill). CRASH_KILLS=N instead goes
# on until N kills have landed (at most 3N tries), for a longer run by hand.
if [ -n "${CRASH_KILLS:-}" ]; then
    WANT_KILLS=$CRASH_KILLS
    KILLS=$((CRASH_KILLS * 3))
else
    WANT_KILLS=0
    KILLS=${REL_CRASH_KILLS:-40}
fi
{
    echo "token tok-crash"
    i=1
    while [ $i -le $N ]; do
        case $((i % 40)) in
        0) echo "etl $i period=600 offset=$((i * 7)) duration=240 outcomes=OK,ERROR fault=slow delay_ms=100" ;;
        1 | 21) echo "etl $i service period=1800 on=900 offset=$((i * 11))" ;;
        2 | 22) echo "etl $i period=900 duration=60 outcomes=OK fault=500 fault_from=$((BASE + 3000)) fault_until=$((BASE + 6000))" ;;
        *) echo "etl $i name=\"E $i\" period=$((600 + i % 7 * 300)) offset=$((i * 13)) duration=$((100 + i % 5 * 100)) outcomes=OK,WARNING,ERROR,ABORTED" ;;
        esac
        i=$((i + 1))
    done
} >"$T/scn"
start_fakeco "$T/scn"
secret_file "$T/token" tok-crash
DB=$T/h.db
printf '[collect]\ndb = %s\ninterval = 300\n[instance prod]\nurl = %s\ntoken_file = %s\netls = all\n' \
    "$DB" "$URL" "$T/token" >"$T/conf"

# Two whole passes first: the second one's duration sets the range the kills are spread over.
collect_at $((BASE + 300)) -c "$T/conf"
[ "$RC" -le 1 ] || fail "first pass: exit $RC: $(cat "$T/collect.err")"
t0=$(now_ms)
collect_at $((BASE + 600)) -c "$T/conf"
D=$(($(now_ms) - t0))
[ "$RC" -le 1 ] || fail "second pass: exit $RC: $(cat "$T/collect.err")"

SEED=20261123
rand() { # rand N: R = pseudo-random in [0, N)
    SEED=$(((SEED * 1103515245 + 12345) % 2147483648))
    R=$(((SEED / 65536) % $1))
}
# in_write PID: true while PID holds SQLite's WAL write lock (byte 120 of the -shm file),
# i.e. while it is inside the transaction that stores a pass.
in_write() {
    grep -Eq "POSIX +ADVISORY +WRITE +$1 [^ ]+ 120 120\$" /proc/locks 2>/dev/null
}
completed=0 killed=0 stored_after_kill=0 mid_write=0
k=1
while [ $k -le $KILLS ] && { [ $WANT_KILLS -eq 0 ] || [ $killed -lt $WANT_KILLS ]; }; do
    t=$((BASE + 600 + k * 300))
    echo "$t" >"$T/clock"
    # One try in three anywhere in the pass, one in its last third (where it writes), one
    # the moment it is seen inside the write transaction.
    case $((k % 3)) in
    0) rand $((D * 12 / 10 + 1)) ;;
    1) rand $((D * 4 / 10 + 1)) && R=$((R + D * 7 / 10)) ;;
    2) R=-1 ;;
    esac
    before=$(sql "SELECT count(*) FROM pass")
    LD_PRELOAD="$FAKETIME_LIB" FAKETIME_FMT=%s FAKETIME="@$t" FAKETIME_DONT_FAKE_MONOTONIC=1 \
        "$B/etlhist-collect" -c "$T/conf" -q >>"$T/collect.out" 2>>"$T/collect.err" &
    pid=$!
    if [ $R -ge 0 ]; then
        sleep "$(printf '%d.%03d' $((R / 1000)) $((R % 1000)))"
    else
        while kill -0 $pid 2>/dev/null && ! in_write $pid; do :; done
    fi
    if in_write $pid; then
        mid_write=$((mid_write + 1))
    fi
    kill -KILL $pid 2>/dev/null || true
    set +e
    wait $pid 2>/dev/null
    rc=$?
    set -e
    after=$(sql "SELECT count(*) FROM pass")
    if [ $rc -eq 137 ]; then
        killed=$((killed + 1))
        [ "$after" -eq "$before" ] || stored_after_kill=$((stored_after_kill + 1))
    else
        [ $rc -le 1 ] || fail "pass $k exited $rc: $(tail -3 "$T/collect.err")"
        completed=$((completed + 1))
        expect_eq "pass $k finished and is stored" "$after" $((before + 1))
    fi
    k=$((k + 1))
done
tries=$((k - 1))
echo "pass ${D} ms; $tries tries: $completed finished, $killed killed" \
    "($mid_write inside the write transaction, $stored_after_kill after the commit)"
[ $killed -ge $((tries / 4)) ] || fail "too few kills landed ($killed): the timing is off"
[ $killed -ge $WANT_KILLS ] || fail "$killed kills landed in $tries tries, not $WANT_KILLS"
[ $mid_write -ge 1 ] || fail "no kill landed inside a write transaction"

# The collector carries on after all that.
collect_at $((BASE + 600 + k * 300)) -c "$T/conf" -q
[ "$RC" -le 1 ] || fail "pass after the kills: exit $RC: $(tail -3 "$T/collect.err")"

expect_eq "integrity" "$(sql "PRAGMA integrity_check")" ok
expect_eq "foreign keys" "$(sql "PRAGMA foreign_key_check")" ""
expect_eq "passes count their ETLs" "$(sql "SELECT count(*) FROM pass WHERE polled <> ok + errors OR polled <> $N OR error IS NOT NULL")" 0
expect_eq "samples sit on stored passes" "$(sql "SELECT count(*) FROM sample s JOIN etl e ON e.id = s.etl_ref WHERE NOT EXISTS (SELECT 1 FROM pass p WHERE p.instance_id = e.instance_id AND p.started = s.first_seen) OR NOT EXISTS (SELECT 1 FROM pass p WHERE p.instance_id = e.instance_id AND p.started = s.first_seen + s.span_s)")" 0
# Each stored pass left exactly one poll on every ETL: no pass is half there.
passes=$(sql "SELECT count(*) FROM pass")
expect_eq "every ETL polled once per stored pass" "$(sql "SELECT count(*) FROM etl e WHERE (SELECT sum(polls) FROM sample WHERE etl_ref = e.id) <> $passes")" 0
expect_eq "every stored pass covers every ETL" "$(sql "SELECT count(*) FROM pass p WHERE (SELECT count(*) FROM sample s WHERE s.first_seen <= p.started AND s.first_seen + s.span_s >= p.started) <> $N")" 0
expect_eq "ETL list" "$(sql "SELECT count(*) || ' ' || max(last_seen) FROM etl")" "$N $(sql "SELECT max(started) FROM pass")"

cols="*"
sql "SELECT $cols FROM run ORDER BY etl_ref, start_ts, seq" >"$T/runs.before"
[ -s "$T/runs.before" ] || fail "no runs derived"
"$B/etlhist-collect" -c "$T/conf" --rebuild-runs -q || fail "--rebuild-runs failed"
sql "SELECT $cols FROM run ORDER BY etl_ref, start_ts, seq" >"$T/runs.after"
diff -u "$T/runs.before" "$T/runs.after" >&2 || fail "rebuilt runs differ from the incremental ones"
echo "crash safety ok"
