#!/bin/sh
# make accuracy: sh tests/accuracy/run.sh BUILD [ETLS [DAYS [SEED [SINCE]]]]
# Simulates ETLS ETLs over DAYS days (default 500 over 30) with the real collector and report
# against the fake CO server, and compares with the truth. Everything stays in
# BUILD/accuracy/run-ETLS-DAYS-SEED/ (the table in table.md, the parameters in params).
set -eu
ACC_TOP=$(cd "$(dirname "$0")/../.." && pwd)
export TZ=UTC LC_ALL=C
. "$ACC_TOP/tests/integration/lib.sh"
. "$ACC_TOP/tests/accuracy/lib.sh"
B=$(cd "$B" && pwd)
etls=${2:-500}
days=${3:-30}
seed=${4:-20261123}
# The window crosses the end of summer time in Europe (2026-10-25), for the DST-shaped ETLs.
since=${5:-1791763200} # 2026-10-12T00:00:00Z
acc_out=$B/accuracy/run-$etls-$days-$seed
rm -rf "$acc_out"
acc_build
acc_freeze "$acc_out"
echo "accuracy: $etls ETLs over $days simulated days, seed $seed, in $acc_out" >&2
start=$(date +%s)
ACC_PROGRESS=1
acc_simulate "$acc_out" "$etls" "$days" "$seed" "$since"
cp "$T/collect.err" "$acc_out/collect.err"
rm -f "$acc_out/history.db-shm" "$acc_out/history.db-wal"
set +e
acc_check "$acc_out" >"$acc_out/table.md"
rc=$?
set -e
cat "$acc_out/table.md"
echo "accuracy: $(($(date +%s) - start)) s; scenario parameters in $acc_out/params" >&2
exit $rc
