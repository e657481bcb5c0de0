# Hostile ETL names in reports: quotes, commas, semicolons, newlines, CR, tabs, an escape
# sequence, formulas (= + - @), <script>, non-ASCII text, a name longer than etlhist keeps,
# and a name and an error text (health's last_error) full of control characters (ESC, CR,
# LF, DEL, the C1 CSI U+009B).
# CSV (read back with the sqlite3 shell's RFC 4180 importer) holds every name exactly,
# formulas neutralised with a leading quote and numbers untouched, with ',' and with ';';
# JSON holds every name exactly; text keeps one line per ETL with no control character;
# HTML escapes every name; every output is valid UTF-8.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/rel.sh"
BASE=1795392000
cat >"$T/scn" <<'EOS'
token tok-hostile
etl 1  name="He said \"hi\", then left" period=3600 duration=60 outcomes=OK
etl 2  name="=cmd|' /C calc'!A0" period=3600 duration=60 outcomes=ERROR
etl 3  name="<script>alert(1)</script>" period=3600 duration=60 outcomes=OK
etl 4  name="Zürich – 東京 ✓ naïve" period=3600 duration=60 outcomes=ABORTED
etl 5  name="+SUM(1,2)" period=3600 duration=60 outcomes=WARNING
etl 6  name="-2+3" period=3600 duration=60 outcomes=OK
etl 7  name="@import; a;b" period=3600 duration=60 outcomes=OK
etl 8  name="line one" period=3600 duration=60 outcomes=OK
etl 9  name="tab" period=3600 duration=60 outcomes=OK
etl 10 name="esc" period=3600 duration=60 outcomes=ERROR
etl 11 name="a\\b & 'c' <d>" period=3600 duration=60 outcomes=OK
etl 12 name="-5" period=3600 duration=60 outcomes=OK
etl 14 name="ctl" period=3600 duration=60 outcomes=OK
EOS
# 13: 150 two-byte characters and a three-byte one, 303 bytes: longer than a stored name.
printf 'etl 13 name="%s✓" period=3600 duration=60 outcomes=OK\n' \
    "$(printf '%.0sé' $(seq 150))" >>"$T/scn"
start_fakeco "$T/scn"
secret_file "$T/token" tok-hostile
DB=$T/h.db
printf '[collect]\ndb = %s\n[instance prod]\nurl = %s\ntoken_file = %s\netls = all\n' \
    "$DB" "$URL" "$T/token" >"$T/conf"
for i in 1 2 3 4 5 6; do
    collect_at $((BASE + i * 600 - 570)) -c "$T/conf"
    expect_eq "pass $i" "$RC" 0
done
# Names a scenario line cannot carry (the collector stores what the server sends verbatim):
sql "UPDATE etl SET name = 'line one' || char(10) || 'line two' || char(13) || 'three' WHERE etl_id = 8;
     UPDATE etl SET name = char(9) || '=tab first' WHERE etl_id = 9;
     UPDATE etl SET name = char(27) || '[31mred' || char(27) || '[0m' WHERE etl_id = 10;"
# ESC, CR, LF, DEL and the C1 CSI (U+009B, which terminals may obey like ESC [) in a name
# and in the last error health shows.
CTL="char(27) || '[2J' || char(13) || 'cr' || char(10) || 'lf' || char(127) || 'del' || char(155) || '31mcsi'"
sql "UPDATE etl SET name = 'ctl ' || $CTL WHERE etl_id = 14;
     UPDATE sample SET status = NULL, exit_code = NULL, last_exec_ago_s = NULL, task_id = NULL,
         http_code = 500, error = 'HTTP 500: ' || $CTL
     WHERE (etl_ref, first_seen, seq) = (SELECT s.etl_ref, s.first_seen, s.seq FROM sample s JOIN etl e ON e.id = s.etl_ref WHERE e.etl_id = 14 ORDER BY s.first_seen DESC, s.seq DESC LIMIT 1);"
N=$(sql "SELECT count(*) FROM etl")
W="--since 2026-11-23 --until 2026-11-24"
soft_eq() { # soft_eq WHAT GOT WANT
    [ "$2" = "$3" ] || soft_fail "$1: got [$2], want [$3]"
}
utf8() { # utf8 FILE: true when FILE is valid UTF-8
    iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1
}
report() { # report NAME FORMAT [options]: into $T/NAME.FORMAT
    r=$1 f=$2
    shift 2
    "$B/etlhist-report" "$r" --db "$DB" -f "$f" $W "$@" >"$T/$r.$f" 2>"$T/$r.$f.err" ||
        { soft_fail "$r -f $f failed: $(cat "$T/$r.$f.err")" && rm -f "$T/$r.$f" && return 1; }
}

