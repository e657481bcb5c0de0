# Concurrency: ten collectors started at once on one (new) database: one works, the other
# nine exit 4 at once. Reports running while passes are written each see one consistent
# snapshot. A reader that holds a snapshot open for a long time never makes the collector
# fail with "database is locked", and keeps seeing its snapshot.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/rel.sh"
BASE=1795392000
N=2000
{
    echo "token tok-conc"
    echo "etl 1 name=\"Slow\" period=3600 duration=60 outcomes=OK fault=slow delay_ms=4000 fault_until=$((BASE + 60))"
    i=2
    while [ $i -le $N ]; do
        echo "etl $i name=\"E $i\" period=$((600 + i % 5 * 600)) offset=$((i * 17)) duration=$((60 + i % 4 * 120)) outcomes=OK,ERROR"
        i=$((i + 1))
    done
} >"$T/scn"
start_fakeco "$T/scn"
secret_file "$T/token" tok-conc
DB=$T/h.db
printf '[collect]\ndb = %s\ninterval = 10\n[instance prod]\nurl = %s\ntoken_file = %s\netls = all\n' \
    "$DB" "$URL" "$T/token" >"$T/conf"

# --- ten at once; ETL 1 keeps the winner busy for 4 s
i=1
while [ $i -le 10 ]; do
    (
        set +e
        at $((BASE + 30)) "$B/etlhist-collect" -c "$T/conf" >"$T/c$i.out" 2>"$T/c$i.err"
        echo $? >"$T/c$i.rc.tmp"
        mv "$T/c$i.rc.tmp" "$T/c$i.rc"
    ) &
    track $!
    i=$((i + 1))
done
rcs() { cat "$T"/c*.rc 2>/dev/null | sort | tr '\n' ' '; }
nine_done() { [ "$(ls "$T"/c*.rc 2>/dev/null | wc -l)" -ge 9 ]; }
wait_until 3 nine_done
expect_eq "nine refused at once, one still working" "$(rcs)" "4 4 4 4 4 4 4 4 4 "
for f in "$T"/c*.rc; do
    [ "$(cat "$f")" = 4 ] || continue
    grep -q "another etlhist-collect is running" "${f%.rc}.err" || fail "no lock message in ${f%.rc}.err"
done
all_done() { [ "$(ls "$T"/c*.rc 2>/dev/null | wc -l)" -ge 10 ]; }
wait_until 30 all_done
expect_eq "the one that worked" "$(rcs)" "0 4 4 4 4 4 4 4 4 4 "
expect_eq "one pass stored" "$(sql "SELECT count(*) || ' ' || sum(ok) FROM pass")" "1 $N"
expect_eq "integrity" "$(sql "PRAGMA integrity_check")" ok

# --- reports during passes: a looping collector writes a pass every second while reports
# run back to back. Every pass polls every ETL and nothing changes on the server, so in any
# consistent snapshot all ETLs have the same number of polls and the same last_seen.
echo $((BASE + 60)) >"$T/clock"
LD_PRELOAD="$FAKETIME_LIB" FAKETIME_FMT=%s FAKETIME="@$((BASE + 60))" FAKETIME_DONT_FAKE_MONOTONIC=1 \
    "$B/etlhist-collect" -c "$T/conf" --loop 1 >"$T/loop.out" 2>"$T/loop.err" &
loop=$!
track $loop
passes() { sql "SELECT count(*) FROM pass"; }
two_passes() { [ "$(passes)" -ge 2 ]; }
wait_until 20 two_passes
start=$(passes)
reports=0 mixed=0 t_end=$(($(now_ms) + 6000))
while [ "$(now_ms)" -lt $t_end ] && [ $mixed -eq 0 ]; do
    "$B/etlhist-report" health --db "$DB" -f csv --since 2026-11-22 --until 2026-11-24 >"$T/h.csv" 2>"$T/h.err" ||
        fail "health report failed during a pass: $(cat "$T/h.err")"
    [ "$(wc -l <"$T/h.csv")" -eq $((N + 1)) ] || fail "health report has $(wc -l <"$T/h.csv") lines"
    polls=$(tail -n +2 "$T/h.csv" | cut -d, -f4 | sort -u)
    if [ "$(echo "$polls" | wc -l)" -ne 1 ]; then
        soft_fail "health report mixed passes (no single snapshot): polls per ETL:" $polls
        mixed=1
    fi
    "$B/etlhist-report" etls --db "$DB" -f csv >"$T/e.csv" 2>"$T/e.err" ||
        fail "etls report failed during a pass: $(cat "$T/e.err")"
    seen=$(tail -n +2 "$T/e.csv" | cut -d, -f5 | sort -u)
    if [ "$(echo "$seen" | wc -l)" -ne 1 ]; then
        soft_fail "etls report mixed passes (no single snapshot): last_seen" $seen
        mixed=1
    fi
    reports=$((reports + 1))
done
written=$(($(passes) - start))
echo "$reports report pairs while $written passes were written"
[ $mixed -eq 1 ] || [ "$written" -ge 3 ] || fail "only $written passes written in 6 s"

# --- a long reader: holds one snapshot open while the looping collector writes on.
mkfifo "$T/fifo"
: >"$T/reader.out" # the reader's own redirection waits for the fifo to open
sqlite3 -batch -noheader "$DB" <"$T/fifo" >"$T/reader.out" 2>"$T/reader.err" &
reader=$!
track $reader
exec 3>"$T/fifo"
echo "BEGIN; SELECT count(*) FROM pass; SELECT sum(polls) FROM sample;" >&3
got_snapshot() { [ "$(wc -l <"$T/reader.out")" -ge 2 ]; }
wait_until 10 got_snapshot
held=$(passes)
more() { [ "$(passes)" -ge $((held + 3)) ]; }
wait_until 20 more
echo "SELECT count(*) FROM pass; SELECT sum(polls) FROM sample; COMMIT;" >&3
exec 3>&-
wait $reader || fail "the reader failed: $(cat "$T/reader.err")"
expect_eq "the reader kept its snapshot" "$(sed -n 3,4p "$T/reader.out" | tr '\n' ' ')" \
    "$(sed -n 1,2p "$T/reader.out" | tr '\n' ' ')"

kill -TERM $loop
set +e
wait $loop
rc=$?
set -e
expect_eq "looping collector" "$rc" 0
! grep -i "locked\|busy" "$T/loop.err" || fail "the collector met a locked database"
expect_eq "every pass of the loop stored whole" \
    "$(sql "SELECT count(*) FROM pass WHERE polled <> $N OR ok <> $N OR error IS NOT NULL")" 0
expect_eq "integrity" "$(sql "PRAGMA integrity_check")" ok
soft_done
echo "concurrency ok"
