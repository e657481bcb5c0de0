# Exit codes 0/1/2/3/4, the lock, secrets handling, --dry-run, and bad databases.
. "$(dirname "$0")/lib.sh"
BASE=1795392000
TOKEN=tok-exit-$$
cat >"$T/scn" <<EOS
token $TOKEN
etl 1 name="One" period=3600 duration=60 outcomes=OK
etl 2 name="Two" period=3600 duration=60 outcomes=OK
EOS
start_fakeco "$T/scn"
secret_file "$T/token" "$TOKEN"
DB=$T/h.db
conf() { # conf FILE URL TOKENFILE [extra lines]
    printf '[collect]\ndb = %s\n[instance prod]\nurl = %s\ntoken_file = %s\netls = 1, 2\n%s\n' \
        "$DB" "$2" "$3" "${4:-}" >"$1"
}
conf "$T/good" "$URL" "$T/token"

collect_at $BASE -c "$T/good"
expect_eq "all polled" "$RC" 0
[ ! -s "$T/collect.err" ] || fail "not quiet on success: $(cat "$T/collect.err")"

# Counts take the singular for one: -q sums up the failures, -v the pass.
for etls in "99" "98, 99"; do
    printf '[collect]\ndb = %s\n[instance prod]\nurl = %s\ntoken_file = %s\netls = %s\n' \
        "$T/count.db" "$URL" "$T/token" "$etls" >"$T/count.conf"
    : >"$T/collect.err"
    collect_at $BASE -c "$T/count.conf" -q
    case $etls in
    99) want="prod: 1 of 1 ETL failed" ;;
    *) want="prod: 2 of 2 ETLs failed" ;;
    esac
    expect_eq "-q with etls = $etls" "$(cat "$T/collect.err")" "etlhist-collect: $want"
    : >"$T/collect.err"
    collect_at $BASE -c "$T/count.conf" -v
    case $etls in
    99) want="prod: pass polled 1 ETL, 0 ok, 1 error" ;;
    *) want="prod: pass polled 2 ETLs, 0 ok, 2 errors" ;;
    esac
    grep -qx "etlhist-collect: $want" "$T/collect.err" || fail "-v with etls = $etls: $(cat "$T/collect.err")"
done

collect_at $BASE --bogus
expect_eq "unknown option" "$RC" 2
collect_at $BASE -c "$T/good" --token "$TOKEN"
expect_eq "token on the command line" "$RC" 2
grep -q "never taken from the command line" "$T/collect.err" || fail "no reason for --token refusal"
printf '[collect]\ninterval = 5\n' >"$T/bad.conf"
collect_at $BASE -c "$T/bad.conf"
expect_eq "bad config value" "$RC" 2
grep -q "bad.conf:2: \[collect\] interval: expected an integer from 10 to 86400" "$T/collect.err" ||
    fail "config error does not name file, line and key: $(tail -1 "$T/collect.err")"

# A number with a space or a sign before it is malformed, on the command line as in the file.
for opt in "--follow= 10" "--follow=+10" "--follow=10 " "--prune= 5"; do
    collect_at $BASE -c "$T/good" "$opt"
    expect_eq "$opt: exit" "$RC" 2
    tail -n 1 "$T/collect.err" | grep -q "expected an integer from [0-9]* to [0-9]*, got \"${opt#*=}\"$" ||
        fail "$opt: $(tail -n 1 "$T/collect.err")"
done
printf '[collect]\nfollow = +10\n' >"$T/plus.conf"
collect_at $BASE -c "$T/plus.conf"
expect_eq "follow = +10 in the file" "$RC" 2
grep -q "plus.conf:2: \[collect\] follow: expected an integer from 0 to 86400, got \"+10\"" "$T/collect.err" ||
    fail "follow = +10: $(tail -1 "$T/collect.err")"

