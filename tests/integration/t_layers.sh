# The include graph of common/, collector/ and report/ keeps the layers of docs/design.md
# (tools/layers.sh): no cycle, no layer including a higher one. A copy of the sources with a
# planted upward include, a writer including a report definition and a cycle must each fail.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
sh "$top/tools/layers.sh" "$top" >"$T/layers.out" 2>&1 || fail "$(cat "$T/layers.out")"

# copy FILE LINE: a fresh copy of the sources whose FILE ends with LINE.
copy() {
    rm -rf "$T/src" && mkdir -p "$T/src"
    (cd "$top" && tar -cf - common collector report) | tar -xf - -C "$T/src"
    printf '%s\n' "$2" >>"$T/src/$1"
}
# plant FILE LINE EXPECTED: tools/layers.sh must fail on the copy and say EXPECTED.
plant() {
    copy "$1" "$2"
    if sh "$top/tools/layers.sh" "$T/src" >"$T/planted.out" 2>&1; then
        fail "tools/layers.sh passed $1 with $2"
    fi
    grep -qF "$3" "$T/planted.out" || fail "tools/layers.sh on $1 with $2: $(cat "$T/planted.out")"
}
plant report/engine/stats.c '#include "defs.h"' 'engine may not include reports'
plant report/engine/window.h '#include "fmt.h"' 'engine may not include writers'
plant report/writers/fmt_csv.c '#include "defs.h"' 'writers may not include reports'
plant report/mail/mail.h '#include "plugin.h"' 'mail may not include check'
plant common/log.c '#include "query.h"' 'common may not include engine'
plant report/engine/query.c '#include "runs.h"' 'engine may not include collector'
# An include within a layer or downwards, one way only, is kept.
copy report/engine/numfmt.h '#include "zone.h"'
sh "$top/tools/layers.sh" "$T/src" >"$T/kept.out" 2>&1 || fail "a downward include refused: $(cat "$T/kept.out")"
mkdir "$T/src/report/extra" && echo "/* in no layer */" >"$T/src/report/extra/x.c"
sh "$top/tools/layers.sh" "$T/src" >"$T/kept.out" 2>&1 && fail "a folder in no layer passed"
grep -q 'report/extra/x.c: its folder is in no layer' "$T/kept.out" || fail "$(cat "$T/kept.out")"
plant report/engine/window.h '#include "expect.h"' 'report/engine/window -> report/engine/expect -> report/engine/window'
# The collector's layers: talking to CO below storage, storage below the pass, the pass
# below follow.
plant collector/http/poll.c '#include "query.h"' 'collector/http may not include engine'
plant collector/http/api.c '#include "store.h"' 'collector/http may not include collector/store'
plant collector/store/store.c '#include "collect.h"' 'collector/store may not include collector/pass'
plant collector/pass/collect.c '#include "follow.h"' 'collector/pass may not include collector/follow'
plant collector/follow/follow.c '#include "app.h"' 'collector/follow may not include collector'
# Links keep the layers too: no library of a layer needs a symbol that only a library above
# it defines (includes can be clean while a table names a writer of a higher layer).
# below LIB ABOVE...: the symbols LIB needs that the libraries ABOVE define.
below() {
    lib=$1
    shift
    nm -u "$lib" | awk '{ print $2 }' | sort -u >"$T/needs"
    for up in "$@"; do
        nm --defined-only "$up" | awk '$2 ~ /^[TDRB]$/ { print $3 }'
    done | sort -u >"$T/defined"
    comm -12 "$T/needs" "$T/defined"
}
L=$B/libreport
for pair in "engine:${L}_reports.a ${L}_writers.a ${L}_check.a $B/libmail.a $L.a" \
    "reports:${L}_writers.a ${L}_check.a $B/libmail.a $L.a" \
    "writers:${L}_check.a $B/libmail.a $L.a" \
    "check:$B/libmail.a $L.a"; do
    layer=${pair%%:*}
    # shellcheck disable=SC2086 # the libraries above, one word each
    up=$(below "${L}_$layer.a" ${pair#*:})
    [ -z "$up" ] || fail "report/$layer links to a higher layer: $up"
done
C=$B/libcollect
for pair in "http:${C}_store.a ${C}_pass.a ${C}_follow.a" "store:${C}_pass.a ${C}_follow.a" \
    "pass:${C}_follow.a"; do
    layer=${pair%%:*}
    # shellcheck disable=SC2086
    up=$(below "${C}_$layer.a" ${pair#*:})
    [ -z "$up" ] || fail "collector/$layer links to a higher layer: $up"
done
echo "layers ok"
