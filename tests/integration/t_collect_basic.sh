# The real collector against the fake CO server over 24 passes (two simulated hours):
# exact samples, runs, passes; one failing ETL spoils nothing; the token is stored nowhere.
. "$(dirname "$0")/lib.sh"
BASE=1795392000 # 2026-11-23T00:00:00Z, a whole hour: runs of a 3600 s period start here
TOKEN=tok-$$-Zq81
cat >"$T/scn" <<EOS
token $TOKEN
etl 321 name="Daily import" period=3600 offset=0 duration=600 outcomes=OK,ERROR task=467
etl 53  name="vCenter Extractor Service" service period=7200 on=5400 offset=0
etl 9   name="Never run" never=null
etl 500 name="Broken" period=3600 duration=60 outcomes=OK fault=500
EOS
start_fakeco "$T/scn"
secret_file "$T/token" "$TOKEN"
DB=$T/h.db
cat >"$T/conf" <<EOC
[collect]
db = $DB
interval = 300
[instance prod]
url = $URL
token_file = $T/token
etls = all
EOC
for i in $(seq 0 23); do
    collect_at $((BASE + 60 + i * 300)) -c "$T/conf"
    expect_eq "exit code of pass $i (ETL 500 fails)" "$RC" 1
done

expect_eq passes "$(sql "SELECT count(*), sum(polled), sum(ok), sum(errors) FROM pass")" "24|96|72|24"
expect_eq names "$(sql "SELECT group_concat(etl_id || '=' || name, ';') FROM (SELECT * FROM etl ORDER BY etl_id)")" \
    "9=Never run;53=vCenter Extractor Service;321=Daily import;500=Broken"
# ETL 321: RUNNING at +60 and +360, ended OK at +660, next run RUNNING +3660..+3960, ERROR at +4260.
expect_eq "samples of 321" "$(sql "SELECT group_concat(s, ';') FROM (SELECT (s.first_seen - $BASE) || '-' || (s.first_seen + s.span_s - $BASE) || ':' || polls || ':' || (SELECT text FROM code WHERE id = status) || ':' || coalesce((SELECT text FROM code WHERE id = exit_code), '') || ':' || (s.first_seen - last_exec_ago_s - $BASE) || ':' || task_id AS s FROM sample s JOIN etl e ON e.id = etl_ref WHERE e.etl_id = 321 ORDER BY s.first_seen)")" \
    "60-360:2:RUNNING::0:467;660-3360:10:WAITING:OK:0:467;3660-3960:2:RUNNING::3600:467;4260-6960:10:WAITING:ERROR:3600:467"
expect_eq "runs of 321" "$(sql "SELECT group_concat(r, ';') FROM (SELECT (start_ts - $BASE) || ':' || (SELECT text FROM code WHERE id = outcome) || ':' || dur_lo_s || ':' || dur_hi_s AS r FROM run ORDER BY start_ts)")" \
    "0:OK:360:660;3600:ERROR:360:660"
expect_eq "service samples" "$(sql "SELECT group_concat((SELECT text FROM code WHERE id = status) || ':' || polls, ';') FROM (SELECT s.* FROM sample s JOIN etl e ON e.id = etl_ref WHERE e.etl_id = 53 ORDER BY s.first_seen)")" \
    "SERVICE_ON:18;SERVICE_OFF:6"
expect_eq "never-run ETL" "$(sql "SELECT (SELECT text FROM code WHERE id = status) || ':' || polls FROM sample s JOIN etl e ON e.id = etl_ref WHERE e.etl_id = 9")" "NONE:24"
expect_eq "failing ETL" "$(sql "SELECT http_code || ':' || error || ':' || polls FROM sample s JOIN etl e ON e.id = etl_ref WHERE e.etl_id = 500")" "500:HTTP 500:24"
expect_eq "errors name ETL, instance and path" "$(grep -c 'prod etl 500: HTTP 500 from /opt/api/v1/backend/etls/500/status' "$T/collect.err")" 24

# --rebuild-runs derives the same runs from the samples alone.
before=$(sql "SELECT * FROM run ORDER BY etl_ref, start_ts, seq")
"$B/etlhist-collect" -c "$T/conf" --rebuild-runs || fail "rebuild-runs failed"
after=$(sql "SELECT * FROM run ORDER BY etl_ref, start_ts, seq")
expect_eq "rebuilt runs" "$after" "$before"

# The views answer in readable UTC.
expect_eq "v_run" "$(sql "SELECT start_utc || ' ' || outcome FROM v_run ORDER BY start_utc LIMIT 1")" "2026-11-23 00:00:00 OK"
expect_eq "integrity" "$(sql "PRAGMA integrity_check")" ok

# The token is in no database page, no output and no log.
if grep -a -q "$TOKEN" "$DB" "$DB-wal" "$T/collect.out" "$T/collect.err" 2>/dev/null; then
    fail "token leaked"
fi
echo "basic collection ok"
