# What runs unattended or in a terminal: --fail-on for monitoring checks (exit 1, one line
# per ETL on stderr, the report still written), the progress line (on a terminal only, for
# reports over a second, never in the way of the report), and the README's weekly-mail
# recipe (docs/examples/etlhist-weekly-mail, quoted in README.md) run as written, with a
# stand-in sendmail.
. "$(dirname "$0")/lib.sh"
UI=$(cd "$(dirname "$0")/../ui" && pwd)
MAIL_SCRIPT=$(cd "$(dirname "$0")/../../docs/examples" && pwd)/etlhist-weekly-mail
. "$(cd "$(dirname "$0")/../golden" && pwd)/record.sh"
record_golden_db
R="$B/etlhist-report"

# failon NAME ARGS...: runs the report with ARGS; exit code in RC, stderr in $T/NAME.err.
failon() {
    name=$1
    shift
    set +e
    "$R" "$@" >"$T/$name.out" 2>"$T/$name.err"
    RC=$?
    set -e
}

# shellcheck disable=SC2086
"$R" summary $W -f csv -o "$T/plain.csv"
# shellcheck disable=SC2086
failon rate summary $W -f csv -o "$T/rate.csv" --fail-on 'failure_rate_pct>10'
expect_eq "failure_rate_pct>10 exit" "$RC" 1
cmp "$T/plain.csv" "$T/rate.csv" || fail "--fail-on changed the report"
printf '%s\n' \
    'etlhist-report: golden etl 10 (Hourly - every third fails): failure_rate_pct 33.3 > 10' \
    'etlhist-report: golden etl 80 (=SUM(1+1) "q", <script>alert(1)</script> Ünïcødé): failure_rate_pct 50.0 > 10' \
    >"$T/rate.want"
diff -u "$T/rate.want" "$T/rate.err" || fail "failure_rate_pct>10 lines"

# Several conditions, comma-separated and repeated; each ETL once, with all it crossed.
# shellcheck disable=SC2086
failon several summary $W -o /dev/null --fail-on 'failure_rate_pct > 10, coverage_pct<95' \
    --fail-on 'failure_streak>=2'
expect_eq "several exit" "$RC" 1
printf '%s\n' \
    'etlhist-report: golden etl 10 (Hourly - every third fails): failure_rate_pct 33.3 > 10' \
    'etlhist-report: golden etl 20 (Daily - aborts): failure_streak 2 >= 2' \
    'etlhist-report: golden etl 50 (Server outage 10:00-13:00): coverage_pct 86.8 < 95' \
    'etlhist-report: golden etl 70 (Deleted at noon): coverage_pct 49.7 < 95' \
    'etlhist-report: golden etl 80 (=SUM(1+1) "q", <script>alert(1)</script> Ünïcødé): failure_rate_pct 50.0 > 10' \
    >"$T/several.want"
diff -u "$T/several.want" "$T/several.err" || fail "several conditions"

# Edges: nothing crossed is exit 0 and silence; >= includes the threshold; an unknown rate
# (ETLs 40 and 60 never finished a run) crosses nothing while 0.0 (20: only aborted) does;
# == and != on counts.
# shellcheck disable=SC2086
failon none summary $W -o /dev/null --fail-on 'failure_rate_pct>50'
expect_eq "none exit" "$RC" 0
expect_eq "none stderr" "$(cat "$T/none.err")" ""
# shellcheck disable=SC2086
failon ge summary $W -o /dev/null --fail-on 'failure_rate_pct>=50.0'
expect_eq "ge" "$RC:$(cut -d' ' -f2-4 "$T/ge.err")" "1:golden etl 80"
# shellcheck disable=SC2086
failon low summary $W -o /dev/null --fail-on 'failure_rate_pct<1'
expect_eq "unknown rates" "$(cut -d' ' -f4 "$T/low.err" | tr '\n' ' ')" "20 30 50 70 "
# shellcheck disable=SC2086
failon eq summary $W -o /dev/null --fail-on 'runs==12'
expect_eq "runs==12" "$(cut -d' ' -f4 "$T/eq.err" | tr '\n' ' ')" "30 70 "
# shellcheck disable=SC2086
failon ne summary $W -o /dev/null --fail-on 'unknown!=0'
expect_eq "unknown!=0" "$RC" 0
# Reports with a row per run name each ETL once.
# shellcheck disable=SC2086
failon runs runs $W -f json -o "$T/runs.json" --fail-on 'duration_s>=480'
expect_eq "runs exit" "$RC" 1
printf '%s\n' \
    'etlhist-report: golden etl 10 (Hourly - every third fails): duration_s 780.0 >= 480 (and 23 more rows)' \
    'etlhist-report: golden etl 20 (Daily - aborts): duration_s 2880.0 >= 480' \
    'etlhist-report: golden etl 80 (=SUM(1+1) "q", <script>alert(1)</script> Ünïcødé): duration_s 480.0 >= 480 (and 3 more rows)' \
    >"$T/runs.want"
