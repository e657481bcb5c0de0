#!/bin/sh
# Makes sure a generated history is in the cache and prints its folder:
#   sh history.sh BUILD ETLS PASSES [--follow S] [SNAP_PASSES=NAME]...
# The folder is BUILD/bench-cache/hist-KEY, KEY a hash of the scenario text and the
# parameters; it holds NAME.db for each snapshot, final.db (after PASSES passes),
# perpoll.db (the first week one row per poll) and gen.txt (genhist's timing line).
# Built by BUILD/bench/genhist through the collector's own store_pass(); see genhist.c.
# --follow S: after every pass, follow rounds as etlhist-collect --follow S stores them.
set -eu
B=$1
etls=$2
passes=$3
shift 3
follow=
if [ "${1:-}" = --follow ]; then
    follow="--follow $2"
    shift 2
fi
here=$(cd "$(dirname "$0")" && pwd)
START=1736121600        # Monday 2025-01-06 00:00:00 UTC: weeks of the history align
PASS_OFFSET=30          # passes run 30 s past each 5-minute mark
INTERVAL=300
FORMAT=v3               # bump when genhist's output would change
FOLLOW_FORMAT=f2        # bump when only what genhist --follow stores would change
WEEK_PASSES=$((7 * 86400 / INTERVAL))

scn=$(mktemp)
sh "$here/scenario.sh" "$etls" bench-token "$START" >"$scn"
key=$( (cat "$scn"; echo "$passes $INTERVAL $START $PASS_OFFSET $FORMAT ${follow:+$follow $FOLLOW_FORMAT} $*") | md5sum | cut -c1-12)
dir=$B/bench-cache/hist-e$etls-p$passes${follow:+-f}-$key
if [ -s "$dir/final.db" ] && [ -s "$dir/gen.txt" ]; then
    rm -f "$scn"
    echo "$dir"
    exit 0
fi
mkdir -p "$dir"
cp "$scn" "$dir/scenario.scn"
rm -f "$scn"
snaps=
for s in "$@"; do
    snaps="$snaps --snapshot ${s%%=*}=$dir/${s#*=}.db"
done
perpoll=$WEEK_PASSES
[ "$perpoll" -le "$passes" ] || perpoll=$passes
echo "bench: generating a history of $etls ETLs x $passes passes in $dir (once; cached)" >&2
# shellcheck disable=SC2086 # snaps and follow are lists of words
"$B/bench/genhist" --scenario "$dir/scenario.scn" --db "$dir/work.db" \
    --start $((START + PASS_OFFSET)) --passes "$passes" --interval $INTERVAL $follow \
    $snaps --per-poll "$perpoll=$dir/perpoll.db" --cache-mib 256 \
    --progress 2016 >"$dir/gen.tmp" 2>"$dir/gen.log"
mv "$dir/work.db" "$dir/final.db"
rm -f "$dir/work.db-wal" "$dir/work.db-shm"
mv "$dir/gen.tmp" "$dir/gen.txt"
echo "$dir"
