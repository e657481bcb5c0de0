# The accuracy check on a realistic site in small (tests/accuracy/realistic.sh): 18 ETLs over
# seven simulated days from 2026-10-20, across the end of summer time in Europe, polled every
# 600 s: UTC and Europe/Berlin wall-clock schedules, "Run now" runs, late starts, overruns, a
# scheduler paused for a day, a collector outage of hours. Prints the table; every target
# must be met, the realistic site's among them (precision and recall of missed, late and
# overdue >= 0.95).
. "$(dirname "$0")/lib.sh"
ACC_TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$ACC_TOP/tests/accuracy/lib.sh"
acc_build
ACC_REALISTIC=1 ACC_INTERVAL=600 ACC_TZ=Europe/Berlin
acc_simulate "$T/acc" 18 7 1 1792454400 # 2026-10-20; summer time ends 2026-10-25 01:00 UTC
grep -q '^manual ' "$T/acc/truth" || fail "the realistic truth has no Run now runs"
grep -q '^zone [0-9]* Europe/Berlin 1792890000$' "$T/acc/truth" ||
    fail "the realistic truth has no wall-clock ETL crossing the change of time"
set +e
acc_check "$T/acc" >"$T/table.md"
rc=$?
set -e
cat "$T/table.md"
[ "$rc" -le 1 ] || fail "accuracy checker failed (exit $rc)"
head -n 1 "$T/acc/runs.csv" | tr -d '\r' | tr ',' '\n' | grep -qx manual ||
    fail "the runs report has no manual column"
[ "$rc" -eq 0 ] || fail "accuracy targets of the realistic site missed (table above)"
echo "accuracy (realistic, small) ok"
