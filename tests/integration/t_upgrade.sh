# Histories recorded by earlier releases are upgraded in place by the collector's first
# read-write open: a schema v1 file (tests/data/v1, the v1 collector), a schema v2 file
# with follow rounds (tests/data/v2, the v2 collector with follow on) and a schema v3 file
# with two instances, a deleted ETL and failed passes (tests/data/v3). For each: the report
# refuses it untouched before; after it the file has the tables, columns, views and indexes
# of a new file, every report is that release's own output row for row (in that release's
# columns: columns added since at the end are not compared), every row is kept, and
# --rebuild-runs derives the same runs the upgrade carried over.
. "$(dirname "$0")/lib.sh"
REPORTS="summary failures runs services trend health etls schedule missed"

# A new file of this build: what every upgraded file must look like.
FRESH=$T/fresh.db
"$B/etlhist-collect" --db "$FRESH" --prune 36500 || fail "cannot create a new database"
# layout FILE: every table's columns in order, then every view and index, by name.
layout() {
    sqlite3 -batch -noheader "$1" "SELECT m.type, m.name, p.cid, p.name FROM sqlite_schema m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY 2, 3; SELECT type, name FROM sqlite_schema WHERE type IN ('view', 'index') ORDER BY 1, 2"
}
layout "$FRESH" >"$T/layout.fresh"
grep -q '^view|v_pass$' "$T/layout.fresh" || fail "new file: no views listed"

# The columns of a report judged by rules that changed since the files' releases: the trend's
# regression (evidence needed), a run's expected start, delay and lateness, and the summary's
# late and missed counts (manual runs, wall clocks, deletions); "all" for reports that are
# judgement through and through (schedule, missed).
judged_columns() {
    case $1 in
    trend) echo regression ;;
    runs | failures) echo expected_start_utc delay_s late ;;
    summary) echo late missed ;;
    schedule | missed) echo all ;;
    esac
}

# csv_same EXPECTED GOT [COLUMN...]: GOT has EXPECTED's rows in the same order, each cut to
# the columns of EXPECTED's header (later releases add columns at the end); fields compared as
# parsed CSV, so a name with a comma or a quote stays one field. The COLUMNs given are left
# out of the comparison (rules that changed since). The releases of these files wrote *_utc
# times as "YYYY-MM-DD hh:mm:ss": EXPECTED's are read in the "YYYY-MM-DDThh:mm:ss" form
# written since, and nothing else in them is changed.
csv_same() {
    python3 - "$@" <<'EOP'
import csv, re, sys
with open(sys.argv[1], newline='') as f:
    want = list(csv.reader(f))
with open(sys.argv[2], newline='') as f:
    got = list(csv.reader(f))
n = len(want[0])
old_time = re.compile(r"^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)$")
for c, name in enumerate(want[0]):
    if name.endswith("_utc"):
        for r in want[1:]:
            if len(r) > c:
                r[c] = old_time.sub(r"\1T\2", r[c])
for name in sys.argv[3:]:
    skip = want[0].index(name)
    for rows in (want, got):
        for r in rows:
            if len(r) > skip:
                r[skip] = ""
bad = [i for i in range(max(len(want), len(got)))
       if i >= len(want) or i >= len(got) or len(got[i]) < n or got[i][:n] != want[i]]
for i in bad[:5]:
    print("row %d: want %s, got %s" % (i + 1, want[i] if i < len(want) else None,
                                       got[i][:n] if i < len(got) else None), file=sys.stderr)
sys.exit(1 if bad or not want else 0)
EOP
}

counts() { sql "SELECT (SELECT count(*) FROM sample), (SELECT count(*) FROM run), (SELECT count(*) FROM pass), (SELECT sum(polls) FROM sample)"; }

