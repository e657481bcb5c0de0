# The CSV of every report in a real spreadsheet: LibreOffice Calc (Debian's
# libreoffice-calc, headless) imports each one, as a person opening it would (UTF-8,
# English number format, "detect special numbers" off: Calc's default), and saves it as a
# flat ODS file that tests/ui/fods_check.py reads back cell by cell: numbers are numbers,
# *_utc columns dates with a date-and-time format, neutralised cells text, non-ASCII names
# intact. Also with --delimiter ';' and --bom.
. "$(dirname "$0")/lib.sh"
UI=$(cd "$(dirname "$0")/../ui" && pwd)
. "$(cd "$(dirname "$0")/../golden" && pwd)/record.sh"
command -v soffice >/dev/null || fail "soffice is not installed (make deps installs libreoffice-calc)"
record_golden_db
R="$B/etlhist-report"
mkdir -p "$T/home" "$T/comma" "$T/semicolon"

# calc DELIMITER_CODE DIR: converts every DIR/*.csv into DIR/out/*.fods, in one bounded
# soffice run with a private profile (-env:UserInstallation) and HOME.
calc() {
    HOME="$T/home" timeout -k 10 240 soffice -env:UserInstallation="file://$T/lo-profile" \
        --headless --norestore --nologo --nolockcheck --nodefault \
        --infilter="CSV:$1,34,76,1,,1033,false,false" --convert-to fods --outdir "$2/out" \
        "$2"/*.csv >"$2/soffice.out" 2>&1 || fail "soffice failed or timed out: $(tail -n 3 "$2/soffice.out")"
}

n=0
for r in summary failures runs services trend health etls schedule missed; do
    # shellcheck disable=SC2086
    "$R" $r $W -f csv -o "$T/comma/$r.csv" || fail "$r csv"
    # shellcheck disable=SC2086
    "$R" $r $W -f csv --bom -o "$T/comma/$r-bom.csv" || fail "$r csv --bom"
    # shellcheck disable=SC2086
    "$R" $r $W -f csv --delimiter ';' -o "$T/semicolon/$r.csv" || fail "$r csv ;"
    # shellcheck disable=SC2086
    "$R" $r $W -f csv --delimiter ';' --bom -o "$T/semicolon/$r-bom.csv" || fail "$r csv ; --bom"
    n=$((n + 4))
done
# A control: the summary with ETL 80's name not neutralised must not pass the check.
sed "s/\"'=SUM/\"=SUM/" "$T/comma/summary.csv" >"$T/comma/control.csv"
grep -q '"=SUM' "$T/comma/control.csv" || fail "control not made"
# A second control: the times in the form with a space, which Calc takes for text unless
# "detect special numbers" is on.
sed 's/\([0-9]\{4\}-[0-9][0-9]-[0-9][0-9]\)T\([0-9][0-9]:\)/\1 \2/g' "$T/comma/summary.csv" >"$T/comma/control-space.csv"
grep -q ',2026-11-23 23:10:00,' "$T/comma/control-space.csv" || fail "second control not made"

calc 44 "$T/comma"
calc 59 "$T/semicolon"

total() { awk -v k="$2" '$1 == "count" && $2 == k { n += $3 } END { print n + 0 }' "$1"; }
: >"$T/all.check"
for f in "$T"/comma/*.csv "$T"/semicolon/*.csv; do
    case $f in */control*.csv) continue ;; esac
    d=,
    case $f in */semicolon/*) d=';' ;; esac
    fods="$(dirname "$f")/out/$(basename "$f" .csv).fods"
    [ -s "$fods" ] || fail "no spreadsheet for $f"
    python3 "$UI/fods_check.py" "$f" "$fods" "$d" >"$f.check" || fail "cannot check $f"
    ! grep '^error' "$f.check" || fail "$(basename "$(dirname "$f")")/$(basename "$f") did not come through"
    cat "$f.check" >>"$T/all.check"
    n=$((n - 1))
done
expect_eq "spreadsheets checked" "$n" 0
echo "$(total "$T/all.check" float) numbers, $(total "$T/all.check" date) dates," \
    "$(total "$T/all.check" string) texts ($(total "$T/all.check" neutralised) neutralised," \
    "$(total "$T/all.check" non_ascii) non-ASCII), $(total "$T/all.check" empty) empty cells"

# The summary by hand, in each of the four files: 8 rows of 24 columns; 6 last_start_utc
# dates (ETLs 40 and 60 never ran); ETL 80's name neutralised and intact.
for f in comma/summary comma/summary-bom semicolon/summary semicolon/summary-bom; do
    C=$T/$f.csv.check
    expect_eq "$f dates" "$(total "$C" date)" 6
    expect_eq "$f neutralised" "$(total "$C" neutralised)" 1
    expect_eq "$f non-ASCII" "$(total "$C" non_ascii)" 1
    expect_eq "$f cells" "$(($(total "$C" float) + $(total "$C" date) + $(total "$C" string) + \
        $(total "$C" empty)))" $((9 * 24))
done
# The BOM is there, and is not part of the first heading.
expect_eq "BOM" "$(head -c 3 "$T/semicolon/summary-bom.csv" | od -An -tx1 | tr -d ' ')" efbbbf
expect_eq "first heading after a BOM" \
    "$(grep -m1 -o '<text:p>[^<]*</text:p>' "$T/semicolon/out/summary-bom.fods")" "<text:p>instance</text:p>"
# The checker does catch a formula-looking name that is not neutralised.
python3 "$UI/fods_check.py" "$T/comma/control.csv" "$T/comma/out/control.fods" , >"$T/control.check"
grep -q '^error' "$T/control.check" || fail "the control passed: the check would miss a formula"
echo "control: $(grep -m1 '^error' "$T/control.check")"
python3 "$UI/fods_check.py" "$T/comma/control-space.csv" "$T/comma/out/control-space.fods" , >"$T/control-space.check"
grep -q "^error row 2 last_start_utc: '2026-11-23 23:10:00' is string, want date" "$T/control-space.check" ||
    fail "the second control passed: the check would miss times taken for text"
echo "control: $(grep -m1 '^error' "$T/control-space.check")"
echo "spreadsheet ok"