# What a spreadsheet-safe CSV cell of each name must read.
want_csv="CASE WHEN substr(name, 1, 1) IN ('=', '+', '-', '@', char(9), char(13)) THEN '''' || name ELSE name END"
# csv_check REPORT SEPARATOR: every row read back holds the exact (neutralised) name.
csv_check() {
    rm -f "$T/import.db"
    sqlite3 -batch "$T/import.db" ".mode csv" ".separator '$2'" ".import '$T/$1.csv' got" ||
        soft_fail "$1: CSV does not read back"
    got=$(sqlite3 -batch "$T/import.db" "ATTACH '$DB' AS h;
        SELECT count(*) FROM got g JOIN h.etl e ON e.etl_id = CAST(g.etl_id AS INTEGER)
        WHERE g.etl_name = (SELECT $want_csv FROM h.etl x WHERE x.id = e.id)")
    soft_eq "$1 CSV ('$2'): names read back exactly" "$got" "$N"
    soft_eq "$1 CSV ('$2'): ids are plain numbers" \
        "$(sqlite3 -batch "$T/import.db" "SELECT count(*) FROM got WHERE etl_id GLOB '[1-9]*' AND etl_id NOT GLOB '*[^0-9]*'")" "$N"
}
for r in etls summary health; do
    report $r csv && csv_check $r ,
    report $r csv --delimiter ';' && csv_check $r ';'
done

# JSON: exact names, compared with what the sqlite3 shell writes as JSON for the same rows.
sqlite3 -json "$DB" "SELECT etl_id, name AS etl_name FROM etl ORDER BY etl_id" >"$T/want.json"
for r in etls summary health; do
    report $r json || continue
    jq -e --slurpfile want "$T/want.json" \
        '[.rows[] | {etl_id, etl_name}] | sort_by(.etl_id) == $want[0]' "$T/$r.json" >/dev/null ||
        soft_fail "$r JSON: names differ: $(jq -c '[.rows[] | .etl_name]' "$T/$r.json")"
done

# CSV and JSON keep the error text exactly.
want_err=$(sql "SELECT hex(error) FROM sample WHERE error LIKE 'HTTP 500: %'")
report health csv && {
    rm -f "$T/import.db"
    sqlite3 -batch "$T/import.db" ".mode csv" ".import '$T/health.csv' got"
    soft_eq "health CSV: last_error read back exactly" \
        "$(sqlite3 -batch "$T/import.db" "SELECT hex(last_error) FROM got WHERE etl_id = '14'")" "$want_err"
}
report health json &&
    soft_eq "health JSON: last_error exact" \
        "$(jq -j '.rows[] | select(.etl_id == 14) | .last_error' "$T/health.json" | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" "$want_err"

# no_control FILE WHAT: no C0 control but the line end, no DEL, no C1 control (UTF-8 C2 80..9F).
no_control() {
    LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$1" &&
        soft_fail "$2: a control character got through: $(od -c "$1" | grep -m3 '\\033\|\\r\|\\t\|177')"
    LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$1" &&
        soft_fail "$2: a C1 control got through: $(od -c "$1" | grep -m3 '302')"
    return 0
}
# Text: one line per ETL, names shown (long ones cut), no control character but the line end.
for r in etls summary health; do
    report $r text || continue
    no_control "$T/$r.text" "$r text"
    for id in 1 2 3 4 8 9 10 14; do
        lines=$(grep -c "^ *$id " "$T/$r.text" || true)
        soft_eq "$r text: one line for ETL $id" "$lines" 1
    done
    grep -q "Zürich – 東京" "$T/$r.text" || soft_fail "$r text: non-ASCII name mangled"
    grep -q '<script>alert(1)</script>$' "$T/$r.text" || soft_fail "$r text: name altered" # whole, last
    grep -q '^ *14 .* ctl  \[2J cr lf del 31mcsi$' "$T/$r.text" || soft_fail "$r text: control characters not shown as spaces"
done
grep -q 'HTTP 500:  \[2J cr' "$T/health.text" || soft_fail "health text: last error not shown"
# stderr: --fail-on names the ETL on one line of its own.
"$B/etlhist-report" health --db "$DB" $W -o /dev/null --fail-on 'errors>0' 2>"$T/failon.err" &&
    soft_fail "--fail-on errors>0 did not fire"
soft_eq "--fail-on: one line" "$(wc -l <"$T/failon.err")" 1
no_control "$T/failon.err" "--fail-on stderr"

# HTML: every name escaped, nothing executable, no control character, UTF-8 kept.
for r in etls summary health; do
    report $r html || continue
    no_control "$T/$r.html" "$r HTML"
    grep -q '<script>alert' "$T/$r.html" && soft_fail "$r HTML: <script> not escaped"
    grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$T/$r.html" || soft_fail "$r HTML: the <script> name is missing"
    grep -q 'a\\b &amp; ' "$T/$r.html" || soft_fail "$r HTML: & not escaped"
    grep -q "Zürich – 東京" "$T/$r.html" || soft_fail "$r HTML: non-ASCII name mangled"
    LC_ALL=C grep -q "$(printf '\033')" "$T/$r.html" && soft_fail "$r HTML: an escape character got through"
done
# Every output is valid UTF-8, whatever length of name the server sent.
sqlite3 "$DB" "SELECT name FROM etl" >"$T/names.txt"
utf8 "$T/names.txt" || soft_fail "the database holds a name that is not valid UTF-8"
for f in "$T"/*.csv "$T"/*.json "$T"/*.text "$T"/*.html; do
    case $f in */want.json) continue ;; esac
    [ -e "$f" ] || continue
    utf8 "$f" || soft_fail "$(basename "$f"): not valid UTF-8"
done
soft_done
echo "hostile names ok"
