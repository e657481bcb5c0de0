# --prom-file: node_exporter textfile metrics, written atomically after each pass, accepted
# by promtool; label values escaped.
. "$(dirname "$0")/lib.sh"
BASE=1795392000
cat >"$T/scn" <<'EOS'
token tok
etl 321 name="Daily \"quoted\" import\\x" period=3600 offset=0 duration=600 outcomes=ERROR,ERROR,OK task=467
etl 53  name="vCenter Extractor Service" service period=7200 on=5400 offset=0
etl 500 name="Broken" period=3600 duration=60 outcomes=OK fault=500
EOS
start_fakeco "$T/scn"
secret_file "$T/token" tok
DB=$T/h.db
printf '[collect]\ndb = %s\n[instance prod]\nurl = %s\ntoken_file = %s\netls = all\n' \
    "$DB" "$URL" "$T/token" >"$T/conf"
for i in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14; do
    collect_at $((BASE + 7200 + 60 + i * 300)) -c "$T/conf" -q --prom-file "$T/etlhist.prom"
done
P=$T/etlhist.prom
[ -s "$P" ] || fail "no metrics file"
[ ! -e "$P.tmp" ] || fail "temporary file left behind"
promtool check metrics <"$P" || fail "promtool rejected the metrics"
grep -qx 'etlhist_etl_status{instance="prod",etl_id="321",name="Daily \\"quoted\\" import\\\\x",status="WAITING"} 1' "$P" ||
    fail "status metric: $(grep etl_status "$P")"
# Run k starts at k*3600 with outcomes[k mod 3]: BASE/3600 = 498720 ≡ 0, so the run at
# BASE+7200 is OK and the one at BASE+10800 (ended by the last pass at +11460) is ERROR.
grep -qx 'etlhist_etl_last_outcome{instance="prod",etl_id="321",outcome="ERROR"} 1' "$P" ||
    fail "last outcome: $(grep last_outcome "$P")"
grep -qx 'etlhist_etl_consecutive_failures{instance="prod",etl_id="321"} 1' "$P" ||
    fail "streak: $(grep consecutive "$P")"
grep -qx 'etlhist_etl_poll_error{instance="prod",etl_id="500"} 1' "$P" || fail "poll error"
grep -qx 'etlhist_pass_etls_polled{instance="prod"} 3' "$P" || fail "polled"
grep -qx 'etlhist_pass_errors{instance="prod"} 1' "$P" || fail "errors"
grep -qx "etlhist_etl_last_exec_timestamp_seconds{instance=\"prod\",etl_id=\"321\"} $((BASE + 10800))" "$P" ||
    fail "last exec: $(grep last_exec "$P")"
grep -qx 'etlhist_etl_deleted{instance="prod",etl_id="321"} 0' "$P" || fail "deleted 321"
grep -qx 'etlhist_instance_never_observed{instance="prod"} 0' "$P" || fail "never observed"
# max_gap: 3 polling intervals of 300 s (common/rules.c), what the stale alert compares with
grep -qx 'etlhist_instance_max_gap_seconds{instance="prod"} 900' "$P" ||
    fail "max gap: $(grep max_gap "$P")"
grep -qx 'etlhist_etl_overdue{instance="prod",etl_id="321"} 0' "$P" || fail "overdue 321"
grep -qx "etlhist_last_success_timestamp_seconds{instance=\"prod\"} $((BASE + 7200 + 60 + 14 * 300))" "$P" ||
    fail "last success: $(grep last_success "$P")"
kill "$FAKECO_PID" 2>/dev/null && wait "$FAKECO_PID" 2>/dev/null
FAKECO_PID=

# A run stuck RUNNING shows as overdue while it runs. ETL 700 starts every 900 s (BASE/900 ≡
# 0 mod 8): runs take 60 s but every eighth takes 840 s. Passes every 300 s from BASE+60 see
# the short runs ended at +60 (upper bounds of about 60 s; run 0's end is not bracketed), so
# the limit is max(1.5 x 60, 60 + 300) = 360 s; the pass at BASE+6960 sees run 7 (started at
# BASE+6300) still RUNNING 660 s after its start: overdue now.
cat >"$T/scn2" <<'EOS'
token tok
etl 700 name="Sometimes stuck" period=900 offset=0 duration=60,60,60,60,60,60,60,840 outcomes=OK task=1700
EOS
start_fakeco "$T/scn2"
DB=$T/h2.db
printf '[collect]\ndb = %s\n[instance prod]\nurl = %s\ntoken_file = %s\netls = 700\n' \
    "$DB" "$URL" "$T/token" >"$T/conf2"
i=0
while [ $i -le 23 ]; do
    collect_at $((BASE + 60 + i * 300)) -c "$T/conf2" -q --prom-file "$T/stuck.prom"
    [ $i -eq 21 ] && cp "$T/stuck.prom" "$T/before.prom" # run 7 RUNNING 60 s: not yet
    i=$((i + 1))
done
promtool check metrics <"$T/stuck.prom" || fail "promtool rejected the metrics"
grep -qx 'etlhist_etl_overdue{instance="prod",etl_id="700"} 0' "$T/before.prom" ||
    fail "overdue too early: $(grep overdue "$T/before.prom")"
