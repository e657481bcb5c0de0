# The HTML report over the history the real collector recorded from tests/golden/golden.scn:
# the summary compared with tests/golden/summary.html (UPDATE_GOLDEN=1 rewrites it), well
# formed and self-contained, every text escaped, the same bytes on every run, figures worked
# out by hand; the heat map's columns over other windows; every other report as a table.
. "$(dirname "$0")/lib.sh"
UI=$(cd "$(dirname "$0")/../ui" && pwd)
. "$(cd "$(dirname "$0")/../golden" && pwd)/record.sh"
record_golden_db
R="$B/etlhist-report"

# check FILE: well formed, loads nothing; the counts go to FILE.check.
check() {
    python3 "$UI/htmlcheck.py" "$1" >"$1.check" || fail "$1: cannot be parsed"
    ! grep '^error' "$1.check" || fail "$1: not well formed or not self-contained"
}
count() {
    awk -v k="$2" '$1 == "count" && $2 == k { n = $3 } END { print n + 0 }' "$1.check"
}

# shellcheck disable=SC2086
"$R" summary $W -f html -o "$T/summary.html" || fail "summary -f html failed"
if [ -n "${UPDATE_GOLDEN:-}" ]; then
    cp "$T/summary.html" "$G/summary.html"
else
    diff -u "$G/summary.html" "$T/summary.html" || fail "summary.html differs from the golden file"
fi
check "$T/summary.html"
# shellcheck disable=SC2086
"$R" summary $W -f html -o "$T/again.html"
cmp "$T/summary.html" "$T/again.html" || fail "two runs wrote different pages"

# Parts: 5 headline figures; the glance table of 8 ETLs x 9 columns, 4 needing attention
# (70 deleted, 10 and 20 failing, 80's failure rate), then all 24 columns folded, 3 rows with
# a failed or aborted run (10, 20, 80); the heat map has those 3 over one day; duration
# charts for 3 of the ETLs that need attention (the mail's budget), no histogram of one or
# two bars.
S=$T/summary.html
for kv in figures:5 glance_rows:8 glance_columns:9 glance_rows_attention:4 data_rows:8 \
    data_columns:24 data_rows_failed:3 heat_rows:3 heat_columns:3 heat_cells_failed:3 cards:3 \
    svg_trend:3 svg_spread:0 section_headline:1 section_attention:1; do
    expect_eq "summary ${kv%%:*}" "$(count "$S" "${kv%%:*}")" "${kv#*:}"
done
# The day the collector ran in full: ETL 70 was deleted at noon, 10 and 20 are failing now and
# 80 failed 2 of 4, so the page opens with them, the worst first; not with an all-clear.
grep -q '<section class="attention" id="attention">' "$S" ||
    fail "summary: the failing ETLs are not in the attention block"
expect_eq "summary: attention items in order" \
    "$(sed -En 's/^<li class="([a-z_]*)">.* \(id ([0-9]+), golden\).*/\1 \2/p' "$S" | tr '\n' ' ')" \
    "deleted 70 failing 10 failing 20 failure_rate 80 "
# The day after the recording: the collector was silent. Every ETL is still listed (coverage
# 0), and the page opens with the stale collector, not with an all-clear.
# shellcheck disable=SC2086
"$B/etlhist-report" summary --db "$DB" --since 2026-11-24T00:00:00Z --until 2026-11-25T00:00:00Z \
    --tz UTC -f html -o "$T/silent.html" 2>"$T/silent.err" || fail "summary of a silent day"
grep -q 'no collector pass between' "$T/silent.err" || fail "silent day: no warning on stderr"
check "$T/silent.html"
expect_eq "silent day rows" "$(count "$T/silent.html" data_rows)" 8
grep -q '<li class="stale">instance golden: collector stale: no successful pass since 2026-11-23 23:55' \
    "$T/silent.html" || fail "silent day: the stale collector is not the first thing said"
[ "$(grep -o 'id="attention"' "$T/silent.html" | wc -l)" -eq 1 ] || fail "silent day: attention block"
awk '/id="attention"/ { a = NR } /id="headline"/ { h = NR } END { exit !(a && h && a < h) }' \
    "$T/silent.html" || fail "silent day: the attention block is not before the headline"
