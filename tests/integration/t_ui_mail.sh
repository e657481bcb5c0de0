# etlhist-report -f mail over the history the real collector recorded from tests/golden/golden.scn,
# read back by an independent MIME parser (Python's email package, tests/ui/mailparts.py):
# mixed[alternative[text/plain, related[text/html, image/png...]], text/csv]; every cid: has
# its PNG and every PNG decodes to a sensible size; the text part holds the totals; the
# attachment is -f csv byte for byte; the whole message under ETLHIST_MAIL_FIXED=1 equals
# tests/golden/summary.eml (UPDATE_GOLDEN=1 rewrites it); header injection is refused; with
# no font for the charts (an empty fontconfig configuration) one warning line. Then
# the HTML part with its images in headless Chromium at 600 and 800 px: no sideways overflow,
# every image loaded, a silent console. Screenshots are kept in $B/tests/artefacts/.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/browser.sh"
if ! has_mail; then
    # A MAIL=0 build refuses -f mail as a usage error that says why.
    set +e
    "$B/etlhist-report" summary --db "$T/none.db" -f mail --to ops@example.com 2>"$T/nomail.err"
    rc=$?
    set -e
    expect_eq "exit code of -f mail in a MAIL=0 build" "$rc" 2
    expect_eq "-f mail in a MAIL=0 build" "$(cat "$T/nomail.err")" \
        'etlhist-report: format "mail": etlhist-report was built without mail (make MAIL=1)'
    echo "SKIP: needs -f mail; this build has MAIL=0 (which refuses it, exit 2)"
    exit 0
fi
UI=$(cd "$(dirname "$0")/../ui" && pwd)
. "$(cd "$(dirname "$0")/../golden" && pwd)/record.sh"
record_golden_db
R="$B/etlhist-report"
A="$B/tests/artefacts"
mkdir -p "$A" "$T/home"
M="--to ops@example.com --from etlhist@example.com"

# ---- the message, the same bytes on every run under the fixed-ID variable ----
# shellcheck disable=SC2086
ETLHIST_MAIL_FIXED=1 "$R" summary $W -f mail $M -o "$T/summary.eml" || fail "summary -f mail failed"
if [ -n "${UPDATE_GOLDEN:-}" ]; then
    cp "$T/summary.eml" "$G/summary.eml"
else
    diff -u "$G/summary.eml" "$T/summary.eml" || fail "summary.eml differs from the golden file"
fi
# shellcheck disable=SC2086
ETLHIST_MAIL_FIXED=1 "$R" summary $W -f mail $M >"$T/again.eml"
cmp "$T/summary.eml" "$T/again.eml" || fail "two runs wrote different messages"
# through a pipe, as to sendmail -t
# shellcheck disable=SC2086
ETLHIST_MAIL_FIXED=1 "$R" summary $W -f mail $M | cat >"$T/piped.eml"
cmp "$T/summary.eml" "$T/piped.eml" || fail "the message through a pipe differs"

# ---- fonts: none for the charts is said once, on stderr; the mail is still written ----
# shellcheck disable=SC2086
"$R" summary $W -f mail $M >/dev/null 2>"$T/fonts.err" || fail "-f mail with fonts failed"
expect_eq "with fonts: stderr" "$(cat "$T/fonts.err")" ""
printf '<?xml version="1.0"?>\n<fontconfig></fontconfig>\n' >"$T/nofonts.conf"
# shellcheck disable=SC2086
FONTCONFIG_FILE=$T/nofonts.conf XDG_CACHE_HOME=$T/home "$R" summary $W -f mail $M \
    >"$T/nofonts.eml" 2>"$T/nofonts.err" || fail "-f mail without fonts failed"
expect_eq "without fonts: one line" "$(wc -l <"$T/nofonts.err")" 1
grep -q "^etlhist-report: warning: mail: fontconfig finds no font for the charts (DejaVu Sans, Arial, sans-serif); FONTCONFIG_FILE=$T/nofonts.conf" "$T/nofonts.err" ||
    fail "without fonts: $(cat "$T/nofonts.err")"
