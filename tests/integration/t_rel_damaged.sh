# A damaged history is noticed and never written further. From a real history (made by the
# collector against the fake server), copies with 4 bytes flipped at offsets spread over the
# file's second half: for every copy that fails integrity_check, the collector exits 3 with
# the one damage line (naming the file and the .recover command) before polling, the copy is
# byte-identical afterwards, and the report does not exit 0 silently. Also: the .recover
# command it gives yields a file the collector takes; an empty file is refused, a missing one
# created; a header whose write version is 3 is refused before any poll, with the byte named;
# the daily quick_check is recorded in DB.checked and not repeated within the day.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/rel.sh"
BASE=1795392000
N=150
{
    echo "token tok-dmg"
    i=1
    while [ $i -le $N ]; do
        echo "etl $i name=\"E $i\" period=$((600 + i % 4 * 300)) offset=$((i * 13)) duration=$((120 + i % 3 * 120)) outcomes=OK,ERROR,WARNING"
        i=$((i + 1))
    done
} >"$T/scn"
start_fakeco "$T/scn"
secret_file "$T/token" tok-dmg
DB=$T/h.db
printf '[collect]\ndb = %s\n[instance prod]\nurl = %s\ntoken_file = %s\netls = all\n' \
    "$DB" "$URL" "$T/token" >"$T/conf"
for i in 1 2 3 4 5 6; do
    collect_at $((BASE + i * 300)) -c "$T/conf"
    expect_eq "history pass $i" "$RC" 0
done
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
NEXT=$((BASE + 2100))
status_requests() {
    curl -s "$URL/_ctl/stats" | sed -n 's/.*"status_requests":\([0-9]*\).*/\1/p'
}

# The daily check: recorded beside the file, and not run again within the day.
grep -q "^ok $((BASE + 300))$" "$DB.checked" || fail "no check recorded: $(cat "$DB.checked" 2>&1)"

size=$(stat -c %s "$DB")
damaged=0 whole=0
for k in 0 1 2 3 4 5 6 7 8 9; do
    off=$((size / 2 + k * (size / 2 - 8) / 10 + 37))
    C=$T/copy$k.db
    cp "$DB" "$C"
    # XOR each of the 4 bytes with 0xff.
    for j in 0 1 2 3; do
        b=$(od -An -tu1 -j $((off + j)) -N1 "$C" | tr -d ' ')
        printf "\\$(printf %03o $((b ^ 255)))" | dd of="$C" bs=1 seek=$((off + j)) conv=notrunc 2>/dev/null
    done
    if [ "$(sqlite3 "$C" "PRAGMA integrity_check" 2>&1)" = ok ]; then
        whole=$((whole + 1))
        continue
    fi
    damaged=$((damaged + 1))
    sum=$(md5sum <"$C")
    before=$(status_requests)
    : >"$T/collect.err"
    collect_at $NEXT -c "$T/conf" --db "$C"
    expect_eq "offset $off: collector exit" "$RC" 3
    grep -q "database $C is damaged (.*); nothing is written to it.*sqlite3 $C .recover | sqlite3 $C.recovered" "$T/collect.err" ||
        fail "offset $off: no damage line: $(cat "$T/collect.err")"
    expect_eq "offset $off: one line" "$(wc -l <"$T/collect.err")" 1
    expect_eq "offset $off: nothing polled" "$(status_requests)" "$before"
    expect_eq "offset $off: file byte-identical" "$(md5sum <"$C")" "$sum"
    grep -q "^damaged " "$C.checked" || fail "offset $off: damage not recorded"
    set +e
    at $NEXT "$B/etlhist-report" summary --db "$C" --since 2026-11-23 >"$T/rep.out" 2>"$T/rep.err"
    rrc=$?
    set -e
    expect_eq "offset $off: report exit" "$rrc" 3
    grep -q "database $C is damaged" "$T/rep.err" || fail "offset $off: report said: $(cat "$T/rep.err")"
    # A copy nobody checked: the report notices at the first statement that reads the
    # damage, or says nothing at all only when its answer does not touch it: then it exits 0.
    rm "$C.checked"
    set +e
    at $NEXT "$B/etlhist-report" runs --db "$C" --since 2026-11-23 >"$T/rep.out" 2>"$T/rep.err"
    rrc=$?
    set -e
    [ "$rrc" = 0 ] || { [ "$rrc" = 3 ] && grep -q "is damaged" "$T/rep.err"; } ||
        fail "offset $off: unchecked copy: report exit $rrc: $(cat "$T/rep.err")"
