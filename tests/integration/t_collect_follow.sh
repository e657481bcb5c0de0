# Follow (adaptive polling) in real time: the fake server runs without a clock file and the
# collector without libfaketime, so both see the wall clock move; the scenario's runs are
# placed relative to the moment the test starts.
# - a run that ends about 20 s into the follow window gets duration bounds no wider than
#   follow_interval plus the poll's own second, and they hold its true duration;
# - an idle (WAITING) ETL is polled once per pass, never followed;
# - the collector exits as soon as nothing is left to follow, well before `follow` is up;
# - follow rounds are counted on their pass (no row of their own), their polls match the
#   samples' polls and the server's request count, each sample knows when its first poll
#   had answered; --rebuild-runs derives the same runs from the samples;
# - a second collector started during follow exits 4 (the lock is held throughout);
# - two instances are followed together, one with Helix access keys whose JWT the server
#   revokes mid-follow: the round renews it and asks again (no error sample);
# - a WAITING batch ETL whose learnt schedule expects a start inside the window is polled
#   from then on, so a run that begins after the pass and ends before the next one is
#   seen, with narrow bounds, instead of being missed;
# - SIGTERM during follow ends the collector within about a second, exit 143, with the
#   database whole (integrity ok, the cut round absent).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/rel.sh"

# Real time: no clock file, no faketime.
start_fakeco_realtime() {
    rm -f "$T/port"
    "$B/fakeco" --scenario "$1" --port-file "$T/port" >"$T/fakeco.out" 2>"$T/fakeco.err" &
    FAKECO_PID=$!
    wait_until 5 test -s "$T/port"
    PORT=$(cat "$T/port")
    URL="http://127.0.0.1:$PORT"
}
stats() {
    curl -s "$URL/_ctl/stats" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"
}

# The server's clock is 40 s ahead (run times below are its own): a follow round's samples
# take their pass's skew, and --rebuild-runs must find the same.
NOW=$(($(date +%s) + 40))
# ETL 1 started 100 s ago and ends 22 s from now: inside the follow window.
# ETL 2 is idle (WAITING) throughout. ETL 3 runs for a day (used by the lock and signal cases).
cat >"$T/scn" <<EOS
token tok-follow
skew 40
etl 1 name="Ends soon" period=86400 offset=$((NOW - 100)) duration=122 outcomes=OK
etl 2 name="Idle" period=86400 offset=$((NOW - 5000)) duration=60 outcomes=OK
etl 3 name="Long" period=86400 offset=$((NOW - 100)) duration=86400 outcomes=OK
EOS
start_fakeco_realtime "$T/scn"
secret_file "$T/token" tok-follow
DB=$T/h.db
conf() {
    printf '[collect]\ndb = %s\ninterval = 300\ntimeout = 5\nfollow = 90\nfollow_interval = 5\n' "$DB"
    printf '[instance prod]\nurl = %s\ntoken_file = %s\netls = %s\n' "$URL" "$T/token" "$1"
}
conf "1, 2" >"$T/conf12"
conf "3" >"$T/conf3"

"$B/etlhist-collect" -c "$T/conf12" --print-config | grep -q "^follow = 90$" ||
    fail "print-config does not show follow = 90"

t0=$(now_ms)
set +e
"$B/etlhist-collect" -c "$T/conf12" -v >"$T/collect.out" 2>"$T/collect.err"
RC=$?
set -e
took=$(($(now_ms) - t0))
expect_eq "follow run exit" "$RC" 0
# The run ends ~22 s in; follow is 90 s: the collector stops one round after the end.
[ "$took" -ge 20000 ] || fail "collector ended after ${took} ms, before the run ended"
[ "$took" -lt 40000 ] || fail "collector took ${took} ms: it did not stop when nothing was left to follow"

run=$(sql "SELECT (SELECT text FROM code WHERE id = r.outcome), r.dur_lo_s, r.dur_hi_s FROM run r JOIN etl e ON e.id = r.etl_ref WHERE e.etl_id = 1")
outcome=${run%%|*}
lo=$(echo "$run" | cut -d'|' -f2)
hi=$(echo "$run" | cut -d'|' -f3)
expect_eq "followed run's outcome" "$outcome" OK
[ -n "$lo" ] && [ -n "$hi" ] || fail "followed run has no duration bounds: $run"
[ $((hi - lo)) -le 7 ] || fail "bounds $lo..$hi wider than follow_interval (5 s) + 2 s"
[ "$lo" -le 123 ] && [ "$hi" -ge 121 ] || fail "bounds $lo..$hi miss the true duration 122 s"