grep -q "^Content-Type: image/png" "$T/nofonts.eml" || fail "without fonts: no chart in the mail"

# ---- read back by Python's MIME parser ----
python3 "$UI/mailparts.py" "$T/summary.eml" "$T/parts" >"$T/parts.check" ||
    fail "the message cannot be parsed: $(tail -n 3 "$T/parts.check")"
C=$T/parts.check
! grep '^error' "$C" || fail "the message is not what a mail client needs"
expect_eq "structure" "$(sed -n 's/^shape //p' "$C")" \
    "multipart/mixed[multipart/alternative[text/plain,multipart/related[text/html$(printf ',image/png%.0s' 1 2 3 4)]],text/csv]"
grep -qx 'header To ops@example.com' "$C" || fail "To"
grep -qx 'header From etlhist@example.com' "$C" || fail "From"
grep -qx 'header Subject etlhist summary, 2026-11-23 00:00 UTC to 2026-11-24 00:00 UTC' "$C" ||
    fail "the default subject names the report and the window: $(grep Subject "$C")"
grep -qx 'header Date Tue, 24 Nov 2026 00:00:00 +0000' "$C" || fail "Date: $(grep Date "$C")"
grep -qx 'header Message-ID <etlhist.fixed@etlhist.invalid>' "$C" || fail "Message-ID"
grep -qx 'header MIME-Version 1.0' "$C" || fail "MIME-Version"
expect_eq "cid references and images" "$(grep '^cids ' "$C")" "cids 4 images 4"
# failures by day and 3 chart cards of the ETLs that need attention x trend, each 640 x 196
# as the page draws them (no histogram: each has one or two bars); no comparison with the
# day before, which nobody observed (t_ui_glance has one)
grep -q 'No comparison with the 1 day before: no ETL was observed then.' "$T/parts/mail.html" ||
    fail "the mail does not say why there is no comparison"
expect_eq "640 x 196 PNGs" "$(grep -c '^png .* 640x196 ' "$C")" 4
expect_eq "spread PNGs" "$(grep -c '^png .* 320x196 ' "$C")" 0
grep -q '^alt Duration of each run against its start: Hourly - every third fails. 24 runs, 8 failed, 0 aborted; 24 with a known duration; p50 13m00s, p95 13m00s$' "$C" ||
    fail "the alt texts do not carry the figures"
grep -qx 'attachment attachment etlhist-summary-2026-11-23.csv' "$C" || fail "CSV attachment"
# shellcheck disable=SC2086
"$R" summary $W -f csv -o "$T/summary.csv"
cmp "$T/parts/attachment.csv" "$T/summary.csv" || fail "the attachment is not what -f csv writes"
grep -qx 'total: runs 75, failed 10, aborted 1, failure rate 13.3%, abort rate 1.3%' "$T/parts/text.txt" ||
    fail "the text part has no totals line"
# what needs attention comes first in the text part too, as -f text says it
"$R" summary $W -f text -o "$T/summary.txt"
sed -n '/^Needs attention/,/^$/p' "$T/summary.txt" >"$T/attn.text"
sed -n '/^Needs attention/,/^$/p' "$T/parts/text.txt" >"$T/attn.mail"
[ -s "$T/attn.text" ] || fail "the text report has no Needs attention list"
cmp "$T/attn.text" "$T/attn.mail" || fail "the text part's attention list differs from -f text's"
expect_eq "the text part opens with what needs attention" \
    "$(sed -n 3p "$T/parts/text.txt")" "Needs attention (5):"
H=$T/parts/mail.html
awk '/id="attention"/ { a = NR } /id="headline"/ { h = NR } END { exit !(a && h && a < h) }' "$H" ||
    fail "the attention block is not before the headline"
