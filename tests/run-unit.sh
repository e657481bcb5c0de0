#!/bin/sh
# Runs each Check test binary: BUILD TEST...; a test's output goes to BUILD/tests/NAME.log.
# One line per test (Check's own tally), the log's tail when one fails, and a summary line.
set -u
build=$1
shift
pass=0 fail=0
# fontconfig's font cache (reached by the -f mail charts) lives until exit: not ours to free.
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$(cd "$(dirname "$0")" && pwd)/lsan.supp:print_suppressions=0"
for t in "$@"; do
    name=$(basename "$t")
    log="$build/tests/$name.log"
    if TZ=UTC LC_ALL=C CK_FORK=yes "$t" >"$log" 2>&1; then
        pass=$((pass + 1))
        echo "ok - $name ($(grep -h '%: Checks' "$log" | sed 's/^[0-9]*%: //' | tail -n 1))"
    else
        fail=$((fail + 1))
        printf 'not ok - %s (log: %s)\n%s\n' "$name" "$log" "$(tail -n 20 "$log" | sed 's/^/#   /')"
    fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
