#!/bin/sh
# Builds every libFuzzer target against the project sources with clang (not through the
# Makefile) and runs each for SECONDS (default 60), seeded from tests/fuzz/corpus/<target>.
#   sh tests/fuzz/run.sh [SECONDS] [TARGET...]
# Needs Debian's clang-14 and libclang-rt-14-dev (libFuzzer, ASan, UBSan runtimes) besides
# the project's build packages. $FUZZ_CFLAGS adds compiler flags: -DFUZZ_SKIP_KNOWN looks
# past the known findings listed in docs/dev/reliability.md. Work files go to $FUZZ_OUT (default
# build/fuzz): binaries, the grown corpus, logs, crash artifacts and summary.txt. Exits 1
# when a target found anything (a crash, a leak, undefined behaviour, a failed check, a
# timeout).
set -eu
secs=${1:-60}
[ $# -gt 0 ] && shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${FUZZ_OUT:-$root/build/fuzz}
cc=${FUZZ_CC:-}
if [ -z "$cc" ]; then
    for c in clang clang-14; do
        command -v $c >/dev/null 2>&1 && cc=$c && break
    done
fi
[ -n "$cc" ] || { echo "fuzz: clang not found (apt-get install clang-14 libclang-rt-14-dev)" >&2; exit 2; }

flags="-std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer
 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
 -I$here -I$root/common -I$root/collector/http -I$root/report -I$root/report/engine -I$root/report/reports -I$root/report/writers -I$root/report/writers/html -I$root/report/check -I$root/report/mail -I$out/gen
 $(pkg-config --cflags json-c gmime-3.0 librsvg-2.0 cairo fontconfig 2>/dev/null) ${FUZZ_CFLAGS:-}"
jsonc=$(pkg-config --libs json-c 2>/dev/null || echo -ljson-c)
inih=$(pkg-config --libs inih 2>/dev/null || echo -linih)

# The report's format table (report/formats.c) links every writer, and the writers reach into
# the rest of the report: the CSV target links all of report/ but main.c, all of common/
# and the embedded SQL, generated here as the Makefile would.
mkdir -p "$out/gen"
sh "$root/tools/embed-sql.sh" "$out/gen/sqlfiles.c" "$out/gen/sqlfiles.h" "$root"/sql/*.sql
report_all=$(cd "$root" && ls report/*.c report/*/*.c report/*/*/*.c common/*.c | grep -v '^report/main\.c$' | grep -v '^report/mail/mail_none\.c$' | tr '\n' ' ')
report_all="$report_all $out/gen/sqlfiles.c"
sqlite=$(pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3)
mail=$(pkg-config --libs gmime-3.0 librsvg-2.0 cairo fontconfig 2>/dev/null) # -f mail, in formats.c's table

# target: sources (besides tests/fuzz/fuzz_<target>.c) | libraries | max input length | dictionary
spec() {
    case $1 in
    api_status) echo "collector/http/api.c common/log.c common/timeutil.c common/utf8.c|$jsonc|65536|json.dict" ;;
    api_list) echo "collector/http/api.c common/log.c common/timeutil.c common/utf8.c|$jsonc|65536|json.dict" ;;
    time_iso) echo "common/timeutil.c||64|" ;;
    etlset) echo "common/etlset.c||256|" ;;
    config) echo "common/config.c common/silence.c common/etlset.c common/log.c common/timeutil.c common/utf8.c|$inih|4096|" ;;
    csv_roundtrip) echo "$report_all|-lcsv $jsonc $sqlite $inih $mail -lm|1024|" ;;
    *) return 1 ;;
    esac
}
targets=${*:-api_status api_list time_iso etlset config csv_roundtrip}
mkdir -p "$out/bin"
: >"$out/summary.txt"
found=0
for t in $targets; do
    s=$(spec "$t") || { echo "fuzz: unknown target $t" >&2; exit 2; }
    srcs=$(echo "$s" | cut -d'|' -f1)
    libs=$(echo "$s" | cut -d'|' -f2)
    max_len=$(echo "$s" | cut -d'|' -f3)
    dict=$(echo "$s" | cut -d'|' -f4)
    bin=$out/bin/fuzz_$t
    paths=
    for f in $srcs; do
        case $f in /*) paths="$paths $f" ;; *) paths="$paths $root/$f" ;; esac
    done
    # shellcheck disable=SC2086
    $cc $flags -o "$bin" "$here/fuzz_$t.c" $paths $libs
    rm -rf "$out/artifacts/$t" # findings of an earlier run are not this run's
    mkdir -p "$out/corpus/$t" "$out/artifacts/$t"
    set -- -max_total_time="$secs" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
        -max_len="$max_len" -artifact_prefix="$out/artifacts/$t/"
    [ -n "$dict" ] && set -- "$@" -dict="$here/$dict"
    rc=0
    "$bin" "$@" "$out/corpus/$t" "$here/corpus/$t" >"$out/$t.log" 2>&1 || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log" | tail -n 1)
    corpus=$(ls "$out/corpus/$t" | wc -l)
    artifacts=$(ls "$out/artifacts/$t" | wc -l)
    if [ $rc -eq 0 ] && [ "$artifacts" -eq 0 ]; then
        result=clean
    else
        result="FOUND (exit $rc): $(grep -m1 -E 'ERROR: |fuzz check failed|runtime error' "$out/$t.log" || echo see log)"
        found=1
    fi
    line="$t: up to ${secs}s, ${execs:-?} executions, corpus $corpus, $result"
    echo "$line" | tee -a "$out/summary.txt"
    [ "$artifacts" -eq 0 ] || ls "$out/artifacts/$t" | sed "s|^|    $out/artifacts/$t/|" | tee -a "$out/summary.txt"
done
exit $found
