# The accuracy simulation, shared by tests/accuracy/run.sh (make accuracy) and
# tests/integration/t_accuracy_small.sh (make check). Source tests/integration/lib.sh first
# (it provides $B, $T, start_fakeco, collect_at, secret_file, fail); set ACC_TOP to the
# repository's top folder.

ACC_CFLAGS="-std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes"

# acc_stale OUT SRC...: true when OUT is missing or older than a SRC.
acc_stale() {
    acc_bin=$1
    shift
    [ -x "$acc_bin" ] || return 0
    for acc_src; do
        [ "$acc_src" -nt "$acc_bin" ] && return 0
    done
    return 1
}

# acc_build: $B/accuracy/gen and $B/accuracy/check, unless up to date (make accuracy builds
# them first; make check relies on this).
acc_build() {
    acc_a=$ACC_TOP/tests/accuracy
    acc_f=$ACC_TOP/tests/fakeco
    mkdir -p "$B/accuracy"
    if acc_stale "$B/accuracy/gen" "$acc_a/gen.c" "$acc_a/acc.h" "$acc_f/scenario.c" \
        "$acc_f/scenario.h"; then
        ${CC:-cc} $ACC_CFLAGS -I"$acc_f" -o "$B/accuracy/gen" "$acc_a/gen.c" "$acc_f/scenario.c" \
            -lm || fail "cannot build the accuracy generator"
    fi
    if acc_stale "$B/accuracy/check" "$acc_a/check.c" "$acc_a/acc.h"; then
        ${CC:-cc} $ACC_CFLAGS -o "$B/accuracy/check" "$acc_a/check.c" -lcsv -lm ||
            fail "cannot build the accuracy checker"
    fi
}

# acc_simulate DIR ETLS DAYS SEED SINCE: writes the scenario and truth into DIR (window from
# SINCE, Unix seconds), runs the real collector at every pass instant of the truth against
# fakeco, then the reports.
acc_simulate() {
    acc_dir=$1
    mkdir -p "$acc_dir"
    "$B/accuracy/gen" --out "$acc_dir" --seed "$4" --etls "$2" --days "$3" --since "$5" ||
        fail "accuracy generator failed"
    . "$acc_dir/env"
    CLOCK=$SINCE start_fakeco "$acc_dir/scenario.scn"
    secret_file "$acc_dir/token" "$TOKEN"
    DB=$acc_dir/history.db
    cat >"$acc_dir/etlhist.conf" <<EOC
[collect]
db = $DB
interval = $INTERVAL
concurrency = 16
[instance sim]
url = $URL
token_file = $acc_dir/token
etls = $ETLS
EOC
    acc_collect "$acc_dir"
    kill "$FAKECO_PID" 2>/dev/null && wait "$FAKECO_PID" 2>/dev/null
    FAKECO_PID=
    acc_reports="runs summary services health"
    acc_has_schedule && acc_reports="$acc_reports schedule missed"
    for acc_r in $acc_reports; do
        "$B/etlhist-report" "$acc_r" --db "$DB" --since "$SINCE_ISO" --until "$UNTIL_ISO" \
            --tz UTC -f csv -o "$acc_dir/$acc_r.csv" || fail "etlhist-report $acc_r failed"
    done
}

# acc_has_schedule: true when this etlhist-report has the schedule and missed reports
# (DESIGN 3.4); without them the checker says "not measured".
acc_has_schedule() {
    "$B/etlhist-report" --help 2>&1 | grep -q 'missed'
}

# acc_collect DIR: one collector pass per line of DIR/passes, each at its own instant.
# Exit 1 (some ETLs failed) and 3 (nothing stored: every ETL failed) are part of the
# scenario; anything else stops the simulation.
acc_collect() {
    acc_n=0
    while read -r acc_t; do
        collect_at "$acc_t" -c "$1/etlhist.conf" -q
        case $RC in
        0 | 1 | 3) ;;
        *) fail "collector pass at $acc_t exited $RC: $(tail -n 3 "$T/collect.err")" ;;
        esac
        acc_n=$((acc_n + 1))
        if [ -n "${ACC_PROGRESS:-}" ] && [ $((acc_n % 1000)) -eq 0 ]; then
            echo "accuracy: $acc_n of $N_PASSES passes" >&2
        fi
    done <"$1/passes"
}

# acc_check DIR: prints the table; non-zero when a target is missed.
acc_check() {
    if [ -f "$1/missed.csv" ]; then
        "$B/accuracy/check" "$1/truth" "$1/runs.csv" "$1/summary.csv" "$1/services.csv" \
            "$1/health.csv" "$1/schedule.csv" "$1/missed.csv"
    else
        "$B/accuracy/check" "$1/truth" "$1/runs.csv" "$1/summary.csv" "$1/services.csv" \
            "$1/health.csv"
    fi
}
