# Shared helpers for integration tests: a fake CO server on loopback, the collector run at
# chosen instants under libfaketime, and assertions. Source it with the build dir as $1.
set -eu
B=$1
T=$(mktemp -d "${TMPDIR:-/tmp}/etlhist-it.XXXXXX")
FAKETIME_LIB=${FAKETIME_LIB:-/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1}
# Sanitizer builds run under LD_PRELOAD=libfaketime too: ASan need not be loaded first.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
# fontconfig's font cache (reached by the -f mail charts) lives until exit (tests/lsan.supp).
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$(cd "$(dirname "$0")/.." && pwd)/lsan.supp:print_suppressions=0"
FAKECO_PID=
# The schema version this build writes (common/db.h).
SCHEMA_VERSION=$(sed -n 's/^#define DB_SCHEMA_VERSION //p' "$(dirname "$0")/../../common/db.h")

cleanup() {
    [ -n "$FAKECO_PID" ] && kill "$FAKECO_PID" 2>/dev/null && wait "$FAKECO_PID" 2>/dev/null
    [ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT INT TERM

# has_mail: whether etlhist-report has -f mail (a MAIL=0 build says mail=0 in B/features).
has_mail() {
    ! grep -qx 'mail=0' "$B/features" 2>/dev/null
}

# needs_mail: ends a script that tests -f mail alone, in a MAIL=0 build, as skipped.
needs_mail() {
    has_mail || {
        echo "SKIP: needs -f mail; this build has MAIL=0"
        exit 0
    }
}

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# start_fakeco SCENARIO_FILE [FAKECO_OPTION...]: serves it on a free port; sets PORT and URL;
# clock in $T/clock.
start_fakeco() {
    echo "${CLOCK:-1795392000}" >"$T/clock"
    rm -f "$T/port"
    "$B/fakeco" --scenario "$@" --port-file "$T/port" --clock-file "$T/clock" \
        >"$T/fakeco.out" 2>"$T/fakeco.err" &
    FAKECO_PID=$!
    i=0
    while [ ! -s "$T/port" ]; do
        i=$((i + 1))
        [ $i -gt 100 ] && fail "fakeco did not start: $(cat "$T/fakeco.err")"
        sleep 0.05
    done
    PORT=$(cat "$T/port")
    URL="http://127.0.0.1:$PORT"
}

# at EPOCH CMD...: runs CMD with the fake server's and the command's clock at EPOCH.
at() {
    t=$1
    shift
    echo "$t" >"$T/clock"
    LD_PRELOAD="$FAKETIME_LIB" FAKETIME_FMT=%s FAKETIME="@$t" FAKETIME_DONT_FAKE_MONOTONIC=1 "$@"
}

# collect_under WRAP EPOCH ARGS...: one collector pass at EPOCH, run as `WRAP env ... collector`
# (WRAP a command or shell function, or "" for none); the exit code is left in RC.
collect_under() {
    wrap=$1 t=$2
    shift 2
    echo "$t" >"$T/clock"
    set +e
    $wrap env LD_PRELOAD="$FAKETIME_LIB" FAKETIME_FMT=%s FAKETIME="@$t" \
        FAKETIME_DONT_FAKE_MONOTONIC=1 "$B/etlhist-collect" "$@" >>"$T/collect.out" 2>>"$T/collect.err"
    RC=$?
    set -e
}

# collect_at EPOCH ARGS...: one collector pass at EPOCH; the exit code is left in RC.
collect_at() {
    collect_under "" "$@"
}

sql() {
    sqlite3 -batch -noheader "$DB" "$1"
}

# expect_eq WHAT GOT WANT
expect_eq() {
    [ "$2" = "$3" ] || fail "$1: got [$2], want [$3]"
}

secret_file() {
    printf '%s\n' "$2" >"$1"
    chmod 600 "$1"
}
