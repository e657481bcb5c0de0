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

# acc_build: $B/accuracy/gen, check and clockprobe, unless up to date (make accuracy builds
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
    if acc_stale "$B/accuracy/clockprobe" "$acc_a/clockprobe.c"; then
        ${CC:-cc} $ACC_CFLAGS -o "$B/accuracy/clockprobe" "$acc_a/clockprobe.c" ||
            fail "cannot build the accuracy clock probe"
    fi
}

# acc_freeze OUT: copies the programs under test into OUT/bin and points $B there, so that a
# rebuild during a long run changes nothing.
acc_freeze() {
    mkdir -p "$1/bin/accuracy"
    for acc_p in etlhist-collect etlhist-report fakeco accuracy/gen accuracy/check \
        accuracy/clockprobe; do
        cp "$B/$acc_p" "$1/bin/$acc_p"
    done
    B=$1/bin
}

# The moving clock (follow mode): with ACC_RATE=R set, the server's and the collector's clocks
# both run at R simulated seconds per real second from each pass instant, and ACC_FOLLOW,
# ACC_FOLLOW_INTERVAL go into the config. ACC_FOLLOW_WINDOW (seconds after a pass) makes the
# checker measure runs ending inside follow windows; ACC_FOLLOW_WIDTH makes their widest
# bounds a target. Without ACC_RATE the clock stands still during a pass, as before.

# acc_simulate DIR ETLS DAYS SEED SINCE: writes the scenario and truth into DIR (window from
# SINCE, Unix seconds), runs the real collector at every pass instant of the truth against
# fakeco, then the reports. ACC_FAST=F adds F fast ETLs after the ETLS others (gen --fast F:
# periods shorter than the pass interval); empty or unset, gen is called without --fast.
# ACC_REALISTIC=1 makes it gen --realistic (tests/accuracy/realistic.sh), ACC_INTERVAL=S passes
# gen --interval S, ACC_TZ=ZONE gives the reports --tz ZONE (default UTC).
acc_simulate() {
    acc_dir=$1
    mkdir -p "$acc_dir"
    set -- "$B/accuracy/gen" --out "$acc_dir" --seed "$4" --etls "$2" --days "$3" --since "$5" \
        --follow-window "${ACC_FOLLOW_WINDOW:-0}" ${ACC_FAST:+--fast "$ACC_FAST"} \
        ${ACC_REALISTIC:+--realistic} ${ACC_INTERVAL:+--interval "$ACC_INTERVAL"}
    "$@" || fail "accuracy generator failed"
    . "$acc_dir/env"
    if [ -n "${ACC_RATE:-}" ]; then
        rm -f "$acc_dir/requests.log"
        CLOCK=$SINCE start_fakeco "$acc_dir/scenario.scn" --request-log "$acc_dir/requests.log"
    else
        CLOCK=$SINCE start_fakeco "$acc_dir/scenario.scn"
    fi
    secret_file "$acc_dir/token" "$TOKEN"
    DB=$acc_dir/history.db
    cat >"$acc_dir/etlhist.conf" <<EOC
[collect]
db = $DB
interval = $INTERVAL
concurrency = 16
follow = ${ACC_FOLLOW:-0}
follow_interval = ${ACC_FOLLOW_INTERVAL:-15}
[instance sim]
url = $URL
token_file = $acc_dir/token
etls = $ETLS
EOC
    if [ -n "${ACC_RATE:-}" ]; then
        acc_collect_moving "$acc_dir"
        curl -sf "$URL/_ctl/stats" >"$acc_dir/stats.json" || fail "fakeco stats unreadable"
        # The truth again, from the polls fakeco answered rather than the pass instants.
        "$@" --polls "$acc_dir/requests.log" || fail "accuracy generator (--polls) failed"
    else
        acc_collect "$acc_dir"
    fi
    kill "$FAKECO_PID" 2>/dev/null && wait "$FAKECO_PID" 2>/dev/null
    FAKECO_PID=
    acc_reports="runs summary services health"
    acc_has_schedule && acc_reports="$acc_reports schedule missed"
    for acc_r in $acc_reports; do
        "$B/etlhist-report" "$acc_r" --db "$DB" --since "$SINCE_ISO" --until "$UNTIL_ISO" \
            --tz "${ACC_TZ:-UTC}" -f csv -o "$acc_dir/$acc_r.csv" || fail "etlhist-report $acc_r failed"
    done
}

# acc_has_schedule: true when this etlhist-report has the schedule and missed reports
# (docs/design.md §3.4); without them the checker says "not measured".
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

