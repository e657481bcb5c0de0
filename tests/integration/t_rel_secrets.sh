# Secrets: every program runs at its most verbose, on success and on failure paths (wrong
# token, failed login, bad options), and everything they leave is searched for the static
# token, the access secret and the JWT/refresh tokens the server issued: stdout, stderr, the
# database with its WAL and lock file, report files, and the process list taken while a
# pass was running. None may appear anywhere.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/rel.sh"
BASE=1795392000
TOKEN=TOK-static-$$-q7Zx
SECRET=SK-access-$$-Vb3m
cat >"$T/scn" <<EOS
token $TOKEN
keys tenant_id=acme access_key=AK-public access_secret_key=$SECRET
etl 1 name="One" period=3600 duration=600 outcomes=OK,ERROR
etl 2 name="Two" service period=7200 on=3600
etl 3 name="Slow" period=3600 duration=60 outcomes=OK fault=slow delay_ms=1500 fault_from=$((BASE + 3600))
etl 4 name="Broken" period=3600 duration=60 outcomes=OK fault=500
EOS
start_fakeco "$T/scn"
secret_file "$T/token" "$TOKEN"
secret_file "$T/wrong.token" "WRONG-$TOKEN"
printf 'tenant_id=acme\naccess_key=AK-public\naccess_secret_key=%s\n' "$SECRET" >"$T/keys"
printf 'tenant_id=acme\naccess_key=AK-public\naccess_secret_key=%s-bad\n' "$SECRET" >"$T/bad.keys"
chmod 600 "$T/keys" "$T/bad.keys"
DB=$T/h.db
mkdir "$T/out"
cat >"$T/conf" <<EOC
[collect]
db = $DB
interval = 10
timeout = 5
[instance static]
url = $URL
token_file = $T/token
etls = all
[instance saas]
url = $URL
portal_url = $URL
access_key_file = $T/keys
etls = 1-4
EOC
sed -e "s|$T/token|$T/wrong.token|" -e "s|$T/keys|$T/bad.keys|" "$T/conf" >"$T/bad.conf"

n=0
# run ARGS...: one program run (under the fake clock), its outputs kept in $T/out.
run() {
    n=$((n + 1))
    set +e
    at $((BASE + n * 60)) "$@" >"$T/out/$n.out" 2>"$T/out/$n.err"
    set -e
}
C=$B/etlhist-collect
run "$C" -c "$T/conf" -vv
run "$C" -c "$T/conf" -vv --dry-run
run "$C" -c "$T/conf" -vv --print-config
run "$C" -c "$T/conf" -vv --instance saas
run "$C" -c "$T/bad.conf" -vv
run "$C" -c "$T/bad.conf" -vv --instance saas --dry-run
run env ETLHIST_TOKEN="$TOKEN" "$C" -vv --url "$URL" --etl 1,2 --db "$DB"
run env ETLHIST_TOKEN="$TOKEN" "$C" -vv --url "$URL" --etl 1,2 --db "$DB" --print-config
run "$C" -c "$T/conf" -vv --token-file "$T/token" --bogus
run "$C" -c "$T/conf" -vv --token "$TOKEN.not-taken"
run "$C" -c "$T/conf" -vv --rebuild-runs
run "$C" -c "$T/conf" -vv --prune 1000
run "$C" --help
run "$C" --version
[ "$(sql "SELECT count(*) FROM pass")" -ge 4 ] || fail "the passes did not run: $(cat "$T"/out/*.err)"

# proclist: every process's command line, as ps shows them to any user.
proclist() {
    for p in /proc/[0-9]*; do
        printf '%s ' "${p#/proc/}"
        tr '\0' ' ' 2>/dev/null <"$p/cmdline" || true
        echo
    done
}
# The process list while a pass is in flight (ETL 3 now answers after 1.5 s), and a loop.
for mode in once loop; do
    echo $((BASE + 3600)) >"$T/clock"
    extra=
    [ $mode = loop ] && extra="--loop 10"
    LD_PRELOAD="$FAKETIME_LIB" FAKETIME_FMT=%s FAKETIME="@$((BASE + 3600 + ${#mode} * 600))" \
        FAKETIME_DONT_FAKE_MONOTONIC=1 "$C" -c "$T/conf" -vv $extra >"$T/out/ps-$mode.out" 2>"$T/out/ps-$mode.err" &
    pid=$!
    track $pid
    sleep 0.5
    proclist >"$T/out/ps-$mode.list"
    tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" >"$T/out/ps-$mode.cmdline" || true
    grep -q "etlhist-collect" "$T/out/ps-$mode.list" || fail "the collector was not in the process list"
    if [ $mode = loop ]; then
        sleep 1.5
        proclist >>"$T/out/ps-$mode.list"
        kill -TERM $pid
    fi
    wait $pid || true
done

# Every report, every format, to stdout and to a file.
W="--since 2026-11-23 --until 2026-11-24"
for r in summary failures runs services trend health etls; do
    for f in text csv json; do
        n=$((n + 1))
        "$B/etlhist-report" $r --db "$DB" -f $f $W >"$T/out/$n.out" 2>"$T/out/$n.err" || true
        "$B/etlhist-report" $r --db "$DB" -f $f $W -o "$T/out/$r.$f" 2>>"$T/out/$n.err" || true
    done
done
[ -s "$T/out/summary.csv" ] || fail "no report written"

stats=$(curl -s "$URL/_ctl/stats")
echo "$stats" | jq -e '.logins >= 3' >/dev/null || fail "the access-key instance never logged in: $stats"
sqlite3 "$DB" "PRAGMA wal_checkpoint" >/dev/null
for s in "$TOKEN" "$SECRET" 'jwt-[0-9]+-[0-9a-f]{16}' 'rt-[0-9]+-[0-9a-f]{16}'; do
    hits=$(grep -a -l -E -r -- "$s" "$T/out" "$DB" "$DB-wal" "$DB.lock" 2>/dev/null || true)
    [ -z "$hits" ] || fail "secret /$s/ found in: $hits"
done
echo "no secret in $(ls "$T/out" | wc -l) outputs, the database or the process list"
