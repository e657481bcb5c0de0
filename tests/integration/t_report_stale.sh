# A run still RUNNING when its ETL stopped being observed (deleted mid-run) is reported
# UNKNOWN once the instance has gone on being polled for longer than max_gap; the
# database keeps what was seen (RUNNING at its last observation).
. "$(dirname "$0")/lib.sh"
BASE=1795392000
cat >"$T/scn" <<EOS
token tok
etl 1 name="Deleted while running" period=86400 offset=0 duration=7200 outcomes=OK deleted=$((BASE + 1800))
etl 2 name="Healthy" period=3600 offset=0 duration=60 outcomes=OK
EOS
start_fakeco "$T/scn"
secret_file "$T/token" tok
DB=$T/h.db
printf '[collect]\ndb = %s\n[instance p]\nurl = %s\ntoken_file = %s\netls = 1, 2\n' \
    "$DB" "$URL" "$T/token" >"$T/conf"
report() {
    "$B/etlhist-report" "$1" --db "$DB" --since 2026-11-23T00:00:00Z --until 2026-11-24T00:00:00Z \
        --tz UTC -f csv --no-header --etl 1 | tr -d '\r'
}
# Polls every 300 s: RUNNING at +60..+1560, then 400 (deleted at +1800).
for i in 0 1 2 3 4 5 6 7; do
    collect_at $((BASE + 60 + i * 300)) -c "$T/conf" -q
done
expect_eq "still within max_gap: RUNNING" "$(report runs | cut -d, -f7)" RUNNING
for i in 8 9 10 11; do
    collect_at $((BASE + 60 + i * 300)) -c "$T/conf" -q
done
# Last RUNNING poll +1560; latest pass +3360: more than max_gap (900 s) later.
expect_eq "observation stopped: UNKNOWN" "$(report runs | cut -d, -f7)" UNKNOWN
expect_eq "summary counts it unknown, last outcome UNKNOWN" "$(report summary | cut -d, -f9,16)" "1,UNKNOWN"
expect_eq "database keeps what was seen" "$(sql "SELECT (SELECT text FROM code WHERE id = r.outcome) FROM run r JOIN etl e ON e.id = r.etl_ref WHERE e.etl_id = 1")" RUNNING
echo "stale runs ok"