grep -qx 'etlhist_etl_overdue{instance="prod",etl_id="700"} 1' "$T/stuck.prom" ||
    fail "overdue now: $(grep overdue "$T/stuck.prom")"
grep -q '^etlhist_etl_seconds_since_last_start{instance="prod",etl_id="700"} 66[0-9]$' "$T/stuck.prom" ||
    fail "seconds since the last start: $(grep since_last "$T/stuck.prom")"
# The start after run 7's (BASE+7200) is missed once grace (90 s, 10 % of 900) has passed.
grep -qx "etlhist_etl_next_start_due_timestamp_seconds{instance=\"prod\",etl_id=\"700\"} $((BASE + 7290))" "$T/stuck.prom" ||
    fail "next start due: $(grep due "$T/stuck.prom")"
# Observation stopped: the stuck run is no longer polled (the ETL list now names only 701,
# which CO does not know) while passes go on; beyond max_gap (900 s) it is UNKNOWN to the
# reports, so not overdue, and 701 is deleted.
cp "$DB" "$T/h3.db"
printf '[collect]\ndb = %s\n[instance prod]\nurl = %s\ntoken_file = %s\netls = 701\n' \
    "$T/h3.db" "$URL" "$T/token" >"$T/conf3"
for t in 7260 7560 7860 8160; do
    collect_at $((BASE + t)) -c "$T/conf3" -q --prom-file "$T/stopped.prom"
done
promtool check metrics <"$T/stopped.prom" || fail "promtool rejected the metrics"
grep -qx 'etlhist_etl_overdue{instance="prod",etl_id="700"} 0' "$T/stopped.prom" ||
    fail "overdue though unobserved: $(grep overdue "$T/stopped.prom")"
grep -qx 'etlhist_etl_deleted{instance="prod",etl_id="701"} 1' "$T/stopped.prom" ||
    fail "deleted 701: $(grep deleted "$T/stopped.prom")"
expect_eq "runs: the stuck run is unknown when no longer observed" \
    "$("$B/etlhist-report" runs --db "$T/h3.db" --etl 700 --since 2026-11-23T01:45:00Z --until 2026-11-23T03:00:00Z -f csv --no-header | tr -d '\r' | cut -d, -f7)" UNKNOWN
# A collector whose token is refused: never observed, and no last success.
printf '[collect]\ndb = %s\n[instance prod]\nurl = %s\ntoken_file = %s\netls = all\n' \
    "$T/h4.db" "$URL" "$T/wrong" >"$T/conf4"
secret_file "$T/wrong" wrong
collect_at $((BASE + 8000)) -c "$T/conf4" -q --prom-file "$T/never.prom"
promtool check metrics <"$T/never.prom" || fail "promtool rejected the metrics"
grep -qx 'etlhist_instance_never_observed{instance="prod"} 1' "$T/never.prom" ||
    fail "never observed: $(grep never "$T/never.prom")"
grep -q '^etlhist_last_success_timestamp_seconds{' "$T/never.prom" && fail "a last success of none"
# The report says the same: overdue in runs and summary, and in the HTML's first block.
W="--db $DB --since 2026-11-23T00:00:00Z --until 2026-11-23T02:00:00Z --tz UTC"
# shellcheck disable=SC2086
"$B/etlhist-report" runs $W -f csv | tr -d '\r' | tail -n 1 >"$T/last.csv"
expect_eq "runs: the stuck run" "$(cut -d, -f5,7,14 "$T/last.csv")" "2026-11-23T01:45:00,RUNNING,1"
# shellcheck disable=SC2086
"$B/etlhist-report" summary $W -f csv | tr -d '\r' | tail -n 1 >"$T/sum.csv"
expect_eq "summary: overdue" "$(cut -d, -f21 "$T/sum.csv")" 1
# shellcheck disable=SC2086
"$B/etlhist-report" summary $W -f html -o "$T/stuck.html"
grep -q '<li class="overdue">Sometimes stuck (id 700, prod): overdue: RUNNING since' "$T/stuck.html" ||
    fail "HTML: the stuck run is not in the attention block"
# shellcheck disable=SC2086
rc=0
"$B/etlhist-report" summary $W -o /dev/null --fail-on 'overdue>0' 2>"$T/failon.err" || rc=$?
[ $rc -eq 1 ] && grep -q 'prod etl 700 (Sometimes stuck): overdue 1 > 0' "$T/failon.err" ||
    fail "--fail-on overdue>0: $(cat "$T/failon.err")"
# The alerting rules shipped in docs/examples, against synthetic series.
top=$(cd "$(dirname "$0")/../.." && pwd)
promtool check rules "$top/docs/examples/etlhist.rules.yml" >"$T/rules.out" 2>&1 ||
    fail "promtool check rules: $(cat "$T/rules.out")"
(cd "$top/tests/prom" && promtool test rules etlhist.rules.test.yml) >"$T/rules.out" 2>&1 ||
    fail "promtool test rules: $(cat "$T/rules.out")"
echo "prometheus metrics ok"
