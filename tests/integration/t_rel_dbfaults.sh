# Database faults on a file that already holds history: a newer schema, a read-only file, a
# read-only folder (with and without the lock file), a full disk (a file-size limit, and as
# root also a full tmpfs). Each time: a clear error naming the database, exit 3, and the file
# still passes integrity_check and holds every earlier pass unchanged; a later pass works.
# Not-a-database files are t_collect_exit.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/rel.sh"
BASE=1795392000
N=200
{
    echo "token tok-dbf"
    i=1
    while [ $i -le $N ]; do
        echo "etl $i name=\"E $i\" period=$((600 + i % 4 * 300)) offset=$((i * 13)) duration=$((120 + i % 3 * 120)) outcomes=OK,ERROR,WARNING"
        i=$((i + 1))
    done
} >"$T/scn"
start_fakeco "$T/scn"
secret_file "$T/token" tok-dbf
mkdir "$T/d"
DB=$T/d/h.db
printf '[collect]\ndb = %s\n[instance prod]\nurl = %s\ntoken_file = %s\netls = all\n' \
    "$DB" "$URL" "$T/token" >"$T/conf"
for i in 1 2 3; do
    collect_at $((BASE + i * 300)) -c "$T/conf"
    expect_eq "history pass $i" "$RC" 0
done
NEXT=$((BASE + 1200))

# What must survive every fault: all tables, and integrity.
snapshot() {
    sqlite3 "$DB" ".dump instance" ".dump etl" ".dump pass" ".dump sample" ".dump run" | md5sum
}
GOOD=$(snapshot)
PASSES=$(sql "SELECT count(*) FROM pass")
intact() { # intact WHAT
    expect_eq "$1: integrity" "$(sql "PRAGMA integrity_check")" ok
    expect_eq "$1: every earlier pass, unchanged" "$(snapshot)" "$GOOD"
}
# refused WHAT PATTERN: the last collector run exited 3 with an error line matching PATTERN.
refused() {
    expect_eq "$1: exit code" "$RC" 3
    tail -n 5 "$T/collect.err" | grep -q "$2" ||
        fail "$1: no error matching [$2]: $(tail -n 5 "$T/collect.err")"
    intact "$1"
}

# Root ignores file modes: drop the capabilities that let it, so read-only means read-only.
unprivileged() {
    if [ "$(id -u)" = 0 ]; then
        setpriv --bounding-set=-dac_override,-dac_read_search,-fowner -- "$@"
    else
        "$@"
    fi
}

# --- a newer schema
sql "PRAGMA user_version = $((SCHEMA_VERSION + 1))"
collect_at $NEXT -c "$T/conf"
expect_eq "newer schema: exit code" "$RC" 3
grep -q "h.db: schema version $((SCHEMA_VERSION + 1)) is newer than this etlhist supports" "$T/collect.err" ||
    fail "newer schema: no clear error: $(tail -n 3 "$T/collect.err")"
sql "PRAGMA user_version = $SCHEMA_VERSION"
intact "newer schema"

# --- a read-only file
chmod 444 "$DB"
collect_under unprivileged $NEXT -c "$T/conf"
chmod 644 "$DB"
refused "read-only file" "h.db.*readonly"

# --- a read-only folder, lock file present, then absent
chmod 555 "$T/d"
collect_under unprivileged $NEXT -c "$T/conf"
chmod 755 "$T/d"
refused "read-only folder" "h.db.*\(unable to open\|readonly\|cannot open\)"
rm -f "$DB.lock"
chmod 555 "$T/d"
collect_under unprivileged $NEXT -c "$T/conf"
chmod 755 "$T/d"
refused "read-only folder without a lock file" "h.db.lock.*Permission denied"

# --- a full disk, simulated by a file-size limit: the shared-memory index (32 KiB) fits,
# the pass does not. SIGXFSZ is ignored so writes fail with EFBIG instead of killing.
collect_limited_at() {
    t=$1 limit=$2
    shift 2
    echo "$t" >"$T/clock"
    set +e
    sh -c 'trap "" XFSZ; exec "$@"' sh prlimit --fsize="$limit:$limit" -- \
        env LD_PRELOAD="$FAKETIME_LIB" FAKETIME_FMT=%s FAKETIME="@$t" \
        FAKETIME_DONT_FAKE_MONOTONIC=1 "$B/etlhist-collect" "$@" >>"$T/collect.out" 2>>"$T/collect.err"
    RC=$?
    set -e
}
collect_limited_at $NEXT 40000 -c "$T/conf"
refused "file-size limit" "h.db.*\(disk is full\|disk I/O error\|too large\)"

# --- a full filesystem: as root, a 1 MiB tmpfs in a private mount namespace, filled up
# to leave room for the shared-memory index and a few pages, less than one pass needs.
mkdir "$T/small"
if [ "$(id -u)" = 0 ] && unshare -m sh -c 'mount -t tmpfs -o size=1m tmpfs "$0"' "$T/small" 2>/dev/null; then
    cp "$DB" "$T/small.db"
    echo "$NEXT" >"$T/clock"
    set +e
    unshare -m sh -c '
        set -e
        mount -t tmpfs -o size=1m tmpfs "$1"
        cp "$2" "$1/h.db"
        size=$(stat -c %s "$1/h.db")
        head -c $((1048576 - size - 49152)) /dev/zero >"$1/filler" 2>/dev/null || true
        set +e
        env LD_PRELOAD="$3" FAKETIME_FMT=%s FAKETIME="@$4" FAKETIME_DONT_FAKE_MONOTONIC=1 \
            "$5" -c "$6" --db "$1/h.db"
        rc=$?
        cp "$1/h.db" "$2"
        [ ! -e "$1/h.db-wal" ] || cp "$1/h.db-wal" "$2-wal"
        exit $rc
    ' sh "$T/small" "$T/small.db" "$FAKETIME_LIB" "$NEXT" "$B/etlhist-collect" "$T/conf" \
        >>"$T/collect.out" 2>>"$T/collect.err"
    RC=$?
    set -e
    saved=$DB
    DB=$T/small.db
    refused "full filesystem" "h.db.*database or disk is full"
    DB=$saved
else
    echo "full filesystem (tmpfs) skipped: needs root and mount namespaces"
fi

# --- and afterwards the same file takes the next pass.
collect_at $NEXT -c "$T/conf"
expect_eq "pass after the faults" "$RC" 0
expect_eq "history kept" "$(sql "SELECT count(*) FROM pass")" $((PASSES + 1))
expect_eq "integrity at the end" "$(sql "PRAGMA integrity_check")" ok
echo "database faults ok"
