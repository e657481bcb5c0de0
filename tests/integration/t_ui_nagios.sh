# etlhist-report check under a real scheduler: Debian's Nagios 4, run as the current user with
# everything under $T, runs the command definition of docs/monitoring.md on histories the real
# collector recorded against the fake CO server; the state, output and performance data
# Nagios recorded (status.dat) are OK, WARNING, CRITICAL and UNKNOWN as they should be.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
NAGIOS=${NAGIOS:-/usr/sbin/nagios4}
[ -x "$NAGIOS" ] || fail "$NAGIOS is not installed (make deps installs nagios4-core)"
BASE=1795392000 # 2026-11-23T00:00:00Z

# --- the histories ----------------------------------------------------------------------
cat >"$T/site.scn" <<EOS
token tok
etl 1 name="Hourly fine" period=3600 offset=300 duration=120 outcomes=OK
etl 2 name="Hourly failing" period=3600 offset=600 duration=60 outcomes=ERROR
etl 3 name="Retired at three" period=3600 offset=900 duration=60 outcomes=OK deleted=$((BASE + 10800))
EOS
start_fakeco "$T/site.scn"
secret_file "$T/token" tok
secret_file "$T/wrong" wrong-token
# site.db: a pass every 300 s from 23:00 the day before to 06:00.
DB=$T/site.db
printf '[collect]\ndb = %s\n[instance prod]\nurl = %s\ntoken_file = %s\netls = all\n' \
    "$DB" "$URL" "$T/token" >"$T/site.conf"
i=0
while [ $i -le 84 ]; do
    collect_at $((BASE - 3600 + i * 300)) -c "$T/site.conf" -q
    [ "$RC" -le 1 ] || fail "site: pass $i exited $RC"
    i=$((i + 1))
done
# never.db: every pass refused (a wrong token): the instance was never observed.
DB=$T/never.db
printf '[collect]\ndb = %s\n[instance test]\nurl = %s\ntoken_file = %s\netls = all\n' \
    "$DB" "$URL" "$T/wrong" >"$T/never.conf"
i=0
while [ $i -lt 12 ]; do
    collect_at $((BASE + 30 + i * 300)) -c "$T/never.conf" -q
    i=$((i + 1))
done
expect_eq "never: no successful pass" "$(sql "SELECT count(*) FROM pass WHERE ok = 1")" 0
kill "$FAKECO_PID" && wait "$FAKECO_PID" 2>/dev/null
FAKECO_PID=

# --- Nagios -----------------------------------------------------------------------------
N=$T/nagios
mkdir -p "$N/checkresults"
# The command definition exactly as docs/monitoring.md gives it, with this build's program.
sed -n '/<!-- nagios-commands -->/,/^}/p' "$top/docs/monitoring.md" | sed '1,2d' |
    sed "s|/usr/local/bin/etlhist-report|$B/etlhist-report|" >"$N/commands.cfg"
grep -qF "command_line    $B/etlhist-report check --db \$ARG1\$ \$ARG2\$" "$N/commands.cfg" ||
    fail "docs/monitoring.md: no Nagios command definition: $(cat "$N/commands.cfg")"