done
echo "flipped copies: $damaged damaged, $whole still whole"
[ "$damaged" -ge 3 ] || fail "only $damaged of 10 flipped copies are damaged: the test shows little"

# The command the damage line gives recovers a file the collector takes.
C=$T/copy-rec.db
for k in 0 1 2 3 4 5 6 7 8 9; do
    [ -e "$T/copy$k.db.checked" ] || continue
    cp "$T/copy$k.db" "$C"
    break
done
# sqlite3 shells before 3.41 stop .recover at the first STRICT table ("SQL logic error");
# docs/dev/reliability.md gives .dump with the schema version for them, and that is tested there.
if sqlite3 "$C" .recover >"$T/recovered.sql" 2>"$T/recover.err"; then
    sqlite3 "$C.recovered" <"$T/recovered.sql"
else
    grep -q "SQL logic error" "$T/recover.err" || fail ".recover: $(cat "$T/recover.err")"
    { sqlite3 "$C" .dump; echo "PRAGMA user_version = $(sqlite3 "$C" "PRAGMA user_version");"; } |
        sqlite3 "$C.recovered"
fi
mv "$C.recovered" "$C"
rm -f "$C-wal" "$C-shm"
collect_at $NEXT -c "$T/conf" --db "$C"
expect_eq "recovered file takes a pass" "$RC" 0

# An empty file is refused and left empty; a missing one is created.
: >"$T/empty.db"
: >"$T/collect.err"
collect_at $NEXT -c "$T/conf" --db "$T/empty.db"
expect_eq "empty file: exit" "$RC" 3
grep -q "empty.db: empty file (0 bytes)" "$T/collect.err" || fail "empty file: $(cat "$T/collect.err")"
expect_eq "empty file: still empty" "$(stat -c %s "$T/empty.db")" 0
set +e
"$B/etlhist-report" summary --db "$T/empty.db" >/dev/null 2>"$T/rep.err"
rrc=$?
set -e
expect_eq "empty file: report exit" "$rrc" 3
grep -q "empty file (0 bytes)" "$T/rep.err" || fail "empty file: report said: $(cat "$T/rep.err")"
collect_at $NEXT -c "$T/conf" --db "$T/new.db"
expect_eq "missing file: created" "$RC" 0

# A header with write version 3: SQLite opens such a file read-only. Refused before polling.
cp "$DB" "$T/w3.db"
printf '\003' | dd of="$T/w3.db" bs=1 seek=18 conv=notrunc 2>/dev/null
sum=$(md5sum <"$T/w3.db")
before=$(status_requests)
: >"$T/collect.err"
collect_at $NEXT -c "$T/conf" --db "$T/w3.db"
expect_eq "write version 3: exit" "$RC" 3
grep -q "w3.db: its header has write version 3 at byte 18.*dd of=$T/w3.db bs=1 seek=18" "$T/collect.err" ||
    fail "write version 3: $(cat "$T/collect.err")"
expect_eq "write version 3: nothing polled" "$(status_requests)" "$before"
expect_eq "write version 3: file unchanged" "$(md5sum <"$T/w3.db")" "$sum"
printf '\002' | dd of="$T/w3.db" bs=1 seek=18 conv=notrunc 2>/dev/null
collect_at $NEXT -c "$T/conf" --db "$T/w3.db"
expect_eq "write version set back: pass" "$RC" 0

# Within the day the check is not repeated (the mark keeps its time); a day later it is.
collect_at $((NEXT + 300)) -c "$T/conf"
expect_eq "pass within the day" "$RC" 0
grep -q "^ok $((BASE + 300))$" "$DB.checked" || fail "check repeated within the day: $(cat "$DB.checked")"
collect_at $((BASE + 300 + 86400)) -c "$T/conf"
expect_eq "pass a day later" "$RC" 0
grep -q "^ok $((BASE + 300 + 86400))$" "$DB.checked" || fail "no check a day later: $(cat "$DB.checked")"
echo "damaged databases ok"
