# [silence NAME] sections: within a silence the verdicts it names are not raised (not in
# Needs attention, not in check, not in --fail-on) but listed under "Silenced" with the
# reason and counted; runs and failures are still reported; an expired silence is said to
# have expired; a silence without reason, with until before from, or with a bad weekly form
# is a configuration error naming file and line, for the report and the collector alike.
. "$(dirname "$0")/lib.sh"
BASE=1795392000 # Monday 2026-11-23T00:00:00Z
R=$B/etlhist-report
W="--since 2026-11-23T00:00:00Z --until 2026-11-23T06:00:00Z --tz UTC"

# ETL 1 starts hourly at :05 but not at 02:05: a missed start.
starts=$(awk -v b=$BASE 'BEGIN { for (t = b - 17700; t <= b + 25500; t += 3600)
    if (t != b + 7500) printf "%s%d", (n++ ? "," : ""), t }')
cat >"$T/site.scn" <<EOS
token tok
etl 1 name="Hourly fine" starts=$starts duration=120 outcomes=OK
etl 2 name="Hourly failing" period=3600 offset=600 duration=60 outcomes=ERROR
etl 3 name="Retired at three" period=3600 offset=900 duration=60 outcomes=OK deleted=$((BASE + 10800))
EOS
start_fakeco "$T/site.scn"
secret_file "$T/token" tok
DB=$T/site.db
printf '[collect]\ndb = %s\n[instance prod]\nurl = %s\ntoken_file = %s\netls = all\n' \
    "$DB" "$URL" "$T/token" >"$T/site.conf"
i=0
while [ $i -le 120 ]; do
    collect_at $((BASE - 14400 + i * 300)) -c "$T/site.conf" -q
    [ "$RC" -le 1 ] || fail "pass $i exited $RC"
    i=$((i + 1))
done

# run ARGS...: etlhist-report with the configuration $CONF; exit code in RC.
run() {
    set +e
    ETLHIST_CONFIG=$CONF "$R" "$@" >"$T/out" 2>"$T/err"
    RC=$?
    set -e
}
# attention FILE: the text report's Needs attention and Silenced blocks, one item a line.
blocks() {
    sed -n '/^Needs attention\|^Silenced\|^Nothing needs/,/^$/p' "$1" |
        awk '/^    [^ -]/ { sub(/^ +/, ""); line = line " " $0; next }
             { if (line != "") print line; line = $0 } END { if (line != "") print line }'
}

CONF=$T/none.conf
# shellcheck disable=SC2086 # W is a list of words
run summary --db "$DB" $W
blocks "$T/out" >"$T/plain.attn"
grep -q '^Needs attention (3):$' "$T/plain.attn" || fail "without silences: $(cat "$T/plain.attn")"
grep -q '(id 1, prod): 1 missed run (expected start with no run), the first at 2026-11-23 02:05' \
    "$T/plain.attn" || fail "the missed start is not named: $(cat "$T/plain.attn")"

# A weekly maintenance on Monday 01:30-02:30 (UTC: the instance has no tz) silences the
# missed 02:05; the retired ETL's deletion is silenced for that day.
cat >"$T/quiet.conf" <<'EOS'
[silence maintenance]
instance = prod
weekly = Mon 01:30-02:30
reason = DB maintenance window

[silence retired]
instance = prod
etls = 3
kinds = deleted
from = 2026-11-23T00:00Z
until = 2026-11-24T00:00Z
reason = retired on purpose
EOS
CONF=$T/quiet.conf
# shellcheck disable=SC2086
run summary --db "$DB" $W
expect_eq "silenced: exit" "$RC" 0
blocks "$T/out" >"$T/quiet.attn"
expect_eq "silenced: what needs attention and what was silenced" "$(cat "$T/quiet.attn")" \
    "$(printf '%s\n' 'Needs attention (1):' \
        '  - Hourly failing (id 2, prod): failing: the last 11 finished runs failed (latest ERROR), since 2026-11-22 19:10; 6 of 6 finished runs in the window failed' \
        'Silenced (2):' \
        '  - Retired at three (id 3, prod): deleted from CO: gone by 2026-11-23 03:00 (the first poll that found it missing); silenced by retired: retired on purpose' \
        '  - Hourly fine (id 1, prod): 1 missed run (expected start with no run), the first at 2026-11-23 02:05; silenced by maintenance: DB maintenance window')"
grep -q 'warning: silence retired (instance prod) has expired: it silences nothing now' "$T/err" ||
    fail "the expired silence is not said: $(cat "$T/err")"
grep -q 'maintenance' "$T/err" && fail "a weekly silence said to have expired: $(cat "$T/err")"
# Runs and failures are still reported; the missed column leaves the silenced start out.
# shellcheck disable=SC2086
run summary --db "$DB" $W -f csv --no-header
expect_eq "csv: ETL 1 runs, missed" "$(tr -d '\r' <"$T/out" | awk -F, '$2 == 1' | cut -d, -f4,20)" "5,0"
expect_eq "csv: ETL 2 failed runs" "$(tr -d '\r' <"$T/out" | awk -F, '$2 == 2' | cut -d, -f7)" 6
# shellcheck disable=SC2086
run summary --db "$DB" $W -o /dev/null --fail-on 'missed>0'
expect_eq "--fail-on missed>0 within the silence" "$RC" 0
CONF=$T/none.conf
# shellcheck disable=SC2086
run summary --db "$DB" $W -o /dev/null --fail-on 'missed>0'
expect_eq "--fail-on missed>0 without it" "$RC" 1
CONF=$T/quiet.conf
# shellcheck disable=SC2086
run summary --db "$DB" $W -f json
grep -q '"silence":"retired"' "$T/out" || grep -q '"silence": "retired"' "$T/out" ||
    fail "json: no silenced list: $(cat "$T/out")"
