# The accuracy simulation's moving clock (tests/accuracy/lib.sh, docs/design.md §2 "Follow" measured in
# docs/dev/accuracy.md):
# - fakeco's clock set with a rate runs at that rate from the instant it was set, answers
#   what it read at a given real instant, and refuses a bad rate;
# - a process under libfaketime on the shared segment, anchored the way the simulation
#   anchors the collector, reads the server's time to well under a second, although it
#   started later than the server's clock was set, and its sleeps are scaled by the rate;
# - --request-log records each answered status request, with the second it was answered for.
. "$(dirname "$0")/lib.sh"
ACC_TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$ACC_TOP/tests/accuracy/lib.sh"
acc_build
command -v faketime >/dev/null || fail "the faketime wrapper (package faketime) is needed"
T0=1795392000
cat >"$T/scn" <<EOS
token tok
etl 1 name="Hourly" period=3600 offset=$T0 duration=600 outcomes=OK
EOS
start_fakeco "$T/scn" --request-log "$T/requests.log"

r=$(curl -sf -X POST "$URL/_ctl/now?t=$T0&rate=10")
anchor=$(echo "$r" | acc_json_int anchor_ns)
expect_eq "rate echoed" "$(echo "$r" | acc_json_int rate)" 10
[ -n "$anchor" ] || fail "no anchor_ns in $r"
at=$((anchor + 1500000000)) # 1.5 s of real time later: 15 s of the server's
expect_eq "clock at anchor + 1.5 s" "$(curl -sf "$URL/_ctl/now?real_ns=$at" | acc_json_int now_ns)" \
    $(((T0 + 15) * 1000000000))
sleep 1
now=$(curl -sf "$URL/_ctl/now" | acc_json_int now)
[ "$now" -ge $((T0 + 10)) ] && [ "$now" -le $((T0 + 30)) ] ||
    fail "after 1 s of real time at rate 10 the clock reads $((now - T0)) s past T0"
expect_eq "bad rate" "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/_ctl/now?t=$T0&rate=x")" 400
expect_eq "negative rate" "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/_ctl/now?t=$T0&rate=-1")" 400

# The collector's way: a process started later, on the shared segment, reads the same clock.
acc_clock_start "$T"
anchor=$(curl -sf -X POST "$URL/_ctl/now?t=$T0&rate=100" | acc_json_int anchor_ns)
sleep 0.3 # the process starts 30 simulated seconds after the clock was set
xns=$((T0 * 1000000000 - (anchor - ACC_R0_NS) * 100))
x=$((xns / 1000000000)).$(printf %09d $((xns % 1000000000)))
set -- $(acc_faked "$x" 100 "$B/accuracy/clockprobe")
server=$(curl -sf "$URL/_ctl/now?real_ns=$2" | acc_json_int now_ns)
diff=$(($1 - server))
[ "${diff#-}" -lt 100000000 ] || fail "probe and server clocks differ by $diff ns"
[ $(($1 - T0 * 1000000000)) -ge 30000000000 ] || fail "the probe's clock did not run from T0"
# A sleep of 20 simulated seconds takes about 0.2 s of real time at rate 100.
t0=$(date +%s%N)
acc_faked "$x" 100 sleep 20
took=$((($(date +%s%N) - t0) / 1000000))
[ "$took" -lt 2000 ] || fail "sleep 20 at rate 100 took $took ms: sleeps are not scaled"
acc_clock_stop

# The request log: one line per answered status request, at the second it was answered for.
curl -sf -X POST "$URL/_ctl/now?t=$((T0 + 60))" >/dev/null
curl -s -o /dev/null -H "Authorization: Bearer tok" "$URL/opt/api/v1/backend/etls/1/status"
curl -s -o /dev/null -H "Authorization: Bearer tok" "$URL/opt/api/v1/backend/etls/7/status"
curl -s -o /dev/null "$URL/opt/api/v1/backend/etls/1/status" # no token: not answered
expect_eq "request log" "$(cat "$T/requests.log")" "$((T0 + 60)) 1
$((T0 + 60)) 7"
echo "accuracy clock ok"