diff -u "$T/runs.want" "$T/runs.err" || fail "runs lines"
jq -e '.rows | length == 75' "$T/runs.json" >/dev/null || fail "runs report not written whole"

# Usage errors: exit 2, one line, nothing written.
for bad in 'nosuch>1' 'last_outcome>1' 'runs=1' 'runs>' 'runs>1,5' 'runs>1e3' 'runs>abc' '>3'; do
    rm -f "$T/bad.csv"
    # shellcheck disable=SC2086
    failon bad summary $W -f csv -o "$T/bad.csv" --fail-on "$bad"
    expect_eq "--fail-on '$bad' exit" "$RC" 2
    expect_eq "--fail-on '$bad' lines" "$(wc -l <"$T/bad.err" | tr -d ' ')" 1
    grep -q '^etlhist-report: --fail-on: ' "$T/bad.err" || fail "--fail-on '$bad': $(cat "$T/bad.err")"
    [ ! -e "$T/bad.csv" ] || fail "--fail-on '$bad' wrote a report"
done
# shellcheck disable=SC2086
failon bad summary $W -o /dev/null --fail-on 'nosuch>1'
grep -qF 'the summary report has no column "nosuch" (numeric: etl_id, runs, ok,' "$T/bad.err" ||
    fail "unknown column message: $(cat "$T/bad.err")"
# shellcheck disable=SC2086
failon bad runs $W -o /dev/null --fail-on 'coverage_pct<95'
expect_eq "coverage_pct in the runs report" "$RC" 2
# An output that cannot be written is exit 4, not 1 (crossed), with its own message and no ETL
# named.
# shellcheck disable=SC2086
failon nowrite summary $W -o "$T/missing/dir/x.csv" --fail-on 'failure_rate_pct>10'
expect_eq "unwritable exit" "$RC" 4
grep -q 'cannot create' "$T/nowrite.err" || fail "unwritable message"
! grep -q 'golden etl' "$T/nowrite.err" || fail "ETLs named although nothing was written"

# ---- the progress line ----
# 40 copies of the golden file make 320 ETLs (copies: one file named 40 times is read
# once); libfaketime runs the clocks 1000 times fast, so the report takes "seconds" and the
# line must appear on a terminal (script(1) gives one).
DBS=""
i=0
while [ $i -lt 40 ]; do
    cp "$DB" "$T/copy$i.db"
    DBS="$DBS --db $T/copy$i.db"
    i=$((i + 1))
done
SLOW="LD_PRELOAD=$FAKETIME_LIB FAKETIME='+0 x1000' FAKETIME_DONT_FAKE_MONOTONIC=0"
P="--since $W_SINCE --until $W_UNTIL --tz UTC"
# shellcheck disable=SC2086
"$R" summary $DBS $P -f csv -o "$T/big.csv"
# shellcheck disable=SC2086
"$R" summary $DBS $P >"$T/big.text"
# Under cron: not a terminal, no line, even when slow.
# shellcheck disable=SC2086
env LD_PRELOAD="$FAKETIME_LIB" FAKETIME='+0 x1000' FAKETIME_DONT_FAKE_MONOTONIC=0 "$R" summary $DBS $P -f csv -o "$T/cron.csv" \
    2>"$T/cron.err" </dev/null
expect_eq "progress without a terminal" "$(cat "$T/cron.err")" ""
cmp "$T/big.csv" "$T/cron.csv" || fail "slow report differs"
# tty NAME CMD: runs CMD on a pseudo-terminal; what the terminal showed in $T/NAME.tty.
tty() {
    timeout -k 5 60 script -qec "$2" /dev/null </dev/null >"$T/$1.tty" 2>&1 ||
        fail "$1: the command failed on a terminal: $(tail -c 300 "$T/$1.tty")"
}
progress_lines() {
    python3 -c 'import re,sys; print(len(re.findall(rb"etlhist-report: summary: \d+ of 320 ETLs \(\d+ %\)", open(sys.argv[1],"rb").read())))' "$1"
}
# The report to a file: the line is drawn, then wiped.
tty file "$SLOW $R summary $DBS $P -f csv -o $T/tty.csv"
cmp "$T/big.csv" "$T/tty.csv" || fail "report written with a progress line differs"
n=$(progress_lines "$T/file.tty")
[ "$n" -gt 0 ] || fail "no progress line on a terminal: $(od -c "$T/file.tty" | head -n 5)"
grep -q 'etlhist-report: summary: [0-9]* of 320 ETLs' "$T/file.tty" || fail "progress text"
python3 - "$T/file.tty" <<'PY' || fail "the progress line is not wiped at the end"
import re, sys
t = open(sys.argv[1], "rb").read()
sys.exit(0 if re.search(rb"\r +\r$", t) else 1)
PY
echo "progress line drawn $n times over a 320-ETL report written to a file"
# The report to the same terminal, text and CSV: once the line's draws and wipes are taken
# out, the terminal shows exactly the report.
for f in text csv; do
    tty "shared-$f" "$SLOW $R summary $DBS $P -f $f"
    python3 - "$T/shared-$f.tty" "$T/big.$f" "$f" <<'PY' || fail "progress line got in the way of the $f report"
