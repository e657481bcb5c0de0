# Every report in every format over a history the real collector recorded from a fixed
# scenario, compared with golden files (UPDATE_GOLDEN=1 rewrites them); then figures worked
# out by hand from tests/golden/golden.scn, and CSV parsed back field by field.
. "$(dirname "$0")/lib.sh"
G=$(cd "$(dirname "$0")/../golden" && pwd)
. "$G/record.sh"
record_golden_db

for r in summary failures runs services trend health etls schedule missed; do
    for f in text csv json; do
        out="$T/$r.$f"
        # shellcheck disable=SC2086
        "$B/etlhist-report" $r $W -f $f -o "$out" || fail "$r -f $f failed"
        if [ -n "${UPDATE_GOLDEN:-}" ]; then
            cp "$out" "$G/$r.$f"
        else
            diff -u "$G/$r.$f" "$out" || fail "$r.$f differs from the golden file"
        fi
    done
done

# Figures by hand. ETL 10: runs start at HH:10 each hour, k = start/3600, outcome
# [OK,OK,ERROR][k mod 3], BASE/3600 ≡ 0 (mod 3): 24 runs, 8 ERROR, rate 33.3 %. Polls at
# HH:10:30, :15:30, :20:30 see RUNNING, :25:30 sees the end: lo 630, hi 930, duration 780.
csvrow() { tr -d '\r' <"$T/$1.csv" | awk -F, -v id="$2" '$2 == id'; }
expect_eq "ETL 10 summary" "$(csvrow summary 10 | cut -d, -f4-14)" "24,16,0,8,0,0,33.3,0.0,780.0,780.0,780.0"
# What did not happen, ETL 10: hourly at HH:10 (offset 600), on time (delay 0); failures at
# 02:10, 05:10, … 23:10, each recovered an hour later but the last: MTTR 3600 over 7
# repairs, MTBF 7200 (recovery at 03:10, next failure 05:10). Nothing missed or overdue.
expect_eq "ETL 10 summary what did not happen" "$(csvrow summary 10 | cut -d, -f19-23)" \
    "0,0,0,3600,7200"
expect_eq "ETL 10 schedule" "$(csvrow schedule 10 | cut -d, -f4-7,9-12)" \
    "periodic,3600,600,2026-11-24T00:10:00,0,0,0,12"
expect_eq "ETL 10 run at 05:10" "$(csvrow runs 10 | grep ',2026-11-23T05:10:00,' | cut -d, -f12-15)" \
    "2026-11-23T05:10:00,0,0,0"
# ETL 20 ran once in the window and once the day before: too few runs to learn from.
expect_eq "ETL 20 schedule" "$(csvrow schedule 20 | cut -d, -f4-5,8,12)" "unknown,,,2"
# ETL 20: one run at 02:00, ABORTED, last RUNNING poll 02:45:30 (2730 s), end seen 02:50:30.
expect_eq "ETL 20 failures" "$(csvrow failures 20 | cut -d, -f5-11)" \
    "2026-11-23T02:00:00,2026-11-23T02:50:30,ABORTED,ERROR,2880.0,2730,3030"
# ETL 30: 12 runs, alternately OK and WARNING, each over before the poll 30 s after its
# start: never seen RUNNING, so [0, 30]; the first, at 00:00, ended before observation
# began (first poll 00:00:30), so its duration is unknown.
expect_eq "ETL 30 summary" "$(csvrow summary 30 | cut -d, -f4-12)" "12,6,6,0,0,0,0.0,0.0,15.0"
expect_eq "ETL 30 first run" "$(csvrow runs 30 | head -1 | cut -d, -f5-11)" "2026-11-23T00:00:00,2026-11-23T00:00:30,OK,OK,,,"
# ETL 40: ON 00-09 and 12-21, OFF between. Polls at :00:30 and :05:30; each interval between
# polls counts for the earlier poll's state: ON [00:00:30, 09:00:30) and [12:00:30, 21:00:30)
# = 64800 s = 75.0 %; OFF [09:00:30, 12:00:30) and [21:00:30, 23:55:30) = 21300 s = 24.7 %;
# unobserved before the first poll (30 s) and after the last (270 s) = 0.3 %; transitions
# ON→OFF, OFF→ON, ON→OFF = 3.
expect_eq "ETL 40 services" "$(csvrow services 40 | cut -d, -f4-7)" "75.0,24.7,0.3,3"
# Every ETL: unobserved before the first poll (30 s) and after the last (270 s): 99.7 %.
# ETL 50: 503 for the 36 polls 10:00:30-12:55:30; the successful polls 09:55:30 and 13:00:30
# are 11100 s apart, over max_gap: observed 86100 - 11100 = 75000 s = 86.8 %.
expect_eq "ETL 50 health" "$(csvrow health 50 | cut -d, -f4-10)" "288,36,0,36,0,HTTP 503,86.8"
expect_eq "ETL 10 coverage" "$(csvrow health 10 | cut -d, -f10)" "99.7"
# ETL 70: deleted at noon: the 144 polls from 12:00:30 answered 400, shown as not found;
# observed from the first to the last successful poll, 00:00:30-11:55:30 = 42900 s = 49.7 %.
expect_eq "ETL 70 health" "$(csvrow health 70 | cut -d, -f5-6,10)" "144,144,49.7"

# The hostile name survives every format: neutralised in CSV, escaped in JSON.
name='=SUM(1+1) "q", <script>alert(1)</script> Ünïcødé'
jq -e --arg n "$name" '.rows[] | select(.etl_id == 80) | .etl_name == $n' "$T/summary.json" >/dev/null ||
    fail "JSON name of ETL 80"
grep -qF "\"'=SUM(1+1) \"\"q\"\", <script>alert(1)</script> Ünïcødé\"" "$T/summary.csv" ||
    fail "CSV name of ETL 80 not neutralised and quoted: $(grep -F SUM "$T/summary.csv")"
echo "golden reports ok"