# A token file others can read is refused.
cp "$T/token" "$T/open.token"
chmod 644 "$T/open.token"
conf "$T/open.conf" "$URL" "$T/open.token"
collect_at $BASE -c "$T/open.conf"
expect_eq "group-readable token" "$RC" 2
grep -q "readable by group or others" "$T/collect.err" || fail "no reason for refusing the token file"

# Wrong token: every poll refused → exit 3, pass recorded with its error, no samples.
secret_file "$T/wrong" "not-the-token"
conf "$T/wrong.conf" "$URL" "$T/wrong"
samples=$(sql "SELECT count(*) FROM sample")
collect_at $((BASE + 300)) -c "$T/wrong.conf"
expect_eq "unauthorized" "$RC" 3
expect_eq "no samples from a refused pass" "$(sql "SELECT count(*) FROM sample")" "$samples"
expect_eq "refused pass recorded" "$(sql "SELECT error FROM pass ORDER BY started DESC, seq DESC LIMIT 1")" \
    "authentication failed (HTTP 401 from /opt/api/v1/backend/etls/)"

# Server unreachable → 3.
conf "$T/down.conf" "http://127.0.0.1:9" "$T/token"
collect_at $((BASE + 600)) -c "$T/down.conf"
expect_eq "server unreachable" "$RC" 3

# Another collector holds the lock → 4 at once.
flock "$DB.lock" sleep 5 &
holder=$!
sleep 0.3
t0=$(date +%s)
collect_at $((BASE + 900)) -c "$T/good"
expect_eq "locked" "$RC" 4
[ $(($(date +%s) - t0)) -le 2 ] || fail "locked collector did not exit at once"
grep -q "another etlhist-collect is running" "$T/collect.err" || fail "no lock message"
kill $holder 2>/dev/null || true
wait $holder 2>/dev/null || true

# --dry-run prints and stores nothing.
out=$(at $((BASE + 1200)) "$B/etlhist-collect" --dry-run --url "$URL" --token-file "$T/token" \
    --etl 1,2 --db "$T/dry.db")
echo "$out" | grep -q "^default *1 *WAITING *OK" || fail "dry run output: $out"
[ ! -e "$T/dry.db" ] || fail "dry run created a database"

# ETLHIST_TOKEN works for ad-hoc use; --print-config shows no secret.
set +e
at $((BASE + 1500)) env ETLHIST_TOKEN="$TOKEN" "$B/etlhist-collect" --url "$URL" --etl 1 \
    --db "$T/adhoc.db"
rc=$?
set -e
expect_eq "ETLHIST_TOKEN" "$rc" 0
"$B/etlhist-collect" -c "$T/good" --print-config >"$T/printed"
grep -q "^url = $URL$" "$T/printed" || fail "print-config lacks the url"
! grep -q "$TOKEN" "$T/printed" || fail "print-config printed the token"

# Not a database, and a newer schema: exit 3, file untouched.
echo "just text, not sqlite, long enough to fill a header........................................" >"$T/text.db"
sum=$(md5sum <"$T/text.db")
collect_at $BASE -c "$T/good" --db "$T/text.db"
expect_eq "not a database" "$RC" 3
expect_eq "text file untouched" "$(md5sum <"$T/text.db")" "$sum"
sqlite3 "$T/new.db" "PRAGMA user_version = 99; CREATE TABLE x (y);"
collect_at $BASE -c "$T/good" --db "$T/new.db"
expect_eq "newer schema" "$RC" 3
grep -q "schema version 99 is newer" "$T/collect.err" || fail "no newer-schema message"

# A database in a directory that does not exist: the directory is named, nothing is made.
collect_at $BASE -c "$T/good" --db "$T/no/such/dir/h.db"
expect_eq "missing directory" "$RC" 3
grep -q "database $T/no/such/dir/h.db: its directory does not exist (create it" "$T/collect.err" ||
    fail "missing directory not said plainly: $(tail -n 1 "$T/collect.err")"
[ ! -e "$T/no" ] || fail "missing directory: something was created"
echo "exit codes ok"
