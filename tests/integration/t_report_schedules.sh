# Schedules on real clocks, recorded by the real collector from the fake CO server:
# a daily 02:00 Europe/Berlin ETL and a 4-hourly UTC one across the spring change of
# 2026-03-29, polled hourly; an hourly ETL with manual runs and one left ENDED during a
# collector outage, polled every 300 s. Checks what schedule, missed, runs and summary say.
. "$(dirname "$0")/lib.sh"

DAY=86400
berlin() { TZ=Europe/Berlin date -d "$1" +%s; }
csvrow() { tr -d '\r' <"$1" | awk -F, -v id="$2" '$2 == id'; }
field() { csvrow "$1" "$2" | cut -d, -f"$3"; }
lastfield() { csvrow "$1" "$2" | awk -F, '{ print $NF }'; }

# report NAME ARGS...: the report as CSV in $T/NAME.csv; its exit code in RC.
report() {
    name=$1
    shift
    set +e
    "$B/etlhist-report" "$@" -f csv -o "$T/$name.csv" 2>"$T/$name.err"
    RC=$?
    set -e
}

# passes CONF FROM STEP COUNT [SKIP_FROM SKIP_UNTIL]: collector passes every STEP seconds.
passes() {
    i=0
    while [ "$i" -lt "$4" ]; do
        t=$(($2 + i * $3))
        i=$((i + 1))
        [ -n "${5:-}" ] && [ "$t" -ge "$5" ] && [ "$t" -lt "$6" ] && continue
        collect_at "$t" -c "$1" -q
        [ "$RC" -le 1 ] || fail "collector pass at $t exited $RC: $(tail -n 1 "$T/collect.err")"
    done
}

stop_fakeco() {
    kill "$FAKECO_PID" 2>/dev/null && wait "$FAKECO_PID" 2>/dev/null
    FAKECO_PID=
}

# ---- Berlin daily and UTC 4-hourly, 2026-03-10 to 2026-04-08, polled hourly ----
A=$(date -u -d 2026-03-10 +%s)
starts= d=0
while [ $d -lt 29 ]; do
    day=$(date -u -d "@$((A + d * DAY))" +%F)
    d=$((d + 1))
    [ "$day" = 2026-04-05 ] && continue # the scheduler skipped it; a manual run at 15:00
    # 02:00 does not exist on 2026-03-29: a wall-clock scheduler fires at 03:00 CEST
    if [ "$day" = 2026-03-29 ]; then
        starts="$starts,$(date -u -d "$day 01:00" +%s)"
    else
        starts="${starts:+$starts,}$(berlin "$day 02:00")"
    fi
    [ "$day" = 2026-04-04 ] && starts="$starts,$(berlin "2026-04-05 15:00")"
done
cat >"$T/a.scn" <<EOF
token t-a
etl 1 name="Berlin daily 02:00" starts=$starts duration=600 task=101
etl 2 name="UTC every 4 hours" period=14400 offset=3600 duration=120 task=102
EOF
CLOCK=$A start_fakeco "$T/a.scn"
secret_file "$T/token" t-a
printf '[collect]\ndb = %s\ninterval = 3600\n[instance a]\nurl = %s\ntoken_file = %s\netls = 1, 2\n' \
    "$T/a.db" "$URL" "$T/token" >"$T/a.conf"
passes "$T/a.conf" $((A + 30)) 3600 $((29 * 24))
stop_fakeco
WA="--db $T/a.db --since 2026-03-20T00:00:00Z --until 2026-04-08T00:00:00Z"

# shellcheck disable=SC2086
report schedule schedule $WA --tz Europe/Berlin
expect_eq "schedule exit" "$RC" 0
# kind, period, offset (02:00 on the wall clock), late, missed, manual, clock
expect_eq "Berlin daily schedule" "$(field "$T/schedule.csv" 1 4-6),$(field "$T/schedule.csv" 1 9-10)" \
    "periodic,86400,7200,0,1"
expect_eq "Berlin daily manual, clock" "$(csvrow "$T/schedule.csv" 1 | cut -d, -f14-15)" \
    "1,Europe/Berlin"
expect_eq "UTC 4-hourly schedule" "$(csvrow "$T/schedule.csv" 2 | cut -d, -f4-6,9-10,14-15)" \
    "periodic,14400,3600,0,0,0,UTC"
# shellcheck disable=SC2086
report missed missed $WA --tz Europe/Berlin
expect_eq "missed exit" "$RC" 0
# 02:00 CEST, in UTC like every *_utc column
expect_eq "the skipped 02:00 is missed" "$(tr -d '\r' <"$T/missed.csv" | sed 1d | cut -d, -f2,4-5)" \
    "1,2026-04-05T00:00:00,86400"
