# etlhist-report's files: a database named twice (another path, a symbolic link) is read
# once; without --db, the error names the configuration file looked for; -o over a file
# keeps its mode; an -o interrupted by SIGINT, SIGTERM or SIGHUP leaves no temporary file
# and the last good report where it was.
. "$(dirname "$0")/lib.sh"
BASE=1795392000
cat >"$T/scn" <<EOS
token tok
etl 1 name="Hourly" period=3600 offset=0 duration=60 outcomes=OK,ERROR
etl 2 name="Daily" period=86400 offset=600 duration=120 outcomes=OK
EOS
start_fakeco "$T/scn"
secret_file "$T/token" tok
mkdir "$T/dir"
DB=$T/h.db
printf '[collect]\ndb = %s\n[instance p]\nurl = %s\ntoken_file = %s\netls = 1, 2\n' \
    "$DB" "$URL" "$T/token" >"$T/conf"
for i in $(seq 0 20); do
    collect_at $((BASE + 60 + i * 300)) -c "$T/conf" -q
done
W="--since 2026-11-23T00:00:00Z --until 2026-11-24T00:00:00Z --tz UTC"
rep() { "$B/etlhist-report" "$@" $W; }

# 1. The same file twice is read once, with a note on stderr.
rep summary --db "$DB" -f csv >"$T/once.csv"
expect_eq "runs recorded" "$(cut -d, -f4 "$T/once.csv" | tail -n +2 | tr -d '\r' | paste -sd+ | bc)" 3
ln -s "$DB" "$T/dir/link.db"
for other in "$T/dir/../h.db" "$T/dir/link.db" "$T/./h.db"; do
    rep summary --db "$DB" --db "$other" -f csv >"$T/twice.csv" 2>"$T/twice.err" ||
        fail "--db $other: $(cat "$T/twice.err")"
    cmp -s "$T/once.csv" "$T/twice.csv" || fail "--db $DB --db $other: counted twice: $(cat "$T/twice.csv")"
    expect_eq "--db $other: one note" "$(grep -c 'read once' "$T/twice.err")" 1
done
# A copy is another database: both are read (instances told apart by file name).
cp "$DB" "$T/dir/copy.db"
rep summary --db "$DB" --db "$T/dir/copy.db" -f csv >"$T/two.csv"
expect_eq "a copy is read too" "$(tail -n +2 "$T/two.csv" | wc -l)" 4

# 4. Without --db, the configuration file looked for is named.
no_db() { # no_db WHAT WANT_IN_STDERR [ENV...]
    what=$1 want=$2
    shift 2
    set +e
    env -u ETLHIST_CONFIG "$@" "$B/etlhist-report" summary $W >/dev/null 2>"$T/nodb.err"
    rc=$?
    set -e
    expect_eq "$what: exit" "$rc" 2
    expect_eq "$what: one line" "$(wc -l <"$T/nodb.err")" 1
    grep -qF -- "$want" "$T/nodb.err" || fail "$what: [$want] not in: $(cat "$T/nodb.err")"
}
if [ ! -e /etc/etlhist.conf ]; then
    no_db "no config" "/etc/etlhist.conf (read when \$ETLHIST_CONFIG is not set)"
    no_db "ETLHIST_CONFIG empty" "/etc/etlhist.conf (read when \$ETLHIST_CONFIG is not set)" \
        ETLHIST_CONFIG=
fi
no_db "ETLHIST_CONFIG missing" "$T/none.conf" ETLHIST_CONFIG="$T/none.conf"
no_db "ETLHIST_CONFIG named" "named by \$ETLHIST_CONFIG" ETLHIST_CONFIG="$T/none.conf"
ETLHIST_CONFIG=$T/conf "$B/etlhist-report" summary $W -f csv >"$T/viaconf.csv" ||
    fail "the db of \$ETLHIST_CONFIG is not read"
cmp -s "$T/once.csv" "$T/viaconf.csv" || fail "the db of \$ETLHIST_CONFIG: another report"

# 2a. -o over an existing file keeps its mode; a new file follows the umask.
OUT=$T/dir/report.txt
echo old >"$OUT"
chmod 640 "$OUT"
rep summary --db "$DB" -o "$OUT"
expect_eq "-o over a 640 file" "$(stat -c %a "$OUT")" 640
grep -q Hourly "$OUT" || fail "-o: report not written"
chmod 604 "$OUT"
rep summary --db "$DB" -o "$OUT"
expect_eq "-o over a 604 file" "$(stat -c %a "$OUT")" 604
(umask 077 && rep summary --db "$DB" -o "$T/dir/new.txt")
expect_eq "-o new file, umask 077" "$(stat -c %a "$T/dir/new.txt")" 600
(umask 022 && rep summary --db "$DB" -o "$T/dir/new2.txt")
expect_eq "-o new file, umask 022" "$(stat -c %a "$T/dir/new2.txt")" 644

# 2b. Interrupted while the temporary file is open: a shim holds the report in fclose() of
# that file until a signal comes, so the signal always arrives while the file exists.
${HOSTCC:-cc} -shared -fPIC -o "$T/pause_close.so" "$(dirname "$0")/helpers/pause_close.c" -ldl ||
    fail "cannot build the fclose shim"
cp "$OUT" "$T/good.txt"
for sig in INT:2 TERM:15 HUP:1; do
    signo=${sig#*:} sig=${sig%:*}
    rm -f "$T/mark"
    # A background job of a non-interactive shell ignores SIGINT (and the report leaves an
    # ignored signal ignored): env gives it back its default.
    env --default-signal=INT LD_PRELOAD="$T/pause_close.so" PAUSE_MATCH=report.txt.tmp \
        PAUSE_MARK="$T/mark" "$B/etlhist-report" summary --db "$DB" $W -f csv -o "$OUT" \
        2>"$T/sig.err" &
    pid=$!
    n=0
    while [ ! -s "$T/mark" ]; do
        n=$((n + 1))
        [ $n -gt 400 ] && kill -KILL $pid && fail "SIG$sig: the report never reached fclose"
        sleep 0.05
    done
    tmpfile=$(cat "$T/mark")
    kill -s $sig $pid
    set +e
    wait $pid 2>/dev/null
    rc=$?
    set -e
    expect_eq "SIG$sig: killed by the signal" "$rc" $((128 + signo))
    [ -e "$tmpfile" ] && fail "SIG$sig: temporary file $tmpfile left behind"
    left=$(ls "$T/dir" | grep tmp || true)
    expect_eq "SIG$sig: no temporary file in the folder" "$left" ""
    cmp -s "$T/good.txt" "$OUT" || fail "SIG$sig: the last good report was changed"
    expect_eq "SIG$sig: mode kept" "$(stat -c %a "$OUT")" 604
done
echo "report files ok"
