# Several [instance NAME] sections in one database, --instance to pick some, --prune, and a
# skewed server clock corrected in run durations.
. "$(dirname "$0")/lib.sh"
BASE=1795392000
cat >"$T/scn" <<EOS
token tok
skew 120
etl 7 name="Seven" period=3600 offset=0 duration=600 outcomes=OK
EOS
start_fakeco "$T/scn"
secret_file "$T/token" tok
DB=$T/h.db
cat >"$T/conf" <<EOC
[collect]
db = $DB
[instance east]
url = $URL
token_file = $T/token
etls = 7
[instance west]
url = $URL/
token_file = $T/token
etls = all
EOC
# The server runs 120 s ahead: its run starting at BASE+3600 starts at BASE+3480 on our clock.
for t in 3300 3600 3900 4200; do
    collect_at $((BASE + t)) -c "$T/conf"
    expect_eq "pass at +$t" "$RC" 0
done
collect_at $((BASE + 4500)) -c "$T/conf" --instance west
expect_eq "--instance west" "$RC" 0
collect_at $((BASE + 4500)) -c "$T/conf" --instance north
expect_eq "unknown --instance" "$RC" 2

expect_eq instances "$(sql "SELECT group_concat(name, ',') FROM (SELECT name FROM instance ORDER BY name)")" "east,west"
expect_eq "passes per instance" "$(sql "SELECT group_concat(n, ',') FROM (SELECT count(*) AS n FROM pass GROUP BY instance_id ORDER BY instance_id)")" "4,5"
expect_eq "skew recorded" "$(sql "SELECT DISTINCT server_skew_s FROM pass")" 120
# Polls: +3300 (old run, WAITING), +3600 (server +3720: RUNNING since +3600), +3900 RUNNING,
# +4200 (server +4320: ended at +4200). Start on our clock +3480: lo 3900-3480, hi 4200-3480.
expect_eq "runs with skew-corrected bounds" \
    "$(sql "SELECT group_concat(i.name || ':' || (r.start_ts - $BASE) || ':' || (SELECT text FROM code WHERE id = r.outcome) || ':' || r.dur_lo_s || ':' || r.dur_hi_s, ' ') FROM run r JOIN etl e ON e.id = r.etl_ref JOIN instance i ON i.id = e.instance_id WHERE r.start_ts > $BASE")" \
    "east:3600:OK:420:720 west:3600:OK:420:720"

# --prune keeps what is newer than the cutoff and says nothing when all is well.
at $((BASE + 86400 * 3)) "$B/etlhist-collect" -c "$T/conf" --prune 1 2>"$T/prune.err" ||
    fail "prune failed: $(cat "$T/prune.err")"
expect_eq "pruned everything older than a day" "$(sql "SELECT count(*) FROM sample") $(sql "SELECT count(*) FROM pass")" "0 0"
expect_eq "integrity after prune" "$(sql "PRAGMA integrity_check")" ok
echo "multiple instances ok"
