#!/bin/sh
# Checks that genhist writes the history the real collector would: the same scenario is
# served by fakeco and polled by etlhist-collect (under libfaketime, 5 minutes apart), and
# played by genhist; the etl, sample and run rows must be equal.
#   sh check-genhist.sh BUILD [ETLS] [PASSES]
# Prints "genhist matches etlhist-collect (N ETLs x P passes)" or fails with the difference.
set -eu
B=$(cd "$1" && pwd)
n=${2:-40}
passes=${3:-100}
here=$(cd "$(dirname "$0")" && pwd)
FAKETIME_LIB=${FAKETIME_LIB:-/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1}
start=1736121630
W=$(mktemp -d "${TMPDIR:-/tmp}/etlhist-genchk.XXXXXX")
pid=
cleanup() {
    [ -z "$pid" ] || { kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; }
    [ -n "${KEEP:-}" ] || rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ETL 10008's six-hour fault window opens ten days and two hours after the origin: set the
# origin so that it opens an hour into the checked span (and closes within it at 100 passes).
sh "$here/scenario.sh" "$n" bench-token $((start - 10 * 86400 - 3600)) >"$W/scn"
"$B/fakeco" --scenario "$W/scn" --port-file "$W/port" >"$W/fakeco.out" 2>&1 &
pid=$!
i=0
while [ ! -s "$W/port" ]; do
    i=$((i + 1))
    [ $i -le 200 ] || { echo "check-genhist: fakeco did not start" >&2; exit 1; }
    sleep 0.05
done
url=http://127.0.0.1:$(cat "$W/port")
printf 'bench-token\n' >"$W/token"
chmod 600 "$W/token"
cat >"$W/conf" <<EOF
[collect]
db = $W/collected.db
interval = 300
[instance bench]
url = $url
token_file = $W/token
etls = all
EOF
k=0
while [ $k -lt "$passes" ]; do
    t=$((start + k * 300))
    curl -sf -X POST "$url/_ctl/now?t=$t" >/dev/null
    set +e
    LD_PRELOAD="$FAKETIME_LIB" FAKETIME_FMT=%s FAKETIME="@$t" FAKETIME_DONT_FAKE_MONOTONIC=1 \
        "$B/etlhist-collect" -c "$W/conf" -q 2>>"$W/collect.err" >/dev/null
    set -e
    k=$((k + 1))
done
"$B/bench/genhist" --scenario "$W/scn" --db "$W/generated.db" --start "$start" \
    --passes "$passes" >/dev/null
dump() {
    sqlite3 -readonly "$1" "
        SELECT 'etl', etl_id, name, first_seen, last_seen FROM etl ORDER BY etl_id;
        SELECT 'sample', e.etl_id, s.first_seen, s.seq, s.span_s, s.polls, st.text, ec.text,
               s.last_exec_ago_s, s.task_id, s.http_code, s.error
        FROM sample s JOIN etl e ON e.id = s.etl_ref LEFT JOIN code st ON st.id = s.status
        LEFT JOIN code ec ON ec.id = s.exit_code ORDER BY e.etl_id, s.first_seen, s.seq;
        SELECT 'run', e.etl_id, r.start_ts, r.seq, r.first_running_s, r.last_running_s,
               r.end_seen_s, oc.text, ec.text, r.task_id, r.dur_lo_s, r.dur_hi_s
        FROM run r JOIN etl e ON e.id = r.etl_ref JOIN code oc ON oc.id = r.outcome
        LEFT JOIN code ec ON ec.id = r.exit_code ORDER BY e.etl_id, r.start_ts, r.seq;
        SELECT 'pass', started, seq, polled, ok, errors, interval_s FROM pass ORDER BY started, seq;"
}
dump "$W/collected.db" >"$W/collected.txt"
dump "$W/generated.db" >"$W/generated.txt"
if ! diff -u "$W/collected.txt" "$W/generated.txt" >"$W/diff"; then
    echo "check-genhist: genhist differs from etlhist-collect:" >&2
    head -n 40 "$W/diff" >&2
    exit 1
fi
echo "genhist matches etlhist-collect ($n ETLs x $passes passes, $(grep -c '^sample' "$W/collected.txt") samples, $(grep -c '^run' "$W/collected.txt") runs)"