import re, sys
t = open(sys.argv[1], "rb").read()
draws = len(re.findall(rb"\retlhist-report: summary: \d+ of 320 ETLs \(\d+ %\)", t))
t = re.sub(rb"\retlhist-report: summary: \d+ of 320 ETLs \(\d+ %\) *", b"", t)
t = re.sub(rb"\r +\r", b"", t).replace(b"\r\n", b"\n")  # the terminal's own CR LF
want = open(sys.argv[2], "rb").read()
print("progress line drawn %d times among the %s report's lines" % (draws, sys.argv[3]))
sys.exit(0 if t == want and draws > 0 else 1)
PY
done
# A fast report (8 ETLs, no faketime) draws nothing, even on a terminal.
tty fast "$R summary $P --db $DB -f csv -o $T/fast.csv"
expect_eq "progress for a fast report" "$(progress_lines "$T/fast.tty")" 0

# ---- the weekly mail recipe ----
if has_mail; then
    printf '#!/bin/sh\nprintf "%%s\\n" "$*" >"%s/sendmail.args"\ncat >"%s/mail.eml"\n' "$T" "$T" \
        >"$T/sendmail"
    chmod +x "$T/sendmail"
    # Monday 2026-11-30 07:00 UTC: last week is 2026-W48, the golden day's week.
    PATH="$B:$PATH" ETLHIST_DB="$DB" SENDMAIL="$T/sendmail" at 1796022000 \
        sh "$MAIL_SCRIPT" ops@example.com lead@example.com || fail "etlhist-weekly-mail failed"
    expect_eq "sendmail arguments" "$(cat "$T/sendmail.args")" "-t -oi"
    python3 "$UI/mailparts.py" "$T/mail.eml" "$T/mailparts" >"$T/mail.check" || fail "the mail cannot be parsed"
    ! grep '^error' "$T/mail.check" || fail "the mail is not well formed"
    grep -qx 'header To ops@example.com, lead@example.com' "$T/mail.check" || fail "To: $(grep To "$T/mail.check")"
    grep -qx 'header Subject etlhist summary, 2026-11-23 00:00 UTC to 2026-11-30 00:00 UTC' "$T/mail.check" ||
        fail "Subject: $(grep Subject "$T/mail.check")"
    grep -q '^shape multipart/mixed\[multipart/alternative\[text/plain,multipart/related\[text/html,image/png' \
        "$T/mail.check" || fail "structure: $(grep shape "$T/mail.check")"
    grep -qx 'attachment attachment etlhist-summary-2026-11-23.csv' "$T/mail.check" || fail "no CSV attachment"
    "$R" summary --db "$DB" --week 2026-W48 -f csv -o "$T/week.csv"
    cmp "$T/mailparts/attachment.csv" "$T/week.csv" || fail "the attached CSV is not the report"
else
    echo "skip: the weekly mail recipe needs -f mail; this build has MAIL=0"
fi
# The README's recipe is this very script.
README=$(dirname "$0")/../../README.md
awk '/^```sh$/ { n = 0; inblock = 1; next }
    inblock && /^```$/ { if (line[2] ~ /etlhist-weekly-mail:/) { for (i = 1; i <= n; i++) print line[i]; exit }
                         inblock = 0; next }
    inblock { line[++n] = $0 }' "$README" >"$T/readme-recipe.sh"
[ -s "$T/readme-recipe.sh" ] || fail "README has no weekly-mail recipe"
diff -u "$MAIL_SCRIPT" "$T/readme-recipe.sh" || fail "README's recipe differs from docs/examples/etlhist-weekly-mail"
echo "README recipe matches docs/examples/etlhist-weekly-mail"
echo "monitoring ok"
