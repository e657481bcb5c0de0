# A server that refuses every ETL with 401 even after the access token was renewed: the
# collector renews once (no loop), exits 3, records the failed pass and writes nothing else
# (no sample, no run, no ETL row changes). Renewal after one 401 that then succeeds is
# t_collect_auth.sh; a wrong static token refused on the ETL list is t_collect_exit.sh.
. "$(dirname "$0")/lib.sh"
BASE=1795392000
T1=$((BASE + 900)) # from here on every status request is refused
SECRET=SK-auth-$$
cat >"$T/scn" <<EOS
keys tenant_id=acme access_key=AK1 access_secret_key=$SECRET
etl 1 name="One" period=3600 duration=60 outcomes=OK fault=401 fault_from=$T1
etl 2 name="Two" period=3600 duration=60 outcomes=ERROR fault=401 fault_from=$T1
etl 3 name="Three" period=3600 offset=600 duration=600 outcomes=OK fault=401 fault_from=$T1
EOS
start_fakeco "$T/scn"
printf 'tenant_id=acme\naccess_key=AK1\naccess_secret_key=%s\n' "$SECRET" >"$T/keys"
chmod 600 "$T/keys"
DB=$T/h.db
printf '[collect]\ndb = %s\n[instance saas]\nurl = %s\nportal_url = %s\naccess_key_file = %s\netls = all\n' \
    "$DB" "$URL" "$URL" "$T/keys" >"$T/conf"

collect_at $((BASE + 300)) -c "$T/conf"
expect_eq "good pass" "$RC" 0
collect_at $((BASE + 600)) -c "$T/conf"
expect_eq "good pass" "$RC" 0
dump() {
    sqlite3 "$DB" ".dump etl" ".dump sample" ".dump run" ".dump instance" | md5sum
}
before=$(dump)
stats0=$(curl -s "$URL/_ctl/stats")
collect_at $T1 -c "$T/conf"
expect_eq "401 for every ETL" "$RC" 3
grep -q "authentication failed" "$T/collect.err" || fail "no clear message: $(cat "$T/collect.err")"
expect_eq "nothing half-written" "$(dump)" "$before"
expect_eq "failed pass recorded" "$(sql "SELECT polled || ' ' || ok || ' ' || errors || ' ' || error FROM pass ORDER BY started DESC LIMIT 1")" \
    "3 0 3 authentication failed (HTTP 401 for every ETL)"
stats1=$(curl -s "$URL/_ctl/stats")
renewals=$(($(echo "$stats1" | jq '.logins + .refreshes') - $(echo "$stats0" | jq '.logins + .refreshes')))
expect_eq "one login, one renewal" "$renewals" 2
asked=$(($(echo "$stats1" | jq '.status_requests') - $(echo "$stats0" | jq '.status_requests')))
expect_eq "each ETL asked twice (before and after renewal)" "$asked" 6
expect_eq "integrity" "$(sql "PRAGMA integrity_check")" ok
grep -a -q -- "$SECRET" "$DB" "$DB-wal" "$T/collect.out" "$T/collect.err" 2>/dev/null && fail "secret leaked"
echo "401 always ok"