# shellcheck disable=SC2086
report runs runs $WA --tz Europe/Berlin
expect_eq "runs exit" "$RC" 0
# Every daily run is on time at 02:00 local, before and after the change; the 15:00 run
# (13:00 UTC) is manual, not late.
expect_eq "daily delays" "$(csvrow "$T/runs.csv" 1 | awk -F, '$16 == 0 { print $13 }' | sort -u | tr '\n' ' ')" "0 "
expect_eq "daily late" "$(csvrow "$T/runs.csv" 1 | cut -d, -f15 | sort -u | tr '\n' ' ')" "0 "
expect_eq "the 15:00 run" "$(csvrow "$T/runs.csv" 1 | grep ',2026-04-05T13:00:00,' | cut -d, -f15-16)" \
    "0,1"
expect_eq "daily manual runs" "$(csvrow "$T/runs.csv" 1 | awk -F, '$16 == 1' | wc -l)" 1
expect_eq "4-hourly late" "$(csvrow "$T/runs.csv" 2 | cut -d, -f15-16 | sort -u | tr '\n' ' ')" "0,0 "
# shellcheck disable=SC2086
report summary summary $WA --tz Europe/Berlin --fail-on 'missed>0'
expect_eq "summary with a missed start exits 1" "$RC" 1
expect_eq "Berlin daily summary late, missed, manual" \
    "$(field "$T/summary.csv" 1 19-20),$(lastfield "$T/summary.csv" 1)" "0,1,1"
# Without a zone the daily ETL is read on UTC: its runs move by an hour at the change.
# shellcheck disable=SC2086
report schedule_utc schedule $WA
expect_eq "Berlin daily on UTC" "$(field "$T/schedule_utc.csv" 1 15)" UTC
expect_eq "UTC 4-hourly on UTC" "$(field "$T/schedule_utc.csv" 2 15)" UTC
# The instance's own zone (what the collector stores from its section's tz = Europe/Berlin)
# is the wall clock without --tz, and wins over another --tz.
cp "$T/a.db" "$T/zoned.db"
sqlite3 "$T/zoned.db" "UPDATE instance SET tz = 'Europe/Berlin'"
report schedule_zoned schedule --db "$T/zoned.db" --since 2026-03-20T00:00:00Z \
    --until 2026-04-08T00:00:00Z --tz America/New_York
expect_eq "Berlin daily on the instance's zone" "$(field "$T/schedule_zoned.csv" 1 15)" Europe/Berlin
expect_eq "UTC 4-hourly stays UTC" "$(field "$T/schedule_zoned.csv" 2 15)" UTC

# ---- hourly with manual runs, and one left ENDED in an outage, polled every 300 s ----
H=$A
hourly= manual= ended= outside= byhand= h=0
while [ $h -lt 48 ]; do
    hourly="${hourly:+$hourly,}$((H + h * 3600))"
    case $h in
    26) hourly="$hourly,$((H + h * 3600 + 1200))" ;;
    28) hourly="$hourly,$((H + h * 3600 + 2100))" ;;
    30) hourly="$hourly,$((H + h * 3600 + 3000))" ;;
    31) hourly="$hourly,$((H + h * 3600 + 2400))" ;;
    33) hourly="$hourly,$((H + h * 3600 + 900))" ;;
    esac
    [ $h -le 35 ] && ended="${ended:+$ended,}$((H + h * 3600 + 600))"
    outside="${outside:+$outside,}$((H + h * 3600 + 1500))"
    [ $h -le 10 ] && byhand="${byhand:+$byhand,}$((H + h * 3600 + 300))"
    h=$((h + 1))
done
byhand="$byhand,$((H + 34 * 3600 + 300))" # "Run now" the next day, long after it was unscheduled
cat >"$T/b.scn" <<EOF
token t-b
etl 3 name="Hourly with manual runs" starts=$hourly duration=120 task=103
etl 4 name="Left ENDED in an outage" starts=$ended duration=120 ended_from=$((H + 35 * 3600 + 1800)) task=104
etl 5 name="Started hourly from outside CO" starts=$outside duration=120 ended_from=$H task=105
etl 6 name="Unscheduled, then run by hand" starts=$byhand duration=120 ended_from=$((H + 10 * 3600 + 1800)) task=106
EOF
CLOCK=$H start_fakeco "$T/b.scn"
secret_file "$T/token" t-b
printf '[collect]\ndb = %s\ninterval = 300\n[instance b]\nurl = %s\ntoken_file = %s\netls = 3, 4, 5, 6\n' \
    "$T/b.db" "$URL" "$T/token" >"$T/b.conf"
# The collector is down from 11:00 to 14:00 on the second day.
passes "$T/b.conf" $((H + 30)) 300 $((48 * 12)) $((H + 35 * 3600)) $((H + 38 * 3600))
stop_fakeco
WB="--db $T/b.db --since 2026-03-11T00:00:00Z --until 2026-03-12T00:00:00Z --tz UTC"

