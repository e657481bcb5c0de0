# Server faults not covered by t_collect_faults.sh, each hurting only what it hits: 500, 502,
# 504, 429 (retried once within the deadline, then recorded), a 401 on one ETL (renewed,
# retried, recorded), a slow answer inside the timeout, a drip of bytes, 400 (shown as
# missing in `health`); an instance whose server refuses connections and one whose host
# name does not resolve (the other instance is stored, exit 1); a hanging server against
# the pass deadline.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/rel.sh"
BASE=1795392000
SECRET=SK-faults-$$
cat >"$T/scn" <<EOS
keys tenant_id=acme access_key=AK1 access_secret_key=$SECRET
etl 1  name="Healthy" period=3600 duration=60 outcomes=OK
etl 2  period=3600 duration=60 outcomes=OK fault=500
etl 3  period=3600 duration=60 outcomes=OK fault=502
etl 4  period=3600 duration=60 outcomes=OK fault=504
etl 5  period=3600 duration=60 outcomes=OK fault=429
etl 6  period=3600 duration=60 outcomes=OK fault=401
etl 7  period=3600 duration=60 outcomes=OK fault=drip
etl 8  name="Gone" period=3600 duration=60 outcomes=OK fault=400
etl 9  name="Slow" period=3600 duration=60 outcomes=ERROR fault=slow delay_ms=600
etl 10 period=3600 duration=60 outcomes=OK fault=hang
EOS
start_fakeco "$T/scn"
printf 'tenant_id=acme\naccess_key=AK1\naccess_secret_key=%s\n' "$SECRET" >"$T/keys"
chmod 600 "$T/keys"
secret_file "$T/token" tok-unused
DB=$T/h.db
cat >"$T/conf" <<EOC
[collect]
db = $DB
timeout = 2
[instance prod]
url = $URL
portal_url = $URL
access_key_file = $T/keys
etls = 1-9
[instance refused]
url = http://127.0.0.1:9
token_file = $T/token
etls = 1, 2
[instance nodns]
url = http://nonexistent.invalid:1
token_file = $T/token
etls = 3
EOC

for i in 0 1; do
    t0=$(now_ms)
    collect_under no_dns $((BASE + 600 + i * 300)) -c "$T/conf"
    took=$(($(now_ms) - t0))
    expect_eq "pass $i: one instance stored, two unreachable" "$RC" 1
    [ "$took" -lt 15000 ] || fail "pass $i took $took ms"
done

ipass() { sql "SELECT polled || ' ' || ok || ' ' || errors || ' ' || coalesce(p.error, '-') FROM pass p JOIN instance i ON i.id = instance_id WHERE i.name = '$1' ORDER BY started DESC LIMIT 1"; }
expect_eq "prod pass" "$(ipass prod)" "9 2 7 -"
expect_eq "refused pass" "$(ipass refused)" "2 0 2 every ETL failed (first: etl 1: Couldn't connect to server: nothing answers at the URL's host and port (is CO up there?))"
expect_eq "unresolved pass" "$(ipass nodns)" "1 0 1 every ETL failed (first: etl 3: Couldn't resolve host name: the URL's host name is not known to DNS)"
row() { sql "SELECT coalesce((SELECT text FROM code WHERE id = status), '-') || '|' || coalesce(http_code, '-') || '|' || coalesce(error, '-') || '|' || polls FROM sample s JOIN etl e ON e.id = etl_ref JOIN instance i ON i.id = e.instance_id WHERE i.name = '${2:-prod}' AND e.etl_id = $1 ORDER BY s.first_seen DESC, s.seq DESC LIMIT 1"; }
expect_eq "healthy" "$(row 1)" "WAITING|-|-|2"
expect_eq "500" "$(row 2)" "-|500|HTTP 500|2"
expect_eq "502" "$(row 3)" "-|502|HTTP 502|2"
expect_eq "504" "$(row 4)" "-|504|HTTP 504|2"
expect_eq "429 retried once, then recorded" "$(row 5)" "-|429|HTTP 429|2"
expect_eq "401 on one ETL: renewed, retried, recorded" "$(row 6)" "-|401|unauthorized (HTTP 401)|2"
expect_eq "drip" "$(row 7)" "-|-|timeout after 2 s|2"
expect_eq "400" "$(row 8)" "-|400|ETL not found (HTTP 400)|2"
expect_eq "slow but inside the timeout" "$(row 9)" "WAITING|-|-|2"
expect_eq "connection refused" "$(row 1 refused)" "-|-|Couldn't connect to server: nothing answers at the URL's host and port (is CO up there?)|2"
expect_eq "host name not resolved" "$(row 3 nodns)" "-|-|Couldn't resolve host name: the URL's host name is not known to DNS|2"
grep -q "prod etl 2: HTTP 500 from /opt/api/v1/backend/etls/2/status" "$T/collect.err" ||
    fail "no one-line error naming instance, ETL and path"
stats=$(curl -s "$URL/_ctl/stats")
echo "$stats" | jq -e '.logins + .refreshes == 4' >/dev/null ||
    fail "expected one login and one renewal per pass: $stats"

# health shows the 400 ETL as not found, the 5xx and the timeouts.
"$B/etlhist-report" health --db "$DB" -f csv --since 2026-11-23 --until 2026-11-24 >"$T/health.csv" ||
    fail "health report failed"
hrow() { grep "^$1,$2," "$T/health.csv" | cut -d, -f4-9; }
expect_eq "health of the 400 ETL" "$(hrow prod 8)" "2,2,2,0,0,ETL not found (HTTP 400)"
expect_eq "health of the 500 ETL" "$(hrow prod 2)" "2,2,0,2,0,HTTP 500"
expect_eq "health of the dripping ETL" "$(hrow prod 7)" "2,2,0,0,2,timeout after 2 s"
expect_eq "health of the healthy ETL" "$(hrow prod 1)" "2,0,0,0,0,"

# The pass deadline holds against a server that hangs or drips: with a 30 s request timeout
# and a 3 s pass deadline the pass ends after about 3 s; what was answered is stored.
printf '[collect]\ndb = %s\ntimeout = 30\npass_timeout = 3\n[instance prod]\nurl = %s\nportal_url = %s\naccess_key_file = %s\netls = 1, 7, 10\n' \
    "$DB" "$URL" "$URL" "$T/keys" >"$T/deadline.conf"
t0=$(now_ms)
collect_at $((BASE + 1200)) -c "$T/deadline.conf"
took=$(($(now_ms) - t0))
expect_eq "deadline pass" "$RC" 1
[ "$took" -lt 10000 ] || fail "the pass deadline did not hold: $took ms"
[ "$took" -ge 2500 ] || fail "the pass ended before its deadline: $took ms"
expect_eq "answered before the deadline" "$(row 1)" "WAITING|-|-|3"
expect_eq "hanging ETL" "$(row 10)" "-|-|pass deadline exceeded|1"
expect_eq "dripping ETL" "$(row 7)" "-|-|pass deadline exceeded|1"
expect_eq "integrity" "$(sql "PRAGMA integrity_check")" ok
echo "server faults isolated"
