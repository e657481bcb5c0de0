# The accuracy check in small (tests/accuracy/): 20 generated ETLs over two simulated days,
# the real collector every 5 minutes (with outages, skew, faults, deletions) and the real
# report; every target of the table must be met. make accuracy runs the large version.
. "$(dirname "$0")/lib.sh"
ACC_TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$ACC_TOP/tests/accuracy/lib.sh"
acc_build
acc_simulate "$T/acc" 20 2 1 1792800000 # 2026-10-24: the window crosses the end of summer time
acc_check "$T/acc" || fail "accuracy targets missed (table and misses above)"
echo "accuracy (small) ok"
