# The text summary in a terminal of 80, 100 and 160 columns (script(1) gives the report a
# terminal): every ETL name whole, at the end of its row; every other part of a line within
# the terminal's width; the same page whatever the width when the output is a file.
. "$(dirname "$0")/lib.sh"
. "$(cd "$(dirname "$0")/../golden" && pwd)/record.sh"
record_golden_db
R="$B/etlhist-report"
# shellcheck disable=SC2086
"$R" summary $W -f csv --no-header | tr -d '\r' | python3 -c '
import csv, sys
for row in csv.reader(sys.stdin):
    name = row[2]
    # CSV neutralises a leading = + - @ with a quote (docs/reports.md)
    print(name[1:] if name[:2] in ("\x27=", "\x27+", "\x27-", "\x27@") else name)' >"$T/names"
[ "$(wc -l <"$T/names")" -eq 8 ] || fail "expected 8 ETL names"
for cols in 80 100 160; do
    # shellcheck disable=SC2086
    script -qec "stty cols $cols; $R summary $W" /dev/null | tr -d '\r' >"$T/tty$cols"
    grep -q '^etlhist summary' "$T/tty$cols" || fail "$cols columns: no report: $(head -3 "$T/tty$cols")"
    python3 - "$T/tty$cols" "$T/names" "$cols" <<'PY' || fail "$cols columns: see above"
import sys
text = open(sys.argv[1], encoding="utf-8").read().split("\n")
names = [n for n in open(sys.argv[2], encoding="utf-8").read().split("\n") if n]
width = int(sys.argv[3])
rows = [l for l in text if any(l.endswith(" " + n) for n in names)]
bad = 0
for n in names:
    if not any(l.endswith(" " + n) for l in rows):
        print("name not whole at the end of a row:", n); bad = 1
for l in text:
    name = next((n for n in names if l.endswith(" " + n)), None)
    rest = len(l) - (len(name) - 8 if name and len(name) > 8 else 0)
    if rest > width:
        print("line wider than %d: %r" % (width, l)); bad = 1
sys.exit(bad)
PY
done
[ "$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$T/tty80")" -lt \
    "$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$T/tty160")" ] ||
    fail "the 160-column page is no wider than the 80-column one"
# A file is the same whatever the terminal: the width is 100 there.
# shellcheck disable=SC2086
COLUMNS=40 "$R" summary $W -o "$T/file1"
# shellcheck disable=SC2086
script -qec "stty cols 160; $R summary $W -o $T/file2" /dev/null >/dev/null
cmp "$T/file1" "$T/file2" || fail "a file's width followed the terminal"
echo "text widths ok"