# the page's hostile ETL name stays text, escaped, in the HTML part too
grep -q '=SUM(1+1) &quot;q&quot;, &lt;script&gt;alert(1)&lt;/script&gt; Ünïcødé' "$H" ||
    fail "ETL 80's name is not escaped in the HTML part"
styled=$(awk '$1 == "html" && $2 == "elements" { print ($5 * 100 >= $3 * 90) }' "$C")
expect_eq "nearly every element styled inline" "$styled" 1

# ---- options: addresses reach headers, so line breaks and lists are refused ----
refused() {
    what=$1
    shift
    set +e
    # shellcheck disable=SC2086
    "$R" summary $W -f mail "$@" >"$T/refused.out" 2>"$T/refused.err"
    rc=$?
    set -e
    expect_eq "$what: exit" "$rc" 2
    [ ! -s "$T/refused.out" ] || fail "$what: something was written"
    expect_eq "$what: one line on stderr" "$(wc -l <"$T/refused.err")" 1
}
refused "no --to"
refused "--to with a newline" --to "$(printf 'ops@example.com\nBcc: all@example.com')"
refused "--to with a carriage return" --to "$(printf 'ops@example.com\rX: y')"
refused "--to with two addresses" --to "ops@example.com, boss@example.com"
refused "--to without @" --to ops
refused "--from with a newline" --to ops@example.com --from "$(printf 'a@b\nSubject: x')"
refused "--subject with a newline" --to ops@example.com --subject "$(printf 'week\nBcc: x@y')"
# without SMTPUTF8 a name before @ must be ASCII; a subject must be UTF-8 without C1 controls
refused "--to with a non-ASCII name" --to 'ü@bücher.de'
grep -q -- '--to ü@bücher.de: a name before @ that is not ASCII needs SMTPUTF8' "$T/refused.err" ||
    fail "the non-ASCII name is not named: $(cat "$T/refused.err")"
refused "--to with a domain that is not UTF-8" --to "$(printf 'ops@b\377cher.de')"
grep -q 'punycode' "$T/refused.err" || fail "no hint at the ASCII form: $(cat "$T/refused.err")"
refused "--subject not UTF-8" --to ops@example.com --subject "$(printf 'Woche \374')"
grep -q -- '--subject: not valid UTF-8' "$T/refused.err" || fail "$(cat "$T/refused.err")"
refused "--subject with U+0085" --to ops@example.com --subject "$(printf 'week\302\20547')"
grep -q -- '--subject: control characters' "$T/refused.err" || fail "$(cat "$T/refused.err")"

# an international domain goes out in its IDNA form; a bidirectional control in the subject
# or in an ETL name (stored as the server sent it) is shown as U+FFFD in every part
cp "$DB" "$T/bidi.db"
sqlite3 "$T/bidi.db" "UPDATE etl SET name = 'invoice' || char(0x202E) || 'gpj.exe' WHERE etl_id = 80"
"$R" summary --db "$T/bidi.db" --since $W_SINCE --until $W_UNTIL --tz UTC -f mail \
    --to 'ops@bücher.de' --subject "$(printf 'week \342\200\256 47')" >"$T/bidi.eml" || fail "the bidi mail"
grep -qx 'To: ops@xn--bcher-kva.de' "$T/bidi.eml" || fail "To: $(grep '^To:' "$T/bidi.eml")"
python3 - "$T/bidi.eml" <<'PY' || fail "a bidirectional control reached the message"
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
assert m["Subject"] == "week \ufffd 47", m["Subject"]
parts = {p.get_content_type(): p.get_content() for p in m.walk() if not p.is_multipart()}
for t in ("text/plain", "text/html", "text/csv"):
    text = parts[t] if isinstance(parts[t], str) else parts[t].decode()
    assert "invoice\ufffdgp" in text, t  # the text table may cut the name short
    assert "\u202e" not in text, t
