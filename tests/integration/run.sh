#!/bin/sh
# Runs every tests/integration/t_*.sh with the build folder as $1; each exits non-zero on failure.
set -u
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
pass=0 fail=0
# Sanitizer builds run under LD_PRELOAD=libfaketime too: ASan need not be loaded first.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
# fontconfig's font cache (reached by the -f mail charts) lives until exit (tests/lsan.supp).
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$(cd "$(dirname "$0")/.." && pwd)/lsan.supp:print_suppressions=0"
for t in "$here"/t_*.sh; do
    name=$(basename "$t" .sh)
    log="$build/tests/$name.log"
    mkdir -p "$build/tests"
    if TZ=UTC LC_ALL=C sh "$t" "$build" >"$log" 2>&1; then
        pass=$((pass + 1))
        echo "ok - $name"
    else
        fail=$((fail + 1))
        echo "not ok - $name (log: $log)"
        tail -n 20 "$log" | sed 's/^/#   /'
    fi
done
echo "integration: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