# upgrade FROM WINDOW: the file of release FROM, its reports over WINDOW.
upgrade() {
    from=$1 window=$2
    data=$(cd "$(dirname "$0")/../data/v$from" && pwd)
    DB=$T/v$from.db
    cp "$data/history.db" "$DB"
    old_counts=$(counts)
    expect_eq "v$from file" "$(sql "PRAGMA user_version")" "$from"

    # The report never upgrades: a clear message, the file byte for byte as it was.
    sum_before=$(md5sum <"$DB")
    rc=0
    # shellcheck disable=SC2086 # the window is a list of words
    "$B/etlhist-report" summary --db "$DB" $window >/dev/null 2>"$T/report.err" || rc=$?
    expect_eq "report on a v$from file: exit code" "$rc" 3
    grep -q "older schema; run etlhist-collect once to upgrade it" "$T/report.err" ||
        fail "report on a v$from file: no clear message: $(cat "$T/report.err")"
    expect_eq "report left the v$from file alone" "$(md5sum <"$DB")" "$sum_before"

    # A failed upgrade (here: the file is read-only) leaves the file intact.
    if [ "$(id -u)" != 0 ]; then
        chmod 444 "$DB"
        rc=0
        "$B/etlhist-collect" --db "$DB" --prune 36500 2>"$T/ro.err" || rc=$?
        [ "$rc" -ne 0 ] || fail "upgrade of a read-only v$from file reported success"
        expect_eq "read-only v$from file intact" "$(md5sum <"$DB")" "$sum_before"
        chmod 644 "$DB"
    fi

    # The collector's first open upgrades (--prune 36500 deletes nothing: 100 years).
    "$B/etlhist-collect" --db "$DB" --prune 36500 2>"$T/up.err" ||
        fail "upgrade of v$from failed: $(cat "$T/up.err")"
    expect_eq "v$from: schema version" "$(sql "PRAGMA user_version")" "$SCHEMA_VERSION"
    expect_eq "v$from: integrity" "$(sql "PRAGMA integrity_check")" ok
    expect_eq "v$from: foreign keys" "$(sql "PRAGMA foreign_key_check")" ""
    expect_eq "v$from: samples, runs, passes and polls kept" "$(counts)" "$old_counts"
    expect_eq "v$from: each pass took the instance's interval" \
        "$(sql "SELECT group_concat(DISTINCT interval_s) FROM pass")" 300
    expect_eq "v$from: a sample's first answer came by the end of its pass, as before" \
        "$(sql "SELECT count(*) FROM sample s JOIN etl e ON e.id = s.etl_ref WHERE s.first_by_s <> coalesce((SELECT p.took_s FROM pass p WHERE p.instance_id = e.instance_id AND p.started = s.first_seen AND p.seq = 0), 0)")" 0
    expect_eq "v$from: no follow rounds counted on passes" \
        "$(sql "SELECT sum(follow_rounds + follow_polled + follow_errors) FROM pass")" 0
    expect_eq "v$from: the columns of schema v4" \
        "$(sql "SELECT (SELECT count(*) FROM pragma_table_info('instance') WHERE name = 'tz'), (SELECT count(*) FROM pragma_table_info('etl') WHERE name = 'deleted_since'), (SELECT count(*) FROM pragma_table_info('pass') WHERE name = 'error_class')")" "1|1|1"
    layout "$DB" >"$T/layout.v$from"
    diff -u "$T/layout.fresh" "$T/layout.v$from" >&2 || fail "v$from: tables, views or indexes differ from a new file's"
    expect_eq "v$from: every pass that observed nothing has a class, and only those" \
        "$(sql "SELECT count(*) FROM pass WHERE (ok = 0) != (error_class IS NOT NULL)")" 0

    # What was recorded is reported as that release reported it: every column of its CSVs but
    # those judged by rules that changed since (judged_columns); what this release judges is
    # kept in tests/data/vN/current/ (UPDATE_GOLDEN=1 rewrites it) and compared whole.
    for r in $REPORTS; do
        # shellcheck disable=SC2086
        "$B/etlhist-report" "$r" --db "$DB" $window -f csv -o "$T/$r.csv" || fail "v$from: $r report failed"
        judged=$(judged_columns "$r")
        if [ "$judged" != all ]; then
            # shellcheck disable=SC2086 # a list of column names
            csv_same "$data/expected/$r.csv" "$T/$r.csv" $judged ||
                fail "v$from: $r report differs from v$from's"
        fi
        if [ -n "${UPDATE_GOLDEN:-}" ]; then
            mkdir -p "$data/current"
            cp "$T/$r.csv" "$data/current/$r.csv"
        fi
        cmp -s "$data/current/$r.csv" "$T/$r.csv" ||
            fail "v$from: $r differs from this release's judgement (tests/data/v$from/current/$r.csv)"
    done

    sql "SELECT * FROM run ORDER BY etl_ref, start_ts, seq" >"$T/runs.upgraded"
    "$B/etlhist-collect" --db "$DB" --rebuild-runs -q || fail "--rebuild-runs failed on the upgraded v$from"
    sql "SELECT * FROM run ORDER BY etl_ref, start_ts, seq" >"$T/runs.rebuilt"
    [ -s "$T/runs.rebuilt" ] || fail "v$from: no runs rebuilt"
    diff -u "$T/runs.upgraded" "$T/runs.rebuilt" >&2 || fail "v$from: rebuilt runs differ from the upgraded ones"

    # A second open finds the current schema and changes nothing.
    "$B/etlhist-collect" --db "$DB" --prune 36500 || fail "v$from: second open failed"
    expect_eq "v$from: rows after a second open" "$(counts)" "$old_counts"
    echo "upgrade v$from -> v$SCHEMA_VERSION ok ($(echo "$old_counts" | cut -d'|' -f2) runs, $(echo $REPORTS | wc -w) reports identical)"
}

