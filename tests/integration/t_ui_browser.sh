# The HTML report in a real browser: headless Chromium (Debian's chromium) loads the summary
# of the golden history from a file, with no network. The DOM must hold the headline, the
# tables and the charts, the console must stay silent (no blocked load, no error), and at
# 1280 and 800 pixels the page must not overflow sideways (nor the per-ETL table: t_ui_glance.sh)
# with chart text still readable. Screenshots are kept in $B/tests/artefacts/.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/browser.sh"
UI=$(cd "$(dirname "$0")/../ui" && pwd)
. "$(cd "$(dirname "$0")/../golden" && pwd)/record.sh"
command -v chromium >/dev/null || fail "chromium is not installed (make deps installs it)"
record_golden_db
R="$B/etlhist-report"
A="$B/tests/artefacts"
mkdir -p "$A" "$T/home"

count() {
    awk -v k="$2" '$1 == "count" && $2 == k { n = $3 } END { print n + 0 }' "$1"
}

# The console check must see something on a page that does load and log things.
printf '%s\n' '<!DOCTYPE html><html><head><meta charset="utf-8"><title>probe</title></head>' \
    '<body><img src="missing.png"><script>console.error("probe")</script></body></html>' \
    >"$T/probe.html"
browser probe --dump-dom "file://$T/probe.html" >"$T/probe.dom"
[ -n "$(console probe)" ] || fail "the console check sees nothing even on a page with errors"

# shellcheck disable=SC2086
"$R" summary $W -f html -o "$T/summary.html" || fail "summary -f html"
"$R" summary --db "$DB" --week 2026-W48 --tz UTC -f html -o "$T/week.html" || fail "week html"

for page in summary week; do
    browser "$page-dom" --window-size=1280,2000 --dump-dom "file://$T/$page.html" >"$T/$page.dom"
    c=$(console "$page-dom")
    [ -z "$c" ] || fail "$page: the console is not silent: $c"
    python3 "$UI/htmlcheck.py" "$T/$page.dom" >"$T/$page.dom.check" || fail "$page DOM unreadable"
    ! grep '^error' "$T/$page.dom.check" || fail "$page: the DOM loads or runs something"
    D=$T/$page.dom.check
    for kv in figures:5 glance_rows:8 glance_columns:9 data_rows:8 data_columns:24 heat_rows:3 \
        cards:3 svg_trend:3 svg_spread:0 section_attention:1 section_headline:1 section_etls:1 section_failures:1 \
        section_durations:1; do
        expect_eq "$page DOM ${kv%%:*}" "$(count "$D" "${kv%%:*}")" "${kv#*:}"
    done
    # the hostile name is text in the DOM, not markup
    grep -q "^text name_008 =SUM(1+1) \"q\", <script>alert(1)</script> Ünïcødé$" "$D" ||
        fail "$page: ETL 80's name in the DOM: $(grep name_008 "$D")"
    [ "$(count "$D" svg_circle)" -gt 20 ] || fail "$page: the charts have no points"
done
expect_eq "week DOM heat-map columns" "$(count "$T/week.dom.check" heat_columns)" 9
expect_eq "summary DOM heat-map columns" "$(count "$T/summary.dom.check" heat_columns)" 3

# Layout at both widths, measured in a copy with a small script added; then screenshots of
# the real page, as tall as it is.
sed '/Content-Security-Policy/d; /<\/body>/{
r '"$UI/measure.html"'
}' "$T/summary.html" >"$T/measure.html"
grep -q 'data-page-overflow' "$T/measure.html" || fail "measure script not injected"
for w in 1280 800; do
    browser "measure-$w" --window-size="$w,2000" --dump-dom "file://$T/measure.html" >"$T/measure-$w.dom"
    M=$T/measure-$w.dom
    echo "at $w px: viewport $(attr "$M" viewport), overflow $(attr "$M" page-overflow)," \
        "table scrolls $(attr "$M" table-scrolls) (by $(attr "$M" table-overflow) px), rightmost $(attr "$M" widest-right)," \
        "smallest chart text $(attr "$M" svg-text-px) px, height $(attr "$M" height)"
    expect_eq "page overflow at $w" "$(attr "$M" page-overflow)" 0
    [ "$(attr "$M" widest-right)" -le "$w" ] || fail "something is wider than $w px"
    [ "$(attr "$M" svg-text-px)" -ge 10 ] || fail "chart text under 10 px at $w px"
    h=$(attr "$M" height)
    [ "$h" -gt 1000 ] && [ "$h" -lt 20000 ] || fail "page height $h at $w"
    rm -f "$A/summary-$w.png"
    browser "shot-$w" --hide-scrollbars --window-size="$w,$h" --screenshot="$A/summary-$w.png" \
        "file://$T/summary.html" >/dev/null
    expect_eq "screenshot size at $w" "$(png_size "$A/summary-$w.png")" "${w}x$h"
done
expect_eq "the per-ETL table does not scroll at 800 px" "$(attr "$T/measure-800.dom" table-scrolls)" false
rm -f "$A/week-1280.png"
browser shot-week --hide-scrollbars --window-size=1280,2600 --screenshot="$A/week-1280.png" \
    "file://$T/week.html" >/dev/null
[ -s "$A/week-1280.png" ] || fail "no week screenshot"
echo "browser ok; screenshots: $A/summary-1280.png $A/summary-800.png $A/week-1280.png"
