# Header injection through a secret: a token file of two lines, an ETLHIST_TOKEN or access
# key with a line break, a portal JWT with one. Each is refused with one line naming its
# source (exit 2 for a file or variable, before a database exists; exit 3 for the portal's
# answer, an authentication failure) and never sent: the servers never see a forged header.
# A UTF-8 byte order mark at the start of a token or access key file is not part of it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/rel.sh"
BASE=1795392000
TOKEN=tok-inj-$$
cat >"$T/scn" <<EOS
token $TOKEN
keys tenant_id=acme access_key=AK1 access_secret_key=SK1
etl 1 name="One" period=3600 duration=60 outcomes=OK
EOS
start_fakeco "$T/scn"
DB=$T/h.db
injected() {
    curl -s "$URL/_ctl/stats" | jq -e '[.auth_headers_seen[] | select(test("Injected|\r|\n"))] | length > 0' >/dev/null
}

printf '%s\nX-Injected: yes\n' "$TOKEN" >"$T/two-lines"
chmod 600 "$T/two-lines"
collect_at $((BASE + 60)) --url "$URL" --etl 1 --db "$DB" --token-file "$T/two-lines"
expect_eq "token file of two lines" "$RC" 2
grep -q "token file $T/two-lines holds a control character" "$T/collect.err" ||
    fail "no message naming the file: $(cat "$T/collect.err")"
[ ! -e "$DB" ] || fail "a database was created before the token was refused"

collect_under "env ETLHIST_TOKEN=$TOKEN$(printf '\r')X-Injected:yes" $((BASE + 60)) --url "$URL" --etl 1 --db "$DB"
expect_eq "ETLHIST_TOKEN with a CR" "$RC" 2
grep -q "ETLHIST_TOKEN holds a control character" "$T/collect.err" || fail "no message naming ETLHIST_TOKEN"

printf 'tenant_id=acme\naccess_key=AK1\taccess_key=x\naccess_secret_key=SK1\n' >"$T/tab.keys"
chmod 600 "$T/tab.keys"
printf '[instance saas]\nurl = %s\naccess_key_file = %s\netls = 1\n' "$URL" "$T/tab.keys" >"$T/keys.conf"
collect_at $((BASE + 60)) -c "$T/keys.conf" --db "$DB"
expect_eq "access key with a tab" "$RC" 2
grep -q "access key file $T/tab.keys: access_key holds a control character" "$T/collect.err" ||
    fail "no message naming the key file: $(cat "$T/collect.err")"
injected && fail "an injected header reached the server"

# Byte order marks and a CRLF line end are not part of the secret.
printf '\357\273\277%s\r\n' "$TOKEN" >"$T/bom.token"
chmod 600 "$T/bom.token"
collect_at $((BASE + 120)) --url "$URL" --etl 1 --db "$DB" --token-file "$T/bom.token"
expect_eq "token file with a BOM and CRLF" "$RC" 0
printf '\357\273\277tenant_id=acme\r\naccess_key=AK1\r\naccess_secret_key=SK1\r\n' >"$T/bom.keys"
chmod 600 "$T/bom.keys"
printf '[instance saas]\nurl = %s\naccess_key_file = %s\netls = 1\n' "$URL" "$T/bom.keys" >"$T/bom.conf"
collect_at $((BASE + 180)) -c "$T/bom.conf" --db "$DB"
expect_eq "access key file with a BOM" "$RC" 0
curl -s "$URL/_ctl/stats" | jq -e --arg t "Bearer $TOKEN" '.auth_headers_seen | index($t) != null' >/dev/null ||
    fail "the plain token was not sent: $(curl -s "$URL/_ctl/stats")"
injected && fail "an injected header reached the server"

# The portal answers a JWT with a line break (a scripted stub plays portal and CO).
build_stub
S=$T/portal
mkdir -p "$S"
P=/opt/api/v1/backend/etls
http_resp "$S/login" "200 OK" '{"json_web_token":"jwt-x\r\nX-Injected: yes","token":"rt-x"}'
http_resp "$S/ok" "200 OK" '{"status":"WAITING","exit_code":"OK","task_id":1}'
cat >"$S/rules" <<EOR
/ims/api/v1/access_keys/login login
* ok
EOR
start_stub "$S"
printf '[instance saas]\nurl = http://127.0.0.1:%s\naccess_key_file = %s\netls = 1\n' "$STUB_PORT" "$T/bom.keys" >"$T/stub.conf"
collect_at $((BASE + 240)) -c "$T/stub.conf" --db "$DB"
expect_eq "JWT with a line break: authentication failed" "$RC" 3
grep -q "json_web_token holds a control character" "$T/collect.err" || fail "no message about the JWT"
grep -q "GET $P" "$S/log" && fail "a status was asked with the refused JWT: $(cat "$S/log")"
grep -qi "X-Injected" "$S/log" && fail "an injected header reached the stub"
echo "no header injection"
