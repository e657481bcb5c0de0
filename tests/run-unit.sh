#!/bin/sh
# Runs each Check test binary; Check prints its own summary line per suite.
set -u
fail=0
for t in "$@"; do
    TZ=UTC LC_ALL=C CK_FORK=yes "$t" || fail=1
done
exit $fail
