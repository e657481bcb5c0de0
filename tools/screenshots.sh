#!/bin/sh
# screenshots.sh BUILD: the pictures of docs/reports.md, from the demo's history (make demo
# first): the weekly mail's first screen in a 600 px pane and the HTML page's at 1280 px,
# taken with headless Chromium into docs/img/.
set -eu
B=$1
top=$(cd "$(dirname "$0")/.." && pwd)
db=$top/demo/history.db
[ -s "$db" ] || { echo "screenshots: no $db: run make demo first" >&2; exit 2; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
W="--db $db --week 2026-W47 --tz UTC"
# shellcheck disable=SC2086 # W is words
"$B/etlhist-report" summary $W -f html -o "$T/page.html"
# shellcheck disable=SC2086
"$B/etlhist-report" summary $W -f mail --to ops@example.com -o "$T/week.eml"
python3 "$top/tests/ui/mailparts.py" "$T/week.eml" "$T/parts" >/dev/null
shot() {
    HOME=$T timeout -k 5 90 chromium --headless --no-sandbox --disable-gpu --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$T/profile" --window-size="$2" \
        --screenshot="$top/docs/img/$3" "file://$1" 2>/dev/null
}
shot "$T/parts/mail.html" 600,1100 mail-600.png
shot "$T/page.html" 1280,1000 page-1280.png
echo "screenshots: docs/img/mail-600.png, docs/img/page-1280.png"