# A known, ticketed failure: ETL 2's streak is silenced; the row keeps its streak (a silence
# hides no data) but --fail-on on it does not fire, and it does without the silence.
cat "$T/quiet.conf" >"$T/ticket.conf"
cat >>"$T/ticket.conf" <<'EOS'

[silence ticket]
instance = prod
etls = 2
kinds = failing
from = 2026-11-22T00:00Z
until = 2026-11-30T00:00Z
reason = INC-4711, vendor fix due
EOS
CONF=$T/ticket.conf
# shellcheck disable=SC2086
run summary --db "$DB" $W -f csv --no-header --fail-on 'failure_streak>0'
expect_eq "--fail-on failure_streak>0 within the ticket's silence" "$RC" 0
[ "$(tr -d '\r' <"$T/out" | awk -F, '$2 == 2' | cut -d, -f17)" -gt 0 ] ||
    fail "the silenced ETL's row lost its streak: $(cat "$T/out")"
CONF=$T/quiet.conf
# shellcheck disable=SC2086
run summary --db "$DB" $W -o /dev/null --fail-on 'failure_streak>0'
expect_eq "--fail-on failure_streak>0 without it" "$RC" 1
# The HTML page (and so the mail's HTML part) lists them too, with their reasons.
# shellcheck disable=SC2086
run summary --db "$DB" $W -f html
grep -q '<section class="attention clear" id="silenced"><h2[^>]*>Silenced (2)</h2>' "$T/out" ||
    fail "html: no silenced list"
grep -q 'silenced by maintenance: DB maintenance window</li>' "$T/out" || fail "html: no reason"
# shellcheck disable=SC2086
run summary --db "$DB" $W -f mail --to ops@example.com
grep -q 'Silenced (2)' "$T/out" || fail "mail: no silenced list"
# check: the silenced verdicts do not count, and are counted as silenced.
# shellcheck disable=SC2086
run check --db "$DB" $W
expect_eq "check: still CRITICAL (failing)" "$RC" 2
grep -q '^ETLHIST CRITICAL - 1 ETL failing | .* deleted=0;0;;0 .* missed=0;0;;0 .* silenced=2;;;0$' "$T/out" ||
    fail "check: $(head -n 1 "$T/out")"
grep -q '^Silenced (2):$' "$T/out" || fail "check: no Silenced lines: $(cat "$T/out")"
# A silence of the failing ETL from 05:00 covers the window's end: all is OK.
cat "$T/quiet.conf" >"$T/all.conf"
printf '\n[silence fix]\ninstance = prod\netls = 2\nkinds = failing\nfrom = 2026-11-23T05:00Z\nuntil = 2026-11-23T07:00Z\nreason = fix deployed at 07:00\n' >>"$T/all.conf"
CONF=$T/all.conf
# shellcheck disable=SC2086
run check --db "$DB" $W
expect_eq "check: all silenced, OK" "$RC" 0
case "$(head -n 1 "$T/out")" in
"ETLHIST OK - 3 ETLs on 1 instance, nothing needs attention, 3 silenced | "*) ;;
*) fail "check OK line: $(head -n 1 "$T/out")" ;;
esac
# ... but not a window ending before it began.
run check --db "$DB" --since 2026-11-23T00:00:00Z --until 2026-11-23T04:00:00Z
expect_eq "check: before the silence, CRITICAL" "$RC" 2
# A silence of other kinds leaves failing alone.
sed 's/^kinds = failing$/kinds = missed, late/' "$T/all.conf" >"$T/other.conf"
CONF=$T/other.conf
# shellcheck disable=SC2086
run check --db "$DB" $W
expect_eq "check: kinds other than failing" "$RC" 2

# Configuration errors: file and line, exit 2 (the collector too), UNKNOWN for check.
bad() {
    printf '[collect]\ndb = %s\n\n[silence broken]\ninstance = prod\n%b\n' "$DB" "$2" >"$T/bad.conf"
    CONF=$T/bad.conf
    run summary --db "$DB" $W
    expect_eq "$1: report exit" "$RC" 2
    grep -q "config $T/bad.conf:$3: \[silence broken\] $4" "$T/err" || fail "$1: $(cat "$T/err")"
    run check --db "$DB" $W
    expect_eq "$1: check exit" "$RC" 3
    grep -q "^ETLHIST UNKNOWN - config $T/bad.conf:$3: " "$T/out" || fail "$1: check: $(cat "$T/out")"
    set +e
    "$B/etlhist-collect" -c "$T/bad.conf" --print-config >/dev/null 2>"$T/err"
    RC=$?
    set -e
    expect_eq "$1: collector exit" "$RC" 2
    grep -q "config $T/bad.conf:$3: \[silence broken\] $4" "$T/err" || fail "$1: collector: $(cat "$T/err")"
}
bad "no reason" "weekly = Sun 02:00-04:00" 4 "no reason"
bad "until before from" "from = 2026-11-23T04:00\nuntil = 2026-11-23T02:00\nreason = x" 4 \
    "until is not after from"
bad "bad weekly" "weekly = Sunday 2-4\nreason = x" 6 "weekly: bad form"
bad "unknown kind" "weekly = Sun 02:00-04:00\nkinds = missed, broken\nreason = x" 7 \
    "kinds: unknown \"broken\""
# A valid silence does not trouble the collector.
cat "$T/site.conf" "$T/quiet.conf" >"$T/both.conf"
set +e
"$B/etlhist-collect" -c "$T/both.conf" --print-config >/dev/null 2>"$T/err"
RC=$?
set -e
expect_eq "collector with silences" "$RC" 0
echo "silences ok"
