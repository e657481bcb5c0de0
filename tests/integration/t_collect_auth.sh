# Helix access keys: log in, use the JWT, and when the server starts refusing it (expired),
# renew once and retry within the same pass. Secrets appear in no output, log or database.
. "$(dirname "$0")/lib.sh"
BASE=1795392000
SECRET=SK-very-secret-$$
cat >"$T/scn" <<EOS
keys tenant_id=acme access_key=AK1 access_secret_key=$SECRET
etl 1 name="One" period=3600 duration=60 outcomes=OK
etl 2 name="Two" period=3600 duration=60 outcomes=ERROR
EOS
start_fakeco "$T/scn"
printf 'tenant_id=acme\naccess_key=AK1\naccess_secret_key=%s\n' "$SECRET" >"$T/keys"
chmod 600 "$T/keys"
DB=$T/h.db
printf '[collect]\ndb = %s\ninterval = 10\n[instance saas]\nurl = %s\nportal_url = %s\naccess_key_file = %s\netls = all\n' \
    "$DB" "$URL" "$URL" "$T/keys" >"$T/conf"

collect_at $((BASE + 100)) -c "$T/conf" -vv
expect_eq "login pass" "$RC" 0
stats=$(curl -s "$URL/_ctl/stats")
echo "$stats" | jq -e '.logins == 1' >/dev/null || fail "expected one login: $stats"

# A looping collector: after its first pass the server's clock jumps past the JWT's life,
# so the next pass meets 401s and must renew (refresh) and retry.
echo $((BASE + 200)) >"$T/clock"
LD_PRELOAD="$FAKETIME_LIB" FAKETIME_FMT=%s FAKETIME="@$((BASE + 200))" FAKETIME_DONT_FAKE_MONOTONIC=1 \
    "$B/etlhist-collect" -c "$T/conf" --loop 1 -v >"$T/loop.out" 2>"$T/loop.err" &
loop=$!
wait_passes() {
    i=0
    while [ "$(sql "SELECT count(*) FROM pass")" -lt "$1" ]; do
        i=$((i + 1))
        [ $i -gt 200 ] && { kill $loop; fail "no pass $1: $(cat "$T/loop.err")"; }
        sleep 0.1
    done
}
wait_passes 2
echo $((BASE + 200 + 1000)) >"$T/clock"
wait_passes 4
kill -TERM $loop
wait $loop || true
expect_eq "passes after renewal fully polled" \
    "$(sql "SELECT min(ok) || ' ' || max(errors) FROM (SELECT * FROM pass ORDER BY started DESC, seq DESC LIMIT 2)")" "2 0"
stats=$(curl -s "$URL/_ctl/stats")
echo "$stats" | jq -e '.refreshes + .logins >= 3 and .unauthorized >= 1' >/dev/null ||
    fail "expected a renewal after 401: $stats"
grep -q "renewing the access token" "$T/loop.err" || fail "no renewal logged"

# Nothing secret is stored or printed (the JWTs neither).
for s in "$SECRET" AK1 jwt-; do
    if grep -a -q -- "$s" "$DB" "$DB-wal" "$T/collect.out" "$T/collect.err" "$T/loop.out" "$T/loop.err" 2>/dev/null; then
        fail "secret $s leaked"
    fi
done
echo "access keys ok"
