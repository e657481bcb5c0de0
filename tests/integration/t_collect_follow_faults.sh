# Follow errors are said as a pass's are: a server that answers the pass well, then during the
# follow rounds hangs, answers 500, sends malformed JSON or a huge body, or closes the
# connection, gives one line per failed ETL naming the follow round, and exit 1 (partial), as a
# pass with failed ETLs does; the pass itself says nothing. Real time, like t_collect_follow.sh:
# the faults begin a few seconds after the pass (fault_from, server time).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/rel.sh"

rm -f "$T/port"
NOW=$(date +%s)
KINDS="hang 500 malformed huge close"
{
    echo "token tok-ff"
    k=1
    for kind in $KINDS; do
        # Running all day: followed through the whole window.
        echo "etl $k period=86400 offset=$((NOW - 100)) duration=86400 fault=$kind fault_from=$((NOW + 4))"
        k=$((k + 1))
    done
} >"$T/scn"
"$B/fakeco" --scenario "$T/scn" --port-file "$T/port" >"$T/fakeco.out" 2>"$T/fakeco.err" &
FAKECO_PID=$!
wait_until 5 test -s "$T/port"
URL="http://127.0.0.1:$(cat "$T/port")"
secret_file "$T/token" tok-ff
DB=$T/h.db
{
    printf '[collect]\ndb = %s\ninterval = 300\ntimeout = 2\nfollow = 16\nfollow_interval = 5\n' "$DB"
    k=1
    for kind in $KINDS; do
        printf '[instance i%s]\nurl = %s\ntoken_file = %s\netls = %s\n' "$kind" "$URL" "$T/token" $k
        k=$((k + 1))
    done
} >"$T/conf"

set +e
"$B/etlhist-collect" -c "$T/conf" >"$T/collect.out" 2>"$T/collect.err"
RC=$?
set -e
expect_eq "follow with failing rounds: exit (partial)" "$RC" 1
k=1
for kind in $KINDS; do
    grep -q "^etlhist-collect: i$kind etl $k: .* from /opt/api/v1/backend/etls/$k/status (follow round)$" "$T/collect.err" ||
        fail "$kind: no follow error line: $(cat "$T/collect.err")"
    k=$((k + 1))
done
! grep -v "(follow round)" "$T/collect.err" || fail "lines other than the follow rounds' failures"
expect_eq "the pass's polls all ok" "$(sql "SELECT sum(ok) FROM pass")" 5
[ "$(sql "SELECT min(follow_rounds) FROM pass")" -ge 1 ] || fail "no follow round counted"

echo "follow faults ok"
