# What a person sees first, measured in headless Chromium (element geometry, not pixels): at
# 600, 800 and 1280 px the summary's per-ETL table shows its key columns (ETL with its id,
# runs, fail %, abort %, p95 against the limit, last, schedule, MTTR) without any scroll, in
# the page and in the mail's HTML part, and no cell's text runs out of its box; in every
# chart (durations against the learnt limit, failures by day, this window against the one
# before) no two labels overlap and every legend colour is drawn in its chart; the mail has
# the page's charts, at most HTML_CHARTS_MAX (6), as images named by what they show, each with
# an alt text that says it; at 600 px the mail is under 3000 px tall. 100 ETLs fit at 1280 px.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/browser.sh"
UI=$(cd "$(dirname "$0")/../ui" && pwd)
. "$(cd "$(dirname "$0")/../golden" && pwd)/record.sh"
command -v chromium >/dev/null || fail "chromium is not installed (make deps installs it)"
record_golden_db
# The recorded day's second half, so that the window before it (its first half) was observed
# and the comparison with it is drawn.
W="--db $DB --since 2026-11-23T12:00:00Z --until $W_UNTIL --tz UTC"
R="$B/etlhist-report"
KEY="mark|ETL|runs|fail %|abort %|p95 / limit|last|schedule|MTTR"

# measure NAME FILE WIDTH: the attributes glance_measure.html writes, in $T/NAME-WIDTH.dom.
measure() {
    sed '/Content-Security-Policy/d; /<\/body>/{
r '"$UI/glance_measure.html"'
}' "$2" >"$T/$1-m.html"
    browser "$1-$3" --window-size="$3,2000" --dump-dom "file://$T/$1-m.html" >"$T/$1-$3.dom"
}

# check NAME WIDTH CHARTS: the table and, for the page, the charts.
check() {
    M=$T/$1-$2.dom
    expect_eq "$1 at $2: page overflow" "$(attr "$M" page-overflow)" 0
    expect_eq "$1 at $2: key columns shown" "$(attr "$M" glance-shown | sed 's/^|/mark|/')" "$KEY"
    expect_eq "$1 at $2: key columns hidden" "$(attr "$M" glance-hidden)" 0
    expect_eq "$1 at $2: the table scrolls" "$(attr "$M" glance-scrolls)" false
    expect_eq "$1 at $2: clipped cells" "$(attr "$M" glance-clipped)" 0
    expect_eq "$1 at $2: charts" "$(attr "$M" charts)" "$3"
    expect_eq "$1 at $2: overlapping chart labels" "$(attr "$M" label-overlaps)" 0
    expect_eq "$1 at $2: legend colours not in their chart" "$(attr "$M" legend-missing)" 0
}

# shellcheck disable=SC2086
"$R" summary $W -f html -o "$T/page.html" || fail "summary -f html"
n=$(grep -c '<svg class="chart' "$T/page.html")
[ "$n" -ge 3 ] && [ "$n" -le 6 ] || fail "the page has $n charts"
for kind in compare failures trend; do
    grep -q "<svg class=\"chart $kind\"" "$T/page.html" || fail "the page has no $kind chart"
done
[ "$(grep -c 'class="legend"' "$T/page.html")" -ge "$n" ] || fail "a chart without a legend"
# shellcheck disable=SC2086
ETLHIST_MAIL_FIXED=1 "$R" summary $W -f mail --to ops@example.com -o "$T/m.eml" || fail "-f mail"
python3 "$UI/mailparts.py" "$T/m.eml" "$T/parts" >"$T/parts.check" || fail "mail unreadable"
# attachments are named for what they show, never chartN.png
for name in 'week-over-week' 'failures-by-day' 'durations-etl-[0-9]*-trend'; do
    grep -q "^Content-Disposition: inline; filename=$name.png" "$T/m.eml" ||
        fail "chart file names: no $name.png in $(grep filename= "$T/m.eml")"
done
! grep '^error' "$T/parts.check" || fail "the mail's parts"
# every image's alt text says what it shows and carries its figures
grep -q '^alt This window against the 12 h before: runs [0-9]* (before: [0-9]*), failure % ' "$T/parts.check" ||
    fail "the comparison's alt text: $(grep '^alt' "$T/parts.check")"
grep -q '^alt Failed and aborted runs per day, in the display zone: [A-Z][a-z][a-z] [0-9-]* [0-9]* failed, [0-9]* aborted' "$T/parts.check" ||
    fail "the failures chart's alt text: $(grep '^alt' "$T/parts.check")"
expect_eq "alt texts" "$(grep -c '^alt ' "$T/parts.check")" "$n"
! grep -q 'filename=chart[0-9]' "$T/m.eml" || fail "a chart named chartN.png"
expect_eq "mail images" "$(grep -c '^Content-Type: image/png' "$T/m.eml")" "$n"
for w in 600 800 1280; do
    measure page "$T/page.html" "$w"
    check page "$w" "$n"
    measure mail "$T/parts/mail.html" "$w"
    check mail "$w" 0
    echo "at $w px: page height $(attr "$T/page-$w.dom" height), mail height $(attr "$T/mail-$w.dom" height)"
done
# every row the definitions mark carries a symbol, not colour alone
marked=$(grep -c '<tr class="attn"><td class="m mk" title="needs attention:[^"]*">[^<]' "$T/page.html")
rows=$(grep -c '<tr class="attn">' "$T/page.html")
[ "$rows" -gt 0 ] && expect_eq "marked rows with a symbol" "$marked" "$rows"

# 100 ETLs at 1280 px: the first 100 ETL rows of the page, its table repeated
awk -v want=100 '
    /<tr class="(attn|page-only)">/ { row[++n] = $0; print; next }
    /<\/tbody><\/table><\/div>/ && n && !done { for (i = n + 1; i <= want; i++) print row[(i - 1) % n + 1]; done = 1 }
    { print }' "$T/page.html" >"$T/page100.html"
expect_eq "rows in the 100-ETL page" "$(grep -c '<tr class="\(attn\|page-only\)">' "$T/page100.html")" 100
measure page100 "$T/page100.html" 1280
check page100 1280 "$n"
h=$(attr "$T/mail-600.dom" height)
[ "$h" -gt 1000 ] && [ "$h" -lt 3000 ] || fail "the mail is $h px tall at 600 px, not under 3000"
echo "glance ok"
