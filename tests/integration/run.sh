#!/bin/sh
# run.sh BUILD [NAME...]: runs the named tests/integration/t_NAME.sh (default every one) with
# the build folder as $1, CHECK_JOBS (default 2) at
# a time; each exits non-zero on failure, and one that prints "SKIP: why" as its last line
# and exits 0 was skipped. Each script's output goes to BUILD/tests/NAME.log; a line per
# script as it ends (with the log's tail when it failed), then a summary.
set -u
if [ "${1:-}" = --one ]; then
    build=$2 t=$3
    name=$(basename "$t" .sh)
    log="$build/tests/$name.log"
    if TZ=UTC LC_ALL=C sh "$t" "$build" >"$log" 2>&1; then
        if tail -n 1 "$log" | grep -q '^SKIP: '; then
            echo skip >"$log.result"
            echo "skip - $name ($(tail -n 1 "$log" | sed 's/^SKIP: //'))"
        else
            echo ok >"$log.result"
            echo "ok - $name"
        fi
    else
        echo fail >"$log.result"
        # One write, so that a script ending at the same time does not cut into it.
        printf 'not ok - %s (log: %s)\n%s\n' "$name" "$log" "$(tail -n 20 "$log" | sed 's/^/#   /')"
    fi
    exit 0
fi
build=$(cd "$1" && pwd)
shift
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -gt 0 ]; then
    scripts=$(for n in "$@"; do echo "$here/t_${n#t_}.sh"; done)
else
    scripts=$(ls "$here"/t_*.sh)
fi
mkdir -p "$build/tests"
rm -f "$build"/tests/t_*.log.result
# Sanitizer builds run under LD_PRELOAD=libfaketime too: ASan need not be loaded first.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
# fontconfig's font cache (reached by the -f mail charts) lives until exit (tests/lsan.supp).
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$(cd "$(dirname "$0")/.." && pwd)/lsan.supp:print_suppressions=0"
echo "$scripts" | xargs -P "${CHECK_JOBS:-2}" -n 1 sh "$here/run.sh" --one "$build"
count() {
    cat "$build"/tests/t_*.log.result 2>/dev/null | grep -cx "$1"
}
pass=$(count ok) fail=$(count fail) skip=$(count skip)
total=$(echo "$scripts" | wc -l)
missing=$((total - pass - fail - skip))
note=
[ "$missing" -eq 0 ] || note=", $missing did not report"
echo "integration: $pass passed, $fail failed, $skip skipped$note"
[ "$fail" -eq 0 ] && [ "$missing" -eq 0 ]