expect_eq "one pass row, follow rounds counted on it" "$(sql "SELECT count(*) FROM pass")" 1
rounds=$(sql "SELECT follow_rounds FROM pass")
[ "$rounds" -ge 3 ] || fail "expected at least 3 follow rounds, got $rounds"
expect_eq "follow rounds poll only the running ETL" "$(sql "SELECT follow_polled FROM pass")" "$rounds"
expect_eq "a follow round's answers came within its own time" \
    "$(sql "SELECT count(*) FROM sample WHERE first_by_s NOT BETWEEN 0 AND 6")" 0
expect_eq "idle ETL polled once" \
    "$(sql "SELECT sum(s.polls) FROM sample s JOIN etl e ON e.id = s.etl_ref WHERE e.etl_id = 2")" 1
expect_eq "server saw one request per recorded poll" "$(stats status_requests)" \
    "$(sql "SELECT sum(polled + follow_polled) FROM pass")"
expect_eq "every poll is in a sample" "$(sql "SELECT sum(polls) FROM sample")" \
    "$(sql "SELECT sum(polled + follow_polled) FROM pass")"
grep -q "follow round" "$T/collect.err" || fail "-v says nothing about follow rounds"

runs_before=$(sql "SELECT * FROM run ORDER BY etl_ref, start_ts, seq")
"$B/etlhist-collect" --db "$DB" --rebuild-runs -q
expect_eq "rebuild-runs gives the same runs" "$(sql "SELECT * FROM run ORDER BY etl_ref, start_ts, seq")" "$runs_before"

# A long run keeps the collector following: a second collector meets the lock.
T3=$(date +%s)
"$B/etlhist-collect" -c "$T/conf3" >>"$T/collect.out" 2>>"$T/collect.err" &
pid=$!
track $pid
rounds_since_t3() {
    [ "$(sql "SELECT coalesce(sum(follow_rounds), 0) FROM pass WHERE started >= $T3")" -ge 2 ]
}
wait_until 20 rounds_since_t3
set +e
"$B/etlhist-collect" -c "$T/conf3" >"$T/second.out" 2>"$T/second.err"
RC=$?
set -e
expect_eq "a second collector during follow" "$RC" 4
kill -0 $pid 2>/dev/null || fail "the following collector ended early: $(cat "$T/collect.err")"

# SIGTERM in the middle of the follow window (between or during rounds).
sleep 2
t0=$(now_ms)
kill -TERM $pid
n=0
while kill -0 $pid 2>/dev/null && [ $n -lt 50 ]; do
    sleep 0.1
    n=$((n + 1))
done
took=$(($(now_ms) - t0))
set +e
wait $pid
RC=$?
set -e
expect_eq "SIGTERM during follow" "$RC" 143
[ "$took" -le 2000 ] || fail "SIGTERM during follow took ${took} ms"
expect_eq "integrity" "$(sql "PRAGMA integrity_check")" ok
expect_eq "no partial round: polls stored = polls recorded" "$(sql "SELECT sum(polls) FROM sample")" \
    "$(sql "SELECT sum(polled + follow_polled) FROM pass")"
expect_eq "no partial round: every pass row is whole" \
    "$(sql "SELECT count(*) FROM pass WHERE ok + errors <> polled OR follow_errors > follow_polled")" 0
in_window() { echo "EXISTS (SELECT 1 FROM pass p WHERE $1 BETWEEN p.started AND p.started + 90)"; }
expect_eq "every sample's first and last poll lie in a pass's follow window" \
    "$(sql "SELECT count(*) FROM sample s WHERE NOT $(in_window s.first_seen) OR NOT $(in_window "s.first_seen + s.span_s")")" 0
expect_eq "the long run is still RUNNING" \
    "$(sql "SELECT (SELECT text FROM code WHERE id = r.outcome) FROM run r JOIN etl e ON e.id = r.etl_ref WHERE e.etl_id = 3")" RUNNING