# acc_clock_start DIR: a libfaketime shared-memory segment (the `faketime` wrapper keeps it
# while its child sleeps) whose start instant every collector process shares: with
# FAKETIME_DONT_RESET, "@X xR" then reads X + (real time - that instant) x R, whenever the
# process started. Sets ACC_SHM, ACC_R0_NS (the segment's start, real ns) and ACC_KEEPER.
acc_clock_start() {
    rm -f "$1/shm" "$1/keeper.pid"
    faketime -f +0 sh -c 'echo $$ >"$1/keeper.pid"; echo "$FAKETIME_SHARED" >"$1/shm"; exec sleep 86400' \
        sh "$1" 2>/dev/null &
    acc_i=0
    while [ ! -s "$1/shm" ] || [ ! -s "$1/keeper.pid" ]; do
        acc_i=$((acc_i + 1))
        [ $acc_i -gt 100 ] && fail "the faketime wrapper (package faketime) did not start"
        sleep 0.05
    done
    ACC_SHM=$(cat "$1/shm")
    ACC_KEEPER=$(cat "$1/keeper.pid")
    trap 'acc_clock_stop; cleanup' EXIT
    # Under "@0" the clock reads (real time - the segment's start).
    set -- $(acc_faked 0 "" "$B/accuracy/clockprobe")
    ACC_R0_NS=$(($2 - $1))
}

# acc_clock_stop: ends the keeper; the wrapper then removes the segment.
acc_clock_stop() {
    kill "$ACC_KEEPER" 2>/dev/null || true
    trap cleanup EXIT
}

# acc_faked X RATE CMD...: CMD under libfaketime on the shared segment, its clock X + (real
# time - ACC_R0_NS) x RATE (X in seconds, nine decimals allowed; RATE "" for 1).
acc_faked() {
    acc_x=$1 acc_rate=$2
    shift 2
    env LD_PRELOAD="$FAKETIME_LIB" FAKETIME_SHARED="$ACC_SHM" FAKETIME_DONT_RESET=1 \
        FAKETIME_FMT=%s FAKETIME="@$acc_x${acc_rate:+ x$acc_rate}" "$@"
}

# acc_json_int FIELD: the integer FIELD of the one-line JSON object on stdin.
acc_json_int() {
    sed -n "s/.*\"$1\":\(-\{0,1\}[0-9]*\).*/\1/p"
}

# acc_collect_moving DIR: one collector pass per line of DIR/passes; at each, fakeco's clock
# is set to run at ACC_RATE from the pass instant, and the collector's libfaketime clock is
# anchored to the same real instant, so both read the same time throughout the pass and its
# follow rounds. After each pass a probe started the collector's way reads its clock and
# fakeco tells what its own read at that real instant: the difference, in ns, goes to
# DIR/clock.log ("PASS DIFF_NS"), and over one second fails the simulation.
acc_collect_moving() {
    acc_clock_start "$1"
    : >"$1/clock.log"
    acc_n=0
    while read -r acc_t; do
        acc_anchor=$(curl -sf -X POST "$URL/_ctl/now?t=$acc_t&rate=$ACC_RATE" |
            acc_json_int anchor_ns)
        [ -n "$acc_anchor" ] || fail "fakeco did not set its clock for the pass at $acc_t"
        acc_xns=$((acc_t * 1000000000 - (acc_anchor - ACC_R0_NS) * ACC_RATE))
        acc_x=$((acc_xns / 1000000000)).$(printf %09d $((acc_xns % 1000000000)))
        set +e
        acc_faked "$acc_x" "$ACC_RATE" "$B/etlhist-collect" -c "$1/etlhist.conf" -q \
            >>"$T/collect.out" 2>>"$T/collect.err"
        RC=$?
        set -e
        case $RC in
        0 | 1 | 3) ;;
        *) fail "collector pass at $acc_t exited $RC: $(tail -n 3 "$T/collect.err")" ;;
        esac
        set -- "$1" $(acc_faked "$acc_x" "$ACC_RATE" "$B/accuracy/clockprobe")
        acc_server=$(curl -sf "$URL/_ctl/now?real_ns=$3" | acc_json_int now_ns)
        [ -n "$acc_server" ] || fail "fakeco did not tell its clock at real $3"
        acc_diff=$(($2 - acc_server))
        echo "$acc_t $acc_diff" >>"$1/clock.log"
        [ "${acc_diff#-}" -lt 1000000000 ] ||
            fail "pass at $acc_t: the collector's clock is $acc_diff ns off the server's"
        set -- "$1"
        acc_n=$((acc_n + 1))
        if [ -n "${ACC_PROGRESS:-}" ] && [ $((acc_n % 100)) -eq 0 ]; then
            echo "accuracy: $acc_n of $N_PASSES passes" >&2
        fi
    done <"$1/passes"
    acc_clock_stop
}

# acc_check DIR: prints the table; non-zero when a target is missed.
acc_check() {
    acc_d=$1
    set -- "$acc_d/truth" "$acc_d/runs.csv" "$acc_d/summary.csv" "$acc_d/services.csv" \
        "$acc_d/health.csv"
    [ -f "$acc_d/missed.csv" ] && set -- "$@" "$acc_d/schedule.csv" "$acc_d/missed.csv"
    "$B/accuracy/check" ${ACC_FOLLOW_WIDTH:+--follow-width "$ACC_FOLLOW_WIDTH"} "$@"
}
