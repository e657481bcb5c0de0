#!/bin/sh
# Records a schema v2 history with follow rounds with the binaries of an etlhist release that
# writes v2:
#   sh tests/data/v2/record.sh BUILD OUT.db [HOURS]
# BUILD holds etlhist-collect and fakeco of that release (history.db was made with the build
# of commit 3b03540, HOURS = 12 and RATE = 80). The collector polls tests/data/v2/v2.scn (28
# ETLs, server clock 83 s behind) with interval = 300, follow = 240 and follow_interval = 15,
# one pass 30 s past every 5 simulated minutes from Monday 2026-11-16 00:00 UTC for HOURS
# hours. The clock moves during each pass and its follow rounds, RATE (environment, default
# 80) simulated seconds per real second: fakeco's clock and the collector's (libfaketime)
# run together from each pass instant, as in the accuracy simulation's follow runs
# (acc_collect_moving in tests/accuracy/lib.sh, whose clock probe is built here). The file
# is then vacuumed. 12 hours take about 7 real minutes.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ACC_TOP=$(cd "$here/../../.." && pwd)
out=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
hours=${3:-12}
ACC_RATE=${RATE:-80}
export TZ=UTC LC_ALL=C
. "$ACC_TOP/tests/integration/lib.sh"
. "$ACC_TOP/tests/accuracy/lib.sh"
command -v faketime >/dev/null || fail "the faketime wrapper (package faketime) is needed"
began=$(date +%s)

# The release's programs and the clock probe acc_collect_moving runs, in one folder.
mkdir -p "$T/bin/accuracy"
cp "$B/etlhist-collect" "$B/fakeco" "$T/bin/"
B=$T/bin
${CC:-cc} $ACC_CFLAGS -o "$B/accuracy/clockprobe" "$ACC_TOP/tests/accuracy/clockprobe.c" ||
    fail "cannot build the clock probe"

start=1794787200 # 2026-11-16T00:00:00Z
end=$((start + hours * 3600))
t=$((start + 30))
: >"$T/passes"
while [ $t -lt $end ]; do
    echo $t >>"$T/passes"
    t=$((t + 300))
done
N_PASSES=$(wc -l <"$T/passes")

CLOCK=$start start_fakeco "$here/v2.scn"
secret_file "$T/token" demo-token-not-secret
cat >"$T/etlhist.conf" <<EOC
[collect]
db = $T/history.db
interval = 300
follow = 240
follow_interval = 15

[instance demo]
url = $URL
token_file = $T/token
etls = all
EOC
ACC_PROGRESS=1
acc_collect_moving "$T"

sqlite3 "$T/history.db" "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE; VACUUM;" >/dev/null
cp "$T/history.db" "$out"
echo "record: $N_PASSES passes in $(($(date +%s) - began)) s; largest clock difference" \
    "collector - server after a pass: $(awk '{ d = $2 < 0 ? -$2 : $2; if (d > m) m = d }
        END { printf "%d", m }' "$T/clock.log") ns" >&2
