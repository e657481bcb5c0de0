# Answers the fake CO server cannot give, from a scripted stub (helpers/httpstub.c): a 204
# that carries a body (in the same segment as its head, or later) must neither be taken for
# a status nor poison the next request on the kept-alive connection; a reset in the middle
# of a body; a 429 whose Retry-After is honoured (asked again, stored OK) and one whose
# Retry-After does not fit the pass deadline; a redirect to another host, never followed, so
# the token never reaches it; a 401 with a static token. Each hits its own ETL only.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/rel.sh"
BASE=1795392000
TOKEN=tok-http-$$-Rk2
build_stub

# The other host: it must never be asked anything.
mkdir -p "$T/other"
http_resp "$T/other/ok" "200 OK" '{"status":"WAITING","exit_code":"OK","task_id":1}'
echo "* ok" >"$T/other/rules"
start_stub "$T/other"
OTHER=$STUB_PORT

S=$T/co
mkdir -p "$S"
P=/opt/api/v1/backend/etls
ok='{"status":"WAITING","task_id":1467,"exit_code":"OK","last_exec_ts":"2026-11-22T23:00:00Z"}'
list='[{"name":"One","etl_id":1},{"name":"Two","etl_id":2},{"name":"Three","etl_id":3},'
list=$list'{"name":"Four","etl_id":4},{"name":"Five","etl_id":5},{"name":"Six","etl_id":6},'
list=$list'{"name":"Seven","etl_id":7},{"name":"Eight","etl_id":8},{"name":"Nine","etl_id":9},'
list=$list'{"name":"Ten","etl_id":10}]'
http_resp "$S/list" "200 OK" "$list"
http_resp "$S/ok" "200 OK" "$ok"
http_resp "$S/204body" "204 No Content" "$ok"
http_resp "$S/partial" "200 OK" '{"status":"WAITI' "Content-Length: 400"
http_resp "$S/429" "429 Too Many Requests" '{"message":"slow down"}' "Retry-After: 1"
http_resp "$S/429long" "429 Too Many Requests" '{"message":"slow down"}' "Retry-After: 3600"
http_resp "$S/302" "302 Found" '' "Location: http://127.0.0.1:$OTHER$P/7/status"
http_resp "$S/401" "401 Unauthorized" '{"message":"Unauthorized"}'
cat >"$S/rules" <<EOR
$P/ list
$P/1/status ok
$P/2/status 204body!pause
$P/3/status ok
$P/4/status 204body
$P/5/status partial!rst
$P/6/status 429 ok
$P/7/status 302
$P/8/status 401
$P/9/status 429long
$P/10/status 429 ok
EOR
start_stub "$S"
URL=http://127.0.0.1:$STUB_PORT
secret_file "$T/token" "$TOKEN"
DB=$T/h.db
# prod: one ETL per case. busy: a Retry-After that fits beside one that does not.
cat >"$T/conf" <<EOC
[collect]
db = $DB
concurrency = 1
timeout = 5
pass_timeout = 20
[instance prod]
url = $URL
token_file = $T/token
etls = 1-8
[instance busy]
url = $URL
token_file = $T/token
etls = 9, 10
EOC