# shellcheck disable=SC2086
report hourly schedule $WB
expect_eq "hourly schedule exit" "$RC" 0
expect_eq "hourly with manual runs" "$(csvrow "$T/hourly.csv" 3 | cut -d, -f4-6,9-10,14-15)" \
    "periodic,3600,0,0,0,5,UTC"
# Left ENDED after its 11:10 run (never seen running, so it may have ended at once), seen
# ENDED first at 14:00: unscheduled since 11:10, not since the first poll after the outage.
expect_eq "left ENDED" "$(csvrow "$T/hourly.csv" 4 | cut -d, -f4,13)" "unscheduled,2026-03-11T11:10:00"
# shellcheck disable=SC2086
report hourly_runs runs $WB
expect_eq "manual runs" "$(csvrow "$T/hourly_runs.csv" 3 | awk -F, '$16 == 1 { print $5 }' | tr '\n' ' ')" \
    "2026-03-11T02:20:00 2026-03-11T04:35:00 2026-03-11T06:50:00 2026-03-11T07:40:00 2026-03-11T09:15:00 "
expect_eq "no late hourly run" "$(csvrow "$T/hourly_runs.csv" 3 | awk -F, '$15 == 1' | wc -l)" 0
# shellcheck disable=SC2086
report hourly_summary summary $WB --fail-on 'manual>4'
expect_eq "summary with 5 manual runs exits 1" "$RC" 1
expect_eq "hourly summary late, missed, manual" \
    "$(field "$T/hourly_summary.csv" 3 19-20),$(lastfield "$T/hourly_summary.csv" 3)" "0,0,5"
# shellcheck disable=SC2086
report hourly_missed missed $WB
expect_eq "hourly missed exit" "$RC" 0
expect_eq "nothing missed" "$(tr -d '\r' <"$T/hourly_missed.csv" | sed 1d | wc -l)" 0
# Needs attention names the ETL that stopped being scheduled in the window it stopped in,
# with the rhythm it had, and not the one still running hourly; in a later window, observed
# throughout, it is old news (the schedule report still says since when).
# shellcheck disable=SC2086
"$B/etlhist-report" summary $WB -f json -o "$T/hourly_attention.json"
expect_eq "no longer scheduled" \
    "$(jq -r '.attention[] | select(.kind == "unscheduled") | [.etl_id, .since] | @tsv' "$T/hourly_attention.json")" \
    "$(printf '4\t2026-03-11T11:10:00Z')"
jq -r '.attention[] | select(.kind == "unscheduled") | .text' "$T/hourly_attention.json" |
    grep -q 'no longer scheduled: left ENDED after 2026-03-11 11:10, not rescheduled (it started every 1h00m before)' ||
    fail "no longer scheduled: $(jq -r '.attention[].text' "$T/hourly_attention.json")"
"$B/etlhist-report" summary --db "$T/b.db" --since 2026-03-11T18:00:00Z --until 2026-03-12T00:00:00Z \
    --tz UTC -f json -o "$T/later_attention.json"
expect_eq "a later window's attention kinds" \
    "$(jq -r '[.attention[].kind] | join(" ")' "$T/later_attention.json")" ""
# unscheduled KEY SINCE UNTIL: the ETL ids named "no longer scheduled" over [SINCE, UNTIL).
unscheduled() {
    "$B/etlhist-report" summary --db "$T/b.db" --since "$2" --until "$3" --tz UTC -f json \
        -o "$T/$1.json" || fail "summary $2 $3"
    jq -r '[.attention[] | select(.kind == "unscheduled") | .etl_id] | join(" ")' "$T/$1.json"
}
# ETL 4 was unscheduled at 11:30, while the collector was down (11:00 to 14:00): the window
# that holds the first ENDED poll (14:00) names it, though the bound (11:10) is before it;
# the window before, whose last poll saw it WAITING, does not.
expect_eq "unscheduled in an outage, the window after" \
    "$(unscheduled after 2026-03-11T12:00:00Z 2026-03-12T00:00:00Z)" 4
expect_eq "unscheduled in an outage, the window before" \
    "$(unscheduled before 2026-03-11T00:00:00Z 2026-03-11T12:00:00Z)" ""
# Started from outside CO, never WAITING, ENDED after every run: never named. Unscheduled on
# the first day and run by hand the next: named the first day only.
expect_eq "first day" "$(unscheduled day1 2026-03-10T00:00:00Z 2026-03-11T00:00:00Z)" 6
expect_eq "second day" "$(unscheduled day2 2026-03-11T00:00:00Z 2026-03-12T00:00:00Z)" 4
echo "report schedules ok"