upgrade 1 "--since 2026-11-16T00:00Z --until 2026-11-18T00:00Z --tz UTC"
DB=$T/v1.db
expect_eq "v1: undocumented exit codes verbatim" \
    "$(sql "SELECT group_concat(exit_code, ',') FROM (SELECT DISTINCT exit_code FROM v_run WHERE exit_code NOT IN ('OK', 'WARNING', 'ERROR') ORDER BY 1)")" \
    "Exit_7,FAILED,PARTIAL_SUCCESS"

# The v2 file has follow rounds, each a pass row of its own then: they stay, and the runs
# their samples ended keep the narrow bounds and skew v2 gave them.
upgrade 2 "$(cat "$(dirname "$0")/../data/v2/window") --tz UTC"
DB=$T/v2.db
[ "$(sql "SELECT count(*) FROM pass")" -gt 2000 ] || fail "v2: the file has no follow rounds to keep"
expect_eq "v2: the file's skew is kept" "$(sql "SELECT count(*) FROM pass WHERE server_skew_s IS NULL OR server_skew_s > -70")" 0

# The v3 file has two instances, an ETL deleted mid-way and passes that observed nothing.
upgrade 3 "$(cat "$(dirname "$0")/../data/v3/window") --tz UTC"
DB=$T/v3.db
expect_eq "v3: ETLs whose final answers are 400 are deleted since the first of them" \
    "$(sql "SELECT group_concat(i.name || ' ' || e.etl_id || ' ' || datetime(e.deleted_since, 'unixepoch'), ', ') FROM etl e JOIN instance i ON i.id = e.instance_id WHERE e.deleted_since IS NOT NULL ORDER BY 1")" \
    "listed 701 2026-11-16 03:05:30, listed 999 2026-11-16 00:00:30"
expect_eq "v3: the failed ETL list is a server fault" \
    "$(sql "SELECT group_concat(DISTINCT error_class) || ' ' || count(*) FROM pass WHERE ok = 0")" "server 6"
