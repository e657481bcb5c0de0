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
echo "prometheus metrics ok"
