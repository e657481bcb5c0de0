# Every kind of bad answer hits only its own ETL: each becomes an error sample, the healthy
# ETLs are stored, the pass exits 1. A hanging ETL costs one timeout, not the pass.
. "$(dirname "$0")/lib.sh"
BASE=1795392000
cat >"$T/scn" <<EOS
token tok
etl 1  name="Healthy" period=3600 duration=60 outcomes=OK
etl 2  period=3600 duration=60 outcomes=OK fault=malformed
etl 3  period=3600 duration=60 outcomes=OK fault=truncated
etl 4  period=3600 duration=60 outcomes=OK fault=wrongtypes
etl 5  period=3600 duration=60 outcomes=OK fault=empty204
etl 6  period=3600 duration=60 outcomes=OK fault=400
etl 7  period=3600 duration=60 outcomes=OK fault=hang
etl 8  period=3600 duration=60 outcomes=OK fault=huge
etl 9  period=3600 duration=60 outcomes=OK fault=nested
etl 10 period=3600 duration=60 outcomes=OK fault=badutf8
etl 11 period=3600 duration=60 outcomes=OK fault=close
etl 12 name="Odd status" period=3600 duration=60 outcomes=OK fault=unknownstatus
etl 13 period=3600 duration=60 outcomes=OK fault=503
etl 14 period=3600 duration=60 outcomes=OK fault=403
etl 15 name="Also healthy" period=3600 duration=60 outcomes=ERROR
EOS
start_fakeco "$T/scn"
secret_file "$T/token" tok
DB=$T/h.db
printf '[collect]\ndb = %s\ntimeout = 2\n[instance prod]\nurl = %s\ntoken_file = %s\netls = all\n' \
    "$DB" "$URL" "$T/token" >"$T/conf"
t0=$(date +%s)
collect_at $((BASE + 600)) -c "$T/conf" -q
took=$(($(date +%s) - t0))
expect_eq "partial pass" "$RC" 1
[ "$took" -le 8 ] || fail "pass took ${took}s: the hanging ETL held it up"
expect_eq "pass row" "$(sql "SELECT polled || ' ' || ok || ' ' || errors FROM pass")" "15 3 12"

err() { sql "SELECT coalesce(http_code, '-') || ' ' || error FROM sample s JOIN etl e ON e.id = etl_ref WHERE e.etl_id = $1"; }
status() { sql "SELECT (SELECT text FROM code WHERE id = status) || ' ' || coalesce((SELECT text FROM code WHERE id = exit_code), '-') FROM sample s JOIN etl e ON e.id = etl_ref WHERE e.etl_id = $1 AND error IS NULL"; }
expect_eq "healthy" "$(status 1)" "WAITING OK"
expect_eq "healthy too" "$(status 15)" "WAITING ERROR"
expect_eq "unknown status kept verbatim" "$(status 12)" "PAUSED_BY_ADMIN OK"
case "$(err 2)" in "200 malformed JSON"* | "200 truncated JSON"*) ;; *) fail "malformed: $(err 2)" ;; esac
[ -n "$(err 3)" ] || fail "truncated body stored as a status"
case "$(err 4)" in "200 status is a JSON int"*) ;; *) fail "wrong types: $(err 4)" ;; esac
expect_eq "204 without body" "$(err 5)" "204 HTTP 204 without a body"
expect_eq "not found" "$(err 6)" "400 ETL not found (HTTP 400)"
expect_eq "hang" "$(err 7)" "- timeout after 2 s"
expect_eq "huge" "$(err 8)" "- response over 65536 bytes"
case "$(err 9)" in "200 malformed JSON"*) ;; *) fail "nested: $(err 9)" ;; esac
case "$(err 10)" in "200 malformed JSON"*) ;; *) fail "bad UTF-8: $(err 10)" ;; esac
[ -n "$(err 11)" ] || fail "closed connection stored as a status"
expect_eq "503" "$(err 13)" "503 HTTP 503"
case "$(err 14)" in "403 forbidden"*) ;; *) fail "403: $(err 14)" ;; esac
expect_eq "runs of the healthy ETLs" "$(sql "SELECT count(*) FROM run")" 3
expect_eq "integrity" "$(sql "PRAGMA integrity_check")" ok
echo "faults isolated"
