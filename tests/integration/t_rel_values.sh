# One odd value spoils only itself. From a scripted stub: last_exec_ts with an offset,
# fractional seconds, lowercase t/z or a space is read and stored in UTC; one that is not a
# time keeps its status (last_exec_ts NULL, one warning); lowercase statuses and exit codes
# are stored upper-case and make real outcomes; an ETL list entry whose etl_id is "abc" or 0
# is skipped with a warning and the rest is polled. Diagnostics say what happened: a 403
# that is not CO's JSON is "not from CO", a connection closed in the middle of the headers
# says so, a JSON body behind a UTF-8 BOM is read. --dry-run prints no control character.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/rel.sh"
BASE=1795392000
build_stub
S=$T/co
mkdir -p "$S"
P=/opt/api/v1/backend/etls
st() { # st FILE STATUS EXIT_CODE LAST_EXEC_TS
    http_resp "$S/$1" "200 OK" "{\"status\":\"$2\",\"exit_code\":\"$3\",\"task_id\":7,\"last_exec_ts\":\"$4\"}"
}
st offset WAITING OK "2026-11-23T01:00:00+02:00"
st lower WAITING OK "2026-11-22t23:00:00.250z"
st space WAITING OK "2026-11-22 23:00:00Z"
st compact WAITING OK "2026-11-22T18:30:00-0430"
st garbage WAITING OK "last tuesday"
st aborted aborted error "2026-11-22T23:00:00Z"
st waiting waiting Error "2026-11-22T23:00:00Z"
http_resp "$S/proxy403" "403 Forbidden" '<html><body>Access denied by proxy policy</body></html>'
http_resp "$S/empty403" "403 Forbidden" ''
http_resp "$S/bom" "200 OK" "$(printf '\357\273\277'){\"status\":\"WAITING\",\"exit_code\":\"OK\",\"task_id\":7,\"last_exec_ts\":\"2026-11-22T23:00:00Z\"}"
printf 'HTTP/1.1 200 OK\r\nContent-Type: appl' >"$S/cuthead"
http_resp "$S/escape" "200 OK" '{"status":"\u001b[2J\u001b[31mWAITING","exit_code":"OK\u0007","task_id":7}'
list='[{"etl_id":"abc","name":"Bad"},{"etl_id":0,"name":"Zero"}'
i=1
while [ $i -le 12 ]; do
    list="$list,{\"etl_id\":$i,\"name\":\"E$i\"}"
    i=$((i + 1))
done
http_resp "$S/list" "200 OK" "$list]"
cat >"$S/rules" <<EOR
$P/ list
$P/1/status offset
$P/2/status lower
$P/3/status space
$P/4/status compact
$P/5/status garbage
$P/6/status aborted
$P/7/status waiting
$P/8/status proxy403
$P/9/status empty403
$P/10/status bom
$P/11/status cuthead!close
$P/12/status escape
EOR
start_stub "$S"
URL=http://127.0.0.1:$STUB_PORT
secret_file "$T/token" tok-values
DB=$T/h.db
printf '[collect]\ndb = %s\ntimeout = 5\n[instance prod]\nurl = %s\ntoken_file = %s\netls = all\n' \
    "$DB" "$URL" "$T/token" >"$T/conf"

collect_at $((BASE + 60)) -c "$T/conf"
expect_eq "some ETLs failed, the rest stored" "$RC" 1
expect_eq "pass" "$(sql "SELECT polled || ' ' || ok || ' ' || errors FROM pass")" "12 9 3"
row() {
    sql "SELECT coalesce((SELECT text FROM code WHERE id = status), '-') || '|' || coalesce((SELECT text FROM code WHERE id = exit_code), '-') || '|' || coalesce(s.first_seen - s.last_exec_ago_s, '-') || '|' || coalesce(error, '-') FROM sample s JOIN etl e ON e.id = etl_ref WHERE e.etl_id = $1"
}
T23=$(date -u -d 2026-11-22T23:00:00Z +%s)
expect_eq "offset +02:00" "$(row 1)" "WAITING|OK|$T23|-"
expect_eq "lowercase t and z, fraction" "$(row 2)" "WAITING|OK|$T23|-"
expect_eq "space separator" "$(row 3)" "WAITING|OK|$T23|-"
expect_eq "offset -0430" "$(row 4)" "WAITING|OK|$T23|-"
expect_eq "not a time: status kept" "$(row 5)" "WAITING|OK|-|-"
grep -q "etl 5: last_exec_ts .* is not a time" "$T/collect.err" || fail "no warning for ETL 5: $(cat "$T/collect.err")"
expect_eq "lowercase aborted" "$(row 6)" "ABORTED|ERROR|$T23|-"
expect_eq "lowercase waiting, Error" "$(row 7)" "WAITING|ERROR|$T23|-"
outcome() {
    sql "SELECT (SELECT text FROM code WHERE id = outcome) FROM run r JOIN etl e ON e.id = etl_ref WHERE e.etl_id = $1"
}
expect_eq "aborted run" "$(outcome 6)" ABORTED
expect_eq "error run" "$(outcome 7)" ERROR
case "$(row 8)" in
*"|HTTP 403 (not from CO: body \"<html><body>Access denied by proxy polic\")") ;;
*) fail "proxy 403: $(row 8)" ;;
esac
case "$(row 9)" in
*"|HTTP 403 (not from CO: no body)") ;;
*) fail "empty 403: $(row 9)" ;;
esac
expect_eq "JSON behind a BOM" "$(row 10)" "WAITING|OK|$T23|-"
expect_eq "closed mid-headers" "$(row 11)" "-|-|-|connection closed in the middle of the headers"
grep -q "2 entries of the ETL list .* have no usable etl_id" "$T/collect.err" ||
    fail "no warning for the skipped list entries: $(cat "$T/collect.err")"
expect_eq "one warning for the list" "$(grep -c "no usable etl_id" "$T/collect.err")" 1

collect_at $((BASE + 120)) -c "$T/conf" --dry-run
expect_eq "dry run" "$RC" 1
grep -q "WAITING" "$T/collect.out" || fail "dry run printed no status: $(cat "$T/collect.out")"
if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$T/collect.out" "$T/collect.err"; then
    fail "a control character was printed: $(od -c "$T/collect.out" | grep -m3 '033\|007')"
fi
echo "odd values ok"
