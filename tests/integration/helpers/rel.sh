# Helpers for the reliability tests (t_rel_*.sh), sourced after lib.sh: background
# processes that are always cleaned up, the scripted HTTP stub, raw HTTP responses.
HELPERS=$(cd "$(dirname "$0")/helpers" && pwd)
REL_PIDS=

rel_cleanup() {
    for p in $REL_PIDS; do kill "$p" 2>/dev/null || true; done
    for p in $REL_PIDS; do wait "$p" 2>/dev/null || true; done
    REL_PIDS=
    cleanup
}
trap rel_cleanup EXIT
trap 'exit 1' INT TERM

# track PID: killed (TERM) and reaped when the test ends.
track() {
    REL_PIDS="$REL_PIDS $1"
}

# wait_until SECONDS CMD...: polls CMD every 0.05 s; fails the test after SECONDS.
wait_until() {
    limit=$(($1 * 20))
    shift
    n=0
    until "$@"; do
        n=$((n + 1))
        [ $n -gt $limit ] && fail "timed out waiting for: $*"
        sleep 0.05
    done
}

# now_ms: wall-clock milliseconds (the real clock: never call it under faketime).
now_ms() {
    echo $(($(date +%s%N) / 1000000))
}

# build_stub: compiles helpers/httpstub.c into $T/httpstub (plain cc: it is test scaffolding).
build_stub() {
    ${HOSTCC:-cc} -std=c11 -D_GNU_SOURCE -O1 -pthread -o "$T/httpstub" "$HELPERS/httpstub.c" ||
        fail "cannot build the HTTP stub"
}

# start_stub DIR: serves DIR/rules, logs to DIR/log; sets STUB_PORT.
start_stub() {
    rm -f "$1/port"
    : >"$1/log"
    "$T/httpstub" --port-file "$1/port" --rules "$1/rules" --log "$1/log" 2>"$1/err" &
    track $!
    n=0
    while [ ! -s "$1/port" ]; do
        n=$((n + 1))
        [ $n -gt 100 ] && fail "httpstub did not start: $(cat "$1/err")"
        sleep 0.05
    done
    STUB_PORT=$(cat "$1/port")
}

# http_resp FILE "CODE REASON" BODY [HEADER...]: a raw HTTP/1.1 response with CRLF line ends.
# Content-Length is the body's unless a "Content-Length: N" header is given.
http_resp() {
    f=$1 status=$2 body=$3
    shift 3
    {
        printf 'HTTP/1.1 %s\r\n' "$status"
        printf 'Content-Type: application/json\r\n'
        cl=
        for h in "$@"; do
            printf '%s\r\n' "$h"
            case "$h" in Content-Length:*) cl=1 ;; esac
        done
        [ -n "$cl" ] || printf 'Content-Length: %s\r\n' "$(printf %s "$body" | wc -c)"
        printf '\r\n%s' "$body"
    } >"$f"
}

# no_dns CMD...: runs CMD where host-name lookups fail locally. As root, a private mount
# namespace points resolv.conf at a closed loopback port, so no query leaves the machine;
# elsewhere the name (.invalid, RFC 6761) fails at the system resolver.
no_dns() {
    if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null &&
        unshare -m true 2>/dev/null; then
        printf 'nameserver 127.0.0.1\noptions attempts:1 timeout:1\n' >"$T/resolv.conf"
        unshare -m sh -c 'mount --bind "$0" /etc/resolv.conf && exec "$@"' "$T/resolv.conf" "$@"
    else
        "$@"
    fi
}


# soft_fail MSG: records a failed check and goes on, so that one run reports every defect
# the test meets; soft_done then fails the test if any was recorded.
soft_fail() {
    echo "FAIL: $*" >&2
    echo "$*" >>"$T/soft.failures"
}
soft_done() {
    [ ! -s "$T/soft.failures" ] || fail "$(wc -l <"$T/soft.failures") check(s) failed, listed above"
}