W="--until 2026-11-23T06:00:00Z --last 6h"
# service NAME ARGS: a service running check_etlhist with ARGS ($ARG1$!$ARG2$).
service() {
    cat <<EOS
define service {
    host_name etlhist
    contacts nobody
    service_description $1
    check_command check_etlhist!$2
    max_check_attempts 1
    check_interval 3600
    retry_interval 3600
    notification_interval 0
    check_period always
    notification_period always
    notifications_enabled 0
    active_checks_enabled 1
}
EOS
}
{
    cat <<EOS
define timeperiod {
    timeperiod_name always
    alias always
    sunday 00:00-24:00
    monday 00:00-24:00
    tuesday 00:00-24:00
    wednesday 00:00-24:00
    thursday 00:00-24:00
    friday 00:00-24:00
    saturday 00:00-24:00
}
define command {
    command_name host_up
    command_line /bin/true
}
define contact {
    contact_name nobody
    host_notifications_enabled 0
    service_notifications_enabled 0
    host_notification_period always
    service_notification_period always
    host_notification_options n
    service_notification_options n
    host_notification_commands host_up
    service_notification_commands host_up
}
define host {
    host_name etlhist
    contacts nobody
    address 127.0.0.1
    check_command host_up
    max_check_attempts 1
    check_period always
    notification_period always
    notifications_enabled 0
}
EOS
    service ok "$T/site.db!$W --etl 1"
    service warning "$T/site.db!$W --etl 3"
    service critical "$T/site.db!$W"
    service never "$T/never.db!--until 2026-11-23T01:00:00Z"
    service unknown "$T/missing.db!$W"
} >"$N/objects.cfg"
cat >"$N/nagios.cfg" <<EOS
log_file=$N/nagios.log
cfg_file=$N/commands.cfg
cfg_file=$N/objects.cfg
object_cache_file=$N/objects.cache
precached_object_file=$N/objects.precache
status_file=$N/status.dat
status_update_interval=1
nagios_user=$(id -un)
nagios_group=$(id -gn)
check_external_commands=1
command_file=$N/nagios.cmd
lock_file=$N/nagios.lock
temp_file=$N/nagios.tmp
temp_path=$N
check_result_path=$N/checkresults
query_socket=$N/nagios.qh
retain_state_information=0
state_retention_file=$N/retention.dat
use_syslog=0
enable_notifications=0
interval_length=1
service_inter_check_delay_method=n
host_inter_check_delay_method=n
max_service_check_spread=1
check_result_reaper_frequency=1
service_check_timeout=30
enable_flap_detection=0
illegal_macro_output_chars=\`~\$&|'"<>
process_performance_data=0
check_for_updates=0
EOS
"$NAGIOS" -v "$N/nagios.cfg" >"$T/verify.out" 2>&1 || fail "nagios -v: $(grep -i error "$T/verify.out" | head -5)"
"$NAGIOS" "$N/nagios.cfg" >"$T/nagios.out" 2>&1 &
NAGIOS_PID=$!
trap 'kill "$NAGIOS_PID" 2>/dev/null; wait "$NAGIOS_PID" 2>/dev/null; cleanup' EXIT INT TERM

# status FIELD SERVICE: the field of the service's servicestatus block in status.dat.
status() {
    awk -v want="$2" -v field="$1" '
        /^servicestatus \{/ { inblock = 1; svc = ""; value = ""; next }
        inblock && /^\t}/ { if (svc == want) print value; inblock = 0; next }
        inblock { line = $0; sub(/^\t/, "", line); k = line; sub(/=.*/, "", k)
                  v = substr(line, length(k) + 2)
                  if (k == "service_description") svc = v
                  if (k == "ETLHIST_NONE") next
                  if (k == field) value = v }' "$N/status.dat" 2>/dev/null
}

# Ask for every check now, then wait until Nagios recorded them all.
i=0
while [ ! -p "$N/nagios.cmd" ]; do
    i=$((i + 1))
    [ $i -gt 200 ] && fail "nagios did not start: $(tail -5 "$N/nagios.log" "$T/nagios.out")"
    sleep 0.1
done
now=$(date +%s)
for svc in ok warning critical never unknown; do
    printf '[%s] SCHEDULE_FORCED_SVC_CHECK;etlhist;%s;%s\n' "$now" "$svc" "$now" >"$N/nagios.cmd"
done
i=0
for svc in ok warning critical never unknown; do
    while [ "$(status has_been_checked "$svc")" != 1 ]; do
        i=$((i + 1))
        [ $i -gt 600 ] && fail "nagios did not check $svc: $(tail -5 "$N/nagios.log")"
        sleep 0.1
    done
done

# expect_service NAME STATE OUTPUT-START: the state and the start of the first line.
expect_service() {
    expect_eq "$1: state" "$(status current_state "$1")" "$2"
    case "$(status plugin_output "$1")" in
    "$3"*) ;;
    *) fail "$1: plugin_output [$(status plugin_output "$1")], want [$3...]" ;;
    esac
}
expect_service ok 0 "ETLHIST OK - 1 ETL on 1 instance, nothing needs attention"
expect_service warning 1 "ETLHIST WARNING - 1 ETL deleted"
expect_service critical 2 "ETLHIST CRITICAL - 1 ETL failing, 1 ETL deleted"
expect_service never 2 "ETLHIST CRITICAL - collector never observed on test"
expect_service unknown 3 "ETLHIST UNKNOWN - database $T/missing.db: cannot open"

perf() {
    status performance_data "$1"
}
expect_eq "ok: performance data" "$(perf ok)" \
    "never_observed=0;;0;0 stale=0;;0;0 deleted=0;0;;0 failing=0;;0;0 overdue=0;0;;0 missed=0;0;;0 unscheduled=0;0;;0 late=0;0;;0 failure_rate=0;;;0 abort_rate=0;;;0 gaps=0;;;0 coverage=100.0%;;;0;100 silenced=0;;;0"
case "$(perf critical)" in
*" deleted=1;0;;0 failing=1;;0;0 "*) ;;
*) fail "critical: performance data [$(perf critical)]" ;;
esac
case "$(perf never)" in
"never_observed=1;;0;0 "*) ;;
*) fail "never: performance data [$(perf never)]" ;;
esac
expect_eq "unknown: no performance data" "$(perf unknown)" ""
# The Needs attention lines come as the long output (Nagios keeps its line breaks as \n).
case "$(status long_plugin_output critical)" in
*"Retired at three (id 3, prod): deleted from CO: gone by 2026-11-23 03:00"*'\n'*"Hourly failing (id 2, prod): failing: the last "*) ;;
*) fail "critical: long output [$(status long_plugin_output critical)]" ;;
esac
echo "nagios ok"
