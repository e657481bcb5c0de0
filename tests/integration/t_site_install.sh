# README's "Install and run on a real site", run as written into a scratch root: the two
# command blocks of that section with / moved to $ROOT. What needs root (useradd, the
# owners, systemctl) is left out; the rest must work: make install, the directories, the
# example configuration validated with --print-config, one pass against the fake CO server,
# one report from the history it left.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
ROOT=$T/root
BASE=1795392000
cat >"$T/scn" <<EOS
token tok-site-1
etl 321 name="Daily import" period=3600 offset=0 duration=600 outcomes=OK
etl 322 name="Hourly export" period=3600 offset=0 duration=60 outcomes=ERROR
EOS
# At +1200 no ETL is RUNNING: the example configuration's follow has nothing to wait for.
CLOCK=$((BASE + 1200)) start_fakeco "$T/scn"

# block N: the Nth ```sh block of the section, made to run here without root (and the report
# a minute after the pass on the fake clock, as by hand: each process's clock starts at the
# time it is given, so a report a real second later would read the pass's own second, which
# a window ending then leaves out, whenever the pass took a second to start).
block() {
    awk -v n="$1" '/^## Install and run on a real site/ { s = 1; next }
        s && /^## / { exit }
        s && /^```sh/ { b++; inb = 1; next }
        inb && /^```/ { inb = 0; next }
        inb && b == n' "$top/README.md" |
        sed -e 's#^make && make install PREFIX=/usr/local$#make -s -C "$TOP" install B="$BUILD" DESTDIR="$ROOT" PREFIX=/usr/local#' \
            -e 's# -o [a-z]* -g [a-z]*##g' -e 's#^sudo -u etlhist ##' \
            -e "s#^\\(useradd\\|systemctl\\) .*#echo 'skipped, needs root: &'#" \
            -e 's#^etlhist-report #FAKETIME=@$REPORT_AT etlhist-report #' \
            -e 's# /etc/# $ROOT/etc/#g' -e 's# /var/lib/# $ROOT/var/lib/#g' -e 's# /usr/local/# $ROOT/usr/local/#g'
}
block 1 >"$T/block1.sh"
block 2 >"$T/block2.sh"
grep -q 'DESTDIR=' "$T/block1.sh" || fail "README's first block does not install"
grep -q 'print-config' "$T/block2.sh" || fail "README's second block does not validate the config"
mkdir -p "$ROOT/etc/systemd/system" "$ROOT/var/lib"
TOP=$top BUILD=$B ROOT=$ROOT sh -eu "$T/block1.sh" >"$T/block1.out" 2>&1 || fail "block 1: $(tail -3 "$T/block1.out")"
for d in var/lib/etlhist etc/etlhist; do
    expect_eq "mode of $d" "$(stat -c %a "$ROOT/$d")" 750
done
expect_eq "mode of the configuration" "$(stat -c %a "$ROOT/etc/etlhist.conf")" 640
expect_eq "mode of the token file" "$(stat -c %a "$ROOT/etc/etlhist/prod.token")" 600
[ ! -e "$ROOT/usr/local/share/doc/etlhist/PERFORMANCE.md" ] || fail "make install shipped engineering records"

# The edit the README asks for: the example's prod instance pointed at this server, the SaaS
# one deleted, the paths moved into $ROOT; the token written into the file block 1 made.
conf=$ROOT/etc/etlhist.conf
sed -i -e "s#^url = https://co.example.com#url = $URL#" -e '/^\[instance saas\]/,$d' \
    -e "s# /etc/# $ROOT/etc/#; s# /var/lib/# $ROOT/var/lib/#" "$conf"
printf 'tok-site-1\n' >"$ROOT/etc/etlhist/prod.token"
expect_eq "token file mode after writing" "$(stat -c %a "$ROOT/etc/etlhist/prod.token")" 600

PATH=$ROOT/usr/local/bin:$PATH ROOT=$ROOT REPORT_AT=$((BASE + 1260)) at $((BASE + 1200)) sh -eu "$T/block2.sh" >"$T/block2.out" 2>&1 ||
    fail "block 2: $(tail -5 "$T/block2.out")"
grep -q "url = $URL" "$T/block2.out" || fail "--print-config did not show the instance's url"
DB=$ROOT/var/lib/etlhist/history.db
expect_eq "the pass stored" "$(sql "SELECT polled || ':' || ok FROM pass")" "2:2"
grep -q 'Daily import' "$T/block2.out" || fail "the report does not list the ETL: $(cat "$T/block2.out")"
for f in etlhist-collect.service etlhist-collect.timer; do
    cmp -s "$top/docs/examples/$f" "$ROOT/etc/systemd/system/$f" || fail "$f not installed as the README says"
done
grep -q 'skipped, needs root: systemctl' "$T/block2.out" || fail "systemctl was not the step left out"
echo "site install ok"
