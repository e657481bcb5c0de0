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
echo "layers ok"
