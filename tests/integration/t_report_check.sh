# etlhist-report check as a monitoring plugin, run directly: its state from the Needs
# attention list of a history the real collector recorded, -w/-c thresholds, --instance and
# --etl splitting the check, and every error (usage, database, configuration, timeout)
# UNKNOWN (3) with one line on standard output.
. "$(dirname "$0")/lib.sh"
BASE=1795392000 # 2026-11-23T00:00:00Z
R=$B/etlhist-report
W="--until 2026-11-23T06:00:00Z --last 6h"

cat >"$T/site.scn" <<EOS
token tok
etl 1 name="Hourly fine" period=3600 offset=300 duration=120 outcomes=OK
etl 2 name="Hourly failing" period=3600 offset=600 duration=60 outcomes=ERROR
EOS
start_fakeco "$T/site.scn"
secret_file "$T/token" tok
DB=$T/site.db
printf '[collect]\ndb = %s\n[instance prod]\nurl = %s\ntoken_file = %s\netls = all\n' \
    "$DB" "$URL" "$T/token" >"$T/site.conf"
i=0
while [ $i -le 84 ]; do
    collect_at $((BASE - 3600 + i * 300)) -c "$T/site.conf" -q
    [ "$RC" -le 1 ] || fail "pass $i exited $RC"
    i=$((i + 1))
done

# check ARGS...: the plugin's exit code in RC, its output in $T/out, stderr in $T/err.
check() {
    set +e
    "$R" check "$@" >"$T/out" 2>"$T/err"
    RC=$?
    set -e
}
first() {
    head -n 1 "$T/out"
}

# shellcheck disable=SC2086 # W is a list of words
check --db "$DB" $W
expect_eq "failing: CRITICAL" "$RC" 2
case "$(first)" in
"ETLHIST CRITICAL - 1 ETL failing | "*"failing=1;;0;0 "*"coverage=100.0%;;;0;100 silenced=0;;;0") ;;
*) fail "failing: status line [$(first)]" ;;
esac
expect_eq "failing: the attention line follows" "$(sed -n 2p "$T/out" | cut -c1-60)" \
    "Hourly failing (id 2, prod): failing: the last 8 finished ru"
# shellcheck disable=SC2086
check --db "$DB" $W -w failing=0 -c failing=5
expect_eq "-w failing=0 -c failing=5: WARNING" "$RC" 1
grep -q ' failing=1;0;5;0 ' "$T/out" || fail "thresholds not in the performance data: $(first)"
# shellcheck disable=SC2086
check --db "$DB" $W --critical failing= --warning failing=
expect_eq "thresholds removed: OK" "$RC" 0
expect_eq "OK line" "$(first | cut -d'|' -f1)" "ETLHIST OK - 2 ETLs on 1 instance, 1 item below the thresholds "
# shellcheck disable=SC2086
check --db "$DB" $W --etl 1
expect_eq "--etl 1: OK" "$RC" 0
# shellcheck disable=SC2086
check --db "$DB" $W --instance prod --etl 2
expect_eq "--instance prod --etl 2: CRITICAL" "$RC" 2
# shellcheck disable=SC2086
check --db "$DB" $W -c coverage=100.1:
expect_eq "coverage below 100.1: CRITICAL" "$RC" 2
first | grep -q 'coverage 100.0 %' || fail "coverage not named: $(first)"
# The default window is the last day before now: nothing ran in it, but the ETLs are known
# and the collector stopped long ago, so the instance is stale.
check --db "$DB"
expect_eq "default window: CRITICAL" "$RC" 2
first | grep -q '^ETLHIST CRITICAL - collector stale on prod' || fail "default window: $(first)"

# Every error is UNKNOWN, one line on standard output.
unknown() {
    expect_eq "$1: exit" "$RC" 3
    expect_eq "$1: one line" "$(wc -l <"$T/out")" 1
    case "$(first)" in
    "ETLHIST UNKNOWN - $2"*) ;;
    *) fail "$1: [$(first)], want [ETLHIST UNKNOWN - $2...]" ;;
    esac
}
check --db "$T/missing.db"
unknown "missing database" "database $T/missing.db: cannot open"
sqlite3 "$T/new.db" "PRAGMA user_version = 99; CREATE TABLE x (y);"
check --db "$T/new.db"
unknown "newer schema" "database $T/new.db: schema version 99 is newer"
check --db "$DB" --bogus
unknown "bad option" "unknown option --bogus"
check --db "$DB" -w failing=9:1
unknown "bad range" "--warning: range \"9:1\": expected [@]START:END"
check --db "$DB" --last 1x
unknown "bad span" "--last: bad span"
check --db "$DB" --instance nope
unknown "nothing matches" "nothing to check: no instance or ETL matches the options"
set +e
ETLHIST_CONFIG=$T/absent.conf "$R" check >"$T/out" 2>"$T/err"
RC=$?
set -e
unknown "no configuration" "no database given: use --db FILE, or db = FILE in $T/absent.conf"
# A database that never answers (a FIFO: opening it waits for a writer): --timeout.
mkfifo "$T/fifo.db"
check --db "$T/fifo.db" --timeout 1
unknown "timeout" "no result within 1 s (--timeout)"
check --help
expect_eq "--help: exit 0" "$RC" 0
grep -q '^Usage: etlhist-report check' "$T/out" || fail "--help"
echo "report check ok"