# Two instances in one event loop: the second is a Helix SaaS tenant (access keys).
kill "$FAKECO_PID"
wait "$FAKECO_PID" 2>/dev/null || true
NOW=$(date +%s)
cat >"$T/scn_a" <<EOS
token tok-follow
etl 1 name="A ends" period=86400 offset=$((NOW - 50)) duration=62 outcomes=OK
EOS
cat >"$T/scn_b" <<EOS
keys tenant_id=acme access_key=AK1 access_secret_key=SK1
etl 7 name="B ends" period=86400 offset=$((NOW - 50)) duration=64 outcomes=WARNING
EOS
start_fakeco_realtime "$T/scn_b"
URL_B=$URL
PID_B=$FAKECO_PID
track $PID_B
start_fakeco_realtime "$T/scn_a"
printf 'tenant_id=acme\naccess_key=AK1\naccess_secret_key=SK1\n' >"$T/keys"
chmod 600 "$T/keys"
DB=$T/two.db
printf '[collect]\ndb = %s\ninterval = 300\ntimeout = 5\nfollow = 60\nfollow_interval = 5\n' "$DB" >"$T/conf2"
printf '[instance a]\nurl = %s\ntoken_file = %s\netls = 1\n' "$URL" "$T/token" >>"$T/conf2"
printf '[instance b]\nurl = %s\nportal_url = %s\naccess_key_file = %s\netls = 7\n' "$URL_B" "$URL_B" "$T/keys" >>"$T/conf2"
"$B/etlhist-collect" -c "$T/conf2" >"$T/two.out" 2>"$T/two.err" &
pid=$!
track $pid
sleep 6
curl -s -X POST "$URL_B/_ctl/expire" >/dev/null
set +e
wait $pid
RC=$?
set -e
expect_eq "two instances followed: exit" "$RC" 0
for inst in a b; do
    r=$(sql "SELECT r.dur_lo_s, r.dur_hi_s FROM run r JOIN etl e ON e.id = r.etl_ref JOIN instance i ON i.id = e.instance_id WHERE i.name = '$inst'")
    lo=${r%%|*} hi=${r##*|}
    [ -n "$lo" ] && [ -n "$hi" ] && [ $((hi - lo)) -le 7 ] || fail "instance $inst: bounds [$r] not narrowed by follow"
    [ "$(sql "SELECT sum(p.follow_rounds) FROM pass p JOIN instance i ON i.id = p.instance_id WHERE i.name = '$inst'")" -ge 2 ] ||
        fail "instance $inst: no follow rounds"
done
expect_eq "the revoked JWT was renewed within the round" \
    "$(sql "SELECT count(*) FROM sample WHERE error IS NOT NULL")" 0
[ "$(curl -s "$URL_B/_ctl/stats" | sed -n 's/.*"unauthorized":\([0-9]*\).*/\1/p')" -ge 1 ] ||
    fail "the server never refused the revoked JWT: the case tested nothing"

# A batch ETL every 60 s, next start 15 s from now, 8 s long: without following it from its
# expected start, no pass would ever see this run.
kill "$FAKECO_PID"
wait "$FAKECO_PID" 2>/dev/null || true
NOW=$(date +%s)
NEXT=$((NOW + 15))
cat >"$T/scn_s" <<EOS
token tok-follow
etl 9 name="Every minute" period=60 offset=$((NEXT - 600)) duration=8 outcomes=OK
EOS
start_fakeco_realtime "$T/scn_s"
DB=$T/sched.db
printf '[collect]\ndb = %s\ninterval = 300\ntimeout = 5\nfollow = 60\nfollow_interval = 5\n' "$DB" >"$T/confs"
printf '[instance s]\nurl = %s\ntoken_file = %s\netls = 9\n' "$URL" "$T/token" >>"$T/confs"
"$B/etlhist-collect" -c "$T/confs" --follow 0
# Its history: the runs before the one just seen, on the same schedule.
for k in 1 2 3 4 5 6; do
    sql "INSERT INTO run (etl_ref, start_ts, outcome) SELECT id, $((NEXT - 60 - 60 * k)), 0 FROM etl"
done
expect_eq "the ETL waits" "$(sql "SELECT status FROM v_sample ORDER BY first_seen_utc DESC LIMIT 1")" WAITING
"$B/etlhist-collect" -c "$T/confs" -v 2>"$T/sched.err" || fail "scheduled follow: $(cat "$T/sched.err")"
r=$(sql "SELECT (SELECT text FROM code WHERE id = outcome), dur_lo_s, dur_hi_s FROM run WHERE start_ts = $NEXT")
[ -n "$r" ] || fail "the run expected at $NEXT was not seen: $(cat "$T/sched.err")"
lo=$(echo "$r" | cut -d'|' -f2) hi=$(echo "$r" | cut -d'|' -f3)
expect_eq "scheduled run's outcome" "${r%%|*}" OK
[ -n "$lo" ] && [ $((hi - lo)) -le 7 ] && [ "$lo" -le 9 ] && [ "$hi" -ge 7 ] ||
    fail "scheduled run's bounds [$r] are not within follow_interval around 8 s"
echo "follow ok"