PY

# several --to, a non-ASCII subject (encoded by GMime, decoded back the same), default From,
# a fresh Message-ID and today's Date without the fixed-ID variable
# shellcheck disable=SC2086
"$R" summary $W -f mail --to a@example.com --to b@example.com --subject 'Woche 47 – Übersicht' >"$T/live1.eml"
# shellcheck disable=SC2086
"$R" summary $W -f mail --to a@example.com >"$T/live2.eml"
grep -qi '^Subject: Woche 47 =?utf-8?' "$T/live1.eml" || fail "the non-ASCII subject is not encoded"
python3 - "$T/live1.eml" "$T/live2.eml" "$(hostname)" <<'PY' || fail "headers without the fixed-ID variable"
import email, email.policy, sys
a, b = (email.message_from_binary_file(open(p, "rb"), policy=email.policy.default) for p in sys.argv[1:3])
assert a["Subject"] == "Woche 47 – Übersicht", a["Subject"]
assert a["To"] == "a@example.com, b@example.com", a["To"]
assert a["From"] == "etlhist@" + sys.argv[3], a["From"]
assert a["Message-ID"] != b["Message-ID"], "the same Message-ID twice"
assert a["Date"].datetime.year >= 2025, a["Date"]
PY

# another report: a table, no charts, still the same structure
"$R" failures $W -f mail --to ops@example.com >"$T/failures.eml" || fail "failures -f mail"
python3 "$UI/mailparts.py" "$T/failures.eml" "$T/fparts" >"$T/fparts.check" || fail "failures mail unreadable"
! grep '^error' "$T/fparts.check" || fail "the failures mail"
expect_eq "failures structure" "$(sed -n 's/^shape //p' "$T/fparts.check")" \
    "multipart/mixed[multipart/alternative[text/plain,multipart/related[text/html]],text/csv]"

# ---- the HTML part in a browser, its images loaded from files ----
command -v chromium >/dev/null || fail "chromium is not installed (make deps installs it)"

browser dom --window-size=800,2000 --dump-dom "file://$H" >"$T/mail.dom"
c=$(console dom)
[ -z "$c" ] || fail "the console is not silent: $c"
sed '/<\/body>/{
r '"$UI/mail_measure.html"'
}' "$H" >"$T/parts/measure.html"
grep -q 'data-page-overflow' "$T/parts/measure.html" || fail "measure script not injected"
for w in 600 800; do
    browser "measure-$w" --window-size="$w,2000" --dump-dom "file://$T/parts/measure.html" >"$T/measure-$w.dom"
    D=$T/measure-$w.dom
    echo "mail at $w px: viewport $(attr "$D" viewport), overflow $(attr "$D" page-overflow)," \
        "rightmost $(attr "$D" widest-right), images $(attr "$D" images-loaded)/$(attr "$D" images)," \
        "narrowest image $(attr "$D" narrowest-image) px, height $(attr "$D" height)"
    expect_eq "page overflow at $w" "$(attr "$D" page-overflow)" 0
    [ "$(attr "$D" widest-right)" -le "$w" ] || fail "something is wider than $w px"
    expect_eq "images loaded at $w" "$(attr "$D" images-loaded)" 4
    [ "$(attr "$D" narrowest-image)" -ge 250 ] || fail "an image narrower than 250 px at $w"
    h=$(attr "$D" height)
    [ "$h" -gt 1000 ] && [ "$h" -lt 20000 ] || fail "page height $h at $w"
    rm -f "$A/mail-$w.png"
    browser "shot-$w" --hide-scrollbars --window-size="$w,$h" --screenshot="$A/mail-$w.png" \
        "file://$H" >/dev/null
    expect_eq "screenshot size at $w" "$(png_size "$A/mail-$w.png")" "${w}x$h"
done
echo "mail ok; screenshots: $A/mail-600.png $A/mail-800.png"