t0=$(now_ms)
collect_at $((BASE + 60)) -c "$T/conf"
took=$(($(now_ms) - t0))
expect_eq "partial pass" "$RC" 1
expect_eq "pass row" "$(sql "SELECT polled || ' ' || ok || ' ' || errors FROM pass WHERE instance_id = (SELECT id FROM instance WHERE name = 'prod')")" "8 3 5"
row() { sql "SELECT coalesce((SELECT text FROM code WHERE id = status), '-') || '|' || coalesce(http_code, '-') || '|' || coalesce(error, '-') FROM sample s JOIN etl e ON e.id = etl_ref WHERE e.etl_id = $1"; }
expect_eq "healthy before the 204" "$(row 1)" "WAITING|-|-"
expect_eq "204 with a late body" "$(row 2)" "-|204|HTTP 204 without a body"
expect_eq "after the late-body 204" "$(row 3)" "WAITING|-|-"
expect_eq "204 with a body in the same segment" "$(row 4)" "-|204|HTTP 204 without a body"
case "$(row 5)" in
"-|-|"*) ;;
*) fail "reset mid-body: $(row 5)" ;;
esac
expect_eq "429 then 200: asked again, stored" "$(row 6)" "WAITING|-|-"
expect_eq "redirect not followed" "$(row 7)" "-|302|HTTP 302"
expect_eq "401 with a static token" "$(row 8)" "-|401|unauthorized (HTTP 401)"
expect_eq "Retry-After past the deadline: not waited for" "$(row 9)" "-|429|HTTP 429"
[ "$took" -lt 15000 ] || fail "pass took ${took} ms: a Retry-After of 3600 s was waited for"

# What the stub saw. Requests follow one another (concurrency 1) on kept-alive connections.
conn_of() { # conn_of N [K]: connection of the K-th request (default 1st) for ETL N
    grep "GET $P/$1/status\$" "$S/log" | sed -n "${2:-1}p" | sed 's/.*conn=\([0-9]*\) .*/\1/'
}
expect_eq "1 and 2 share a kept-alive connection" "$(conn_of 2)" "$(conn_of 1)"
[ "$(conn_of 3)" != "$(conn_of 2)" ] || fail "ETL 3 was asked on the connection a 204 left a body on"
[ "$(conn_of 5)" != "$(conn_of 4)" ] || fail "ETL 5 was asked on the connection a 204 left a body on"
expect_eq "ETL 6 asked twice" "$(grep -c "GET $P/6/status\$" "$S/log")" 2
t6() { grep "GET $P/6/status\$" "$S/log" | sed -n "${1}p" | sed 's/^T=\([0-9]*\) .*/\1/'; }
[ $(($(t6 2) - $(t6 1))) -ge 1000 ] || fail "Retry-After: 1 not honoured: asked again after $(($(t6 2) - $(t6 1))) ms"
expect_eq "ETL 9 asked once" "$(grep -c "GET $P/9/status\$" "$S/log")" 1
expect_eq "ETL 8 asked once (a static token cannot be renewed)" "$(grep -c "GET $P/8/status\$" "$S/log")" 1
grep -q "Authorization: Bearer $TOKEN" "$S/log" || fail "the CO server never got the token"

# A redirect of the ETL list (another instance) is not followed either.
mkdir -p "$T/moved"
http_resp "$T/moved/302" "302 Found" '' "Location: http://127.0.0.1:$OTHER$P/"
echo "* 302" >"$T/moved/rules"
start_stub "$T/moved"
printf '[instance moved]\nurl = http://127.0.0.1:%s\ntoken_file = %s\netls = all\n' \
    "$STUB_PORT" "$T/token" >>"$T/conf"
collect_at $((BASE + 360)) -c "$T/conf" --instance moved
expect_eq "list redirected: nothing observed" "$RC" 3
expect_eq "list redirect recorded" "$(sql "SELECT p.error FROM pass p JOIN instance i ON i.id = instance_id WHERE i.name = 'moved'")" \
    "ETL list from /opt/api/v1/backend/etls/ failed: HTTP 302"

[ ! -s "$T/other/log" ] || fail "the redirect target was contacted: $(cat "$T/other/log")"
expect_eq "integrity" "$(sql "PRAGMA integrity_check")" ok
grep -a -q "$TOKEN" "$DB" "$DB-wal" "$T/collect.out" "$T/collect.err" 2>/dev/null && fail "token leaked"
# A Retry-After that fits is honoured even when another ETL's does not.
expect_eq "ETL 10 (Retry-After 1 s beside one of 3600 s) asked twice" \
    "$(grep -c "GET $P/10/status\$" "$S/log")" 2
expect_eq "ETL 10 stored after its retry" "$(row 10)" "WAITING|-|-"
echo "http edge cases ok"
