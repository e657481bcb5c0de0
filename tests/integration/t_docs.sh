# Man pages render without a groff warning; every docs/*.md a source or document names exists;
# make install puts programs, man pages, the user docs and examples under DESTDIR/PREFIX, not
# the engineering records of docs/dev/, and uninstall removes them again.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
for page in "$top"/docs/*.1 "$top"/docs/*.5; do
    groff -man -ww -z "$page" 2>"$T/groff.err" || fail "groff failed on $page"
    [ ! -s "$T/groff.err" ] || fail "$(basename "$page"): $(head -3 "$T/groff.err")"
    grep -q '^\.SH NAME' "$page" || fail "$(basename "$page") has no NAME section"
done
cd "$top"
find . -path ./build -prune -o -path ./.git -prune -o -type f \( -name '*.md' -o -name '*.[ch]' \
    -o -name '*.sh' -o -name '*.sql' -o -name '*.[15]' -o -name Makefile \) -print0 |
    xargs -0 grep -ohE 'docs/[A-Za-z0-9_/.-]+\.md' | sort -u >"$T/cited"
[ -s "$T/cited" ] || fail "found no docs/*.md cited"
while read -r doc; do
    [ -f "$top/$doc" ] || fail "$doc is cited but does not exist: $(grep -rlF "$doc" --include='*.[ch]' --include='*.md' --include='*.sh' . | head -3 | tr '\n' ' ')"
done <"$T/cited"
cd - >/dev/null
make -s -C "$top" install B="$B" DESTDIR="$T/root" PREFIX=/usr/local >"$T/install.out" 2>&1 ||
    fail "make install: $(tail -3 "$T/install.out")"
for f in bin/etlhist-collect bin/etlhist-report share/man/man1/etlhist-collect.1 \
    share/man/man1/etlhist-report.1 share/man/man5/etlhist.conf.5 \
    share/doc/etlhist/etlhist.conf.example share/doc/etlhist/README.md share/doc/etlhist/reports.md \
    share/doc/etlhist/examples/etlhist-collect.service share/doc/etlhist/examples/etlhist-collect.timer \
    share/doc/etlhist/examples/etlhist.cron share/doc/etlhist/examples/etlhist-weekly-mail; do
    [ -s "$T/root/usr/local/$f" ] || fail "make install did not install $f"
done
for rec in "$top"/docs/dev/*.md; do
    [ ! -e "$T/root/usr/local/share/doc/etlhist/$(basename "$rec")" ] || fail "make install shipped $(basename "$rec")"
done
"$T/root/usr/local/bin/etlhist-collect" --version | grep -q '^etlhist-collect ' || fail "installed collector"
make -s -C "$top" uninstall B="$B" DESTDIR="$T/root" PREFIX=/usr/local >/dev/null 2>&1 || fail "make uninstall"
left=$(find "$T/root" -type f | head -3)
[ -z "$left" ] || fail "make uninstall left $left"
# Every program takes -h and --help, and says "Usage:" the same way.
for prog in etlhist-collect etlhist-report; do
    for opt in -h --help; do
        "$B/$prog" $opt >"$T/help.out" 2>"$T/help.err" || fail "$prog $opt exits non-zero"
        head -n 1 "$T/help.out" | grep -q "^Usage: $prog " || fail "$prog $opt: $(head -n 1 "$T/help.out")"
        [ ! -s "$T/help.err" ] || fail "$prog $opt writes to stderr: $(cat "$T/help.err")"
    done
done
echo "docs and install ok"
