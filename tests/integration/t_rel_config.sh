# Configuration mistakes are found before anything is created: a section or a key given
# twice (inih would merge them silently), a bad ETL list, a missing or group-readable secret
# file, a URL with credentials, a query or a fragment. Each exits 2 with one line naming
# the file, line or key, leaves no database and no lock file, and --print-config says the
# same (exit 2). A password in a URL is never echoed. Maintenance (--rebuild-runs, --prune)
# works on a database alone, without a config file or an instance.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/rel.sh"
BASE=1795392000
cat >"$T/scn" <<EOS
token tok-conf
etl 1 name="One" period=3600 duration=60 outcomes=OK,ERROR
EOS
start_fakeco "$T/scn"
secret_file "$T/token" tok-conf
DB=$T/h.db

# refused NAME WANT_MESSAGE: the config in $T/NAME.conf is refused by a run and by
# --print-config alike, with WANT_MESSAGE on stderr and nothing created.
refused() {
    for mode in run print; do
        : >"$T/collect.err"
        : >"$T/collect.out"
        extra=
        [ $mode = print ] && extra=--print-config
        collect_at $((BASE + 60)) -c "$T/$1.conf" $extra
        expect_eq "$1 ($mode)" "$RC" 2
        grep -qF -- "$2" "$T/collect.err" || fail "$1 ($mode): want [$2], got [$(cat "$T/collect.err")]"
        expect_eq "$1 ($mode): one line" "$(wc -l <"$T/collect.err")" 1
        [ ! -e "$DB" ] && [ ! -e "$DB.lock" ] || fail "$1 ($mode): $(ls "$T") after a refused config"
    done
}
collect_head() {
    printf '[collect]\ndb = %s\n' "$DB"
}
inst() { # inst NAME [KEY=VALUE...]
    printf '[instance %s]\nurl = %s\ntoken_file = %s\n' "$1" "$URL" "$T/token"
    shift
    for kv in "$@"; do printf '%s\n' "$kv"; done
}

{ collect_head; inst a; inst b; inst a 'etls = 1'; } >"$T/dupsection.conf"
refused dupsection "dupsection.conf:9: [instance a] appears twice (first on line 3)"
{ collect_head; printf 'interval = 60\ntimeout = 5\ninterval = 120\n'; inst a; } >"$T/dupkey.conf"
refused dupkey "dupkey.conf:5: [collect] key \"interval\" set twice (first on line 3)"
{ collect_head; inst a 'etls = 1' 'etls = 2'; } >"$T/dupinstkey.conf"
refused dupinstkey "dupinstkey.conf:7: [instance a] key \"etls\" set twice (first on line 6)"
{ collect_head; inst a 'etls = 5-1'; } >"$T/badetls.conf"
refused badetls "instance a: etls:"
{ collect_head; printf '[instance a]\nurl = %s\ntoken_file = %s/missing.token\n' "$URL" "$T"; } >"$T/notoken.conf"
refused notoken "secret file $T/missing.token: No such file or directory"
printf 'tok-conf\n' >"$T/open.token"
chmod 644 "$T/open.token"
{ collect_head; printf '[instance a]\nurl = %s\ntoken_file = %s/open.token\n' "$URL" "$T"; } >"$T/openmode.conf"
refused openmode "readable by group or others"
{ collect_head; printf '[instance a]\nurl = http://etl:Pa55w0rd@127.0.0.1:%s\ntoken_file = %s\n' "$PORT" "$T/token"; } >"$T/creds.conf"
refused creds "instance a: url must not carry user:password@"
grep -q Pa55w0rd "$T/collect.err" "$T/collect.out" && fail "the URL's password was echoed"
{ collect_head; printf '[instance a]\nurl = %s/?tenant=1\ntoken_file = %s\n' "$URL" "$T/token"; } >"$T/query.conf"
refused query "instance a: url must not carry a ?query"
{ collect_head; printf '[instance a]\nurl = %s/#top\ntoken_file = %s\n' "$URL" "$T/token"; } >"$T/fragment.conf"
refused fragment "instance a: url must not carry a #fragment"
set +e
env ETLHIST_TOKEN=tok-conf "$B/etlhist-collect" --url "http://u:Pa55w0rd@127.0.0.1:$PORT" --etl 1 --db "$DB" 2>"$T/adhoc.err"
rc=$?
set -e
expect_eq "--url with credentials" "$rc" 2
grep -q Pa55w0rd "$T/adhoc.err" && fail "the --url password was echoed"

# A good configuration still runs; then maintenance on the database alone.
{ collect_head; inst a 'etls = 1'; } >"$T/good.conf"
collect_at $((BASE + 60)) -c "$T/good.conf"
expect_eq "good config" "$RC" 0
collect_at $((BASE + 3700)) -c "$T/good.conf"
runs=$(sql "SELECT count(*) FROM run")
for args in "--rebuild-runs" "--prune 100000"; do
    collect_under "env -u ETLHIST_CONFIG" $((BASE + 4000)) --db "$DB" $args
    expect_eq "$args on a database alone" "$RC" 0
done
# An empty ETLHIST_CONFIG is the same as an unset one (as in etlhist-report).
if [ ! -e /etc/etlhist.conf ]; then
    collect_under "env ETLHIST_CONFIG=" $((BASE + 4000)) --db "$DB" --rebuild-runs
    expect_eq "--rebuild-runs with ETLHIST_CONFIG empty" "$RC" 0
fi
expect_eq "runs rebuilt" "$(sql "SELECT count(*) FROM run")" "$runs"
echo "config validation ok"
