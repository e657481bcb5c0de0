# The lock is taken on the database's real path: while one collector works on l.db, another
# given a symlink to it (l2.db), or a path through ".." (dir/../l.db), exits 4 at once instead
# of writing the same file beside it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/rel.sh"
BASE=1795392000
cat >"$T/scn" <<EOS
token tok-lock
etl 1 name="Hang" period=3600 duration=60 outcomes=OK fault=hang
EOS
start_fakeco "$T/scn"
export ETLHIST_TOKEN=tok-lock
mkdir "$T/dir"
DB=$T/l.db
echo $((BASE + 60)) >"$T/clock"
"$B/etlhist-collect" --url "$URL" --etl 1 --db "$DB" --timeout 30 >"$T/holder.out" 2>"$T/holder.err" &
holder=$!
track $holder
wait_until 5 test -e "$DB.lock"
sleep 0.3
kill -0 $holder || fail "the first collector did not stay: $(cat "$T/holder.err")"
ln -s l.db "$T/l2.db"
for path in "$T/l2.db" "$T/dir/../l.db" "$T/./l.db"; do
    t0=$(now_ms)
    collect_at $((BASE + 60)) --url "$URL" --etl 1 --db "$path" --timeout 30
    took=$(($(now_ms) - t0))
    expect_eq "second collector on $path" "$RC" 4
    [ "$took" -lt 3000 ] || fail "second collector on $path took ${took} ms"
done
grep -q "another etlhist-collect is running" "$T/collect.err" || fail "no clear message: $(cat "$T/collect.err")"
[ ! -e "$T/l2.db.lock" ] || fail "a second lock file was made beside the symlink"
kill -TERM $holder
wait $holder || true
echo "lock by real path ok"
