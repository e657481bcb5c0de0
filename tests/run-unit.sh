#!/bin/sh
# Runs each Check test binary; Check prints its own summary line per suite.
set -u
fail=0
# fontconfig's font cache (reached by the -f mail charts) lives until exit: not ours to free.
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$(cd "$(dirname "$0")" && pwd)/lsan.supp:print_suppressions=0"
for t in "$@"; do
    TZ=UTC LC_ALL=C CK_FORK=yes "$t" || fail=1
done
exit $fail