# Figures by hand: 75 runs, 10 ERROR and 1 ABORTED of 75 finished (13.3 %, 1.3 %); coverage
# the mean of 99.7 x 6, 86.8 and 49.7 = 91.8375 -> 91.8; failing now: ETL 10 (its last run,
# 23:10, failed) and ETL 20 (aborted, and the only run before it too).
for s in '<span class="v">75</span><span class="k">runs</span>' \
    '<span class="v">13.3 %</span><span class="k">failure rate</span>' \
    '<span class="v">1.3 %</span><span class="k">abort rate</span>' \
    '<span class="v">91.8 %</span><span class="k">coverage</span>' \
    'lowest 49.7 % (Deleted at noon)' \
    '<span class="v">2</span><span class="k">failing now</span>' \
    'title="2026-11-23: 8 of 24 runs failed or aborted">8</td>' \
    '<td class="num" title="780.0 s">13m00s</td>' \
    '<time datetime="2026-11-23T23:10:00Z"><span>2026-11-23</span> <span>23:10</span></time>'; do
    grep -qF "$s" "$S" || fail "summary.html lacks: $s"
done
# ETL 10's trend: 24 points at 13m00s, 8 of them red (ERROR).
expect_eq "ETL 10 red points" "$(grep -c 'fill="#c62828"><title>2026-11-23 [0-9:]* ERROR 13m00s' "$S")" 8

# The hostile name is escaped wherever it appears, and nothing in the page is a script.
grep -qF '=SUM(1+1) &quot;q&quot;, &lt;script&gt;alert(1)&lt;/script&gt; Ünïcødé' "$S" ||
    fail "ETL 80's name not escaped"
expect_eq "script elements" "$(grep -ci '<script' "$S")" 0
grep -q "^text name_008 =SUM(1+1) \"q\", <script>alert(1)</script> Ünïcødé$" "$S.check" ||
    fail "ETL 80's name does not read back: $(grep name_008 "$S.check")"
grep -qF "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">" "$S" ||
    fail "no Content-Security-Policy"

# The display zone moves the times shown, not the window's figures.
"$R" summary --db "$DB" --since "$W_SINCE" --until "$W_UNTIL" --tz Europe/Paris -f html -o "$T/paris.html"
check "$T/paris.html"
grep -qF '2026-11-23 01:00 CET to 2026-11-24 01:00 CET' "$T/paris.html" || fail "Paris window"
grep -qF '<time datetime="2026-11-23T23:10:00Z"><span>2026-11-24</span> <span>00:10</span></time>' \
    "$T/paris.html" || fail "Paris times"

# A week: one heat-map column per day, the six days after the recorded one without runs.
"$R" summary --db "$DB" --week 2026-W48 --tz UTC -f html -o "$T/week.html"
check "$T/week.html"
expect_eq "week heat-map columns" "$(count "$T/week.html" heat_columns)" 9
expect_eq "week heat-map cells" "$(count "$T/week.html" heat_cells)" 24
expect_eq "week idle cells" "$(grep -o 'class="idle"' "$T/week.html" | wc -l)" 18
grep -qF '<th scope="col" class="num">Sun<br>11-29</th>' "$T/week.html" || fail "week's last day"
# A year: at most 62 columns, 6 days each (364 days from 01-01), the last one shorter.
"$R" summary --db "$DB" --since 2026-01-01 --until 2026-12-31 --tz UTC -f html -o "$T/year.html"
check "$T/year.html"
expect_eq "year heat-map columns" "$(count "$T/year.html" heat_columns)" 63
grep -qF 'title="11-21 to 11-26">11-21</th>' "$T/year.html" || fail "year's column of 11-23"
grep -qF 'title="12-27 to 12-30">12-27</th>' "$T/year.html" || fail "year's last column"

# No rows: still a page, and it says so.
# shellcheck disable=SC2086
"$R" summary $W --etl 999 -f html -o "$T/empty.html" || fail "empty summary failed"
check "$T/empty.html"
grep -qF 'No rows' "$T/empty.html" || fail "empty summary does not say so"

# Every other report: one table row per CSV row, escaped names.
for r in failures runs services trend health etls; do
    # shellcheck disable=SC2086
    "$R" $r $W -f html -o "$T/$r.html" || fail "$r -f html failed"
    # shellcheck disable=SC2086
    "$R" $r $W -f csv --no-header -o "$T/$r.csv"
    check "$T/$r.html"
    expect_eq "$r rows" "$(count "$T/$r.html" data_rows)" "$(wc -l <"$T/$r.csv" | tr -d ' ')"
    expect_eq "$r script elements" "$(grep -ci '<script' "$T/$r.html")" 0
done
expect_eq "failures marked" "$(count "$T/failures.html" data_rows_failed)" \
    "$(count "$T/failures.html" data_rows)"
echo "html reports ok"
