# The cron and systemd examples have one source, docs/examples/: README.md and the man pages
# quote each file whole (no other crontab, ExecStart= or OnCalendar= line in them), and
# every job of etlhist.cron and both units' ExecStart run, with / moved to a scratch install,
# against the fake CO server; systemd-analyze verify finds nothing to say about the units.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
EX=$top/docs/examples
ROOT=$T/root
BASE=1795392000 # Monday 2026-11-23 00:00 UTC

# (a) Quoted whole: a README code block, or a man page's .EX block, is the file byte for
# byte (roff escapes undone); a job line, ExecStart= or OnCalendar= line anywhere in a page
# is one of the examples'.
python3 - "$top" <<'EOP' || fail "the docs do not quote docs/examples/ as they are"
import os, re, sys
top = sys.argv[1]
ex = {n: open(os.path.join(top, "docs/examples", n)).read() for n in
      ("etlhist.cron", "etlhist-collect.service", "etlhist-collect.timer", "etlhist-weekly-mail")}
quotes = {"README.md": list(ex),
          "docs/etlhist-collect.1": ["etlhist.cron", "etlhist-collect.service", "etlhist-collect.timer"],
          "docs/etlhist-report.1": ["etlhist-weekly-mail", "etlhist.cron"],
          "docs/etlhist.conf.5": []}

def unroff(line):
    for a, b in (("\\-", "-"), ("\\(aq", "'"), ("\\&", ""), ("\\e", "\\")):
        line = line.replace(a, b)
    return line

def blocks(path):
    text = open(os.path.join(top, path)).read()
    if path.endswith(".md"):
        return [m.group(1) for m in re.finditer(r"^```[a-z]*\n(.*?)^```$", text, re.S | re.M)]
    return ["".join(unroff(l) + "\n" for l in m.group(1).splitlines())
            for m in re.finditer(r"^\.EX\n(.*?)^\.EE$", text, re.S | re.M)]

job = re.compile(r"^([0-9*/,-]+\s+){5}[a-z]+\s")
known = set(l for t in ex.values() for l in t.splitlines())
bad = 0
for path, names in quotes.items():
    found = blocks(path)
    for n in names:
        if ex[n] not in found:
            print("%s does not quote docs/examples/%s whole" % (path, n), file=sys.stderr)
            bad += 1
    for b in found:
        for l in b.splitlines():
            if (job.match(l) or l.startswith(("ExecStart=", "OnCalendar="))) and l not in known:
                print("%s: %r is in no example file" % (path, l), file=sys.stderr)
                bad += 1
print("quoted: %d example files in %d documents" % (sum(len(v) for v in quotes.values()), len(quotes)))
sys.exit(1 if bad else 0)
EOP

# A scratch install as README's "Install and run on a real site" makes it (t_site_install.sh
# runs that section itself), the weekly mail script copied where the README says.
cat >"$T/scn" <<EOS
token tok-ex-1
etl 321 name="Daily import" period=3600 offset=0 duration=600 outcomes=OK
etl 322 name="Hourly export" period=3600 offset=0 duration=60 outcomes=ERROR
EOS
CLOCK=$((BASE + 1200)) start_fakeco "$T/scn"
make -s -C "$top" install B="$B" DESTDIR="$ROOT" PREFIX=/usr/local >"$T/install.out" 2>&1 ||
    fail "make install: $(tail -3 "$T/install.out")"
install -d -m 750 "$ROOT/var/lib/etlhist" "$ROOT/etc/etlhist" "$ROOT/var/lib/prometheus/node-exporter"
install -m 755 "$ROOT/usr/local/share/doc/etlhist/examples/etlhist-weekly-mail" "$ROOT/usr/local/bin/"
sed -e "s#^url = https://co.example.com#url = $URL#" -e '/^\[instance saas\]/,$d' \
    -e "s# /etc/# $ROOT/etc/#; s# /var/lib/# $ROOT/var/lib/#" \
    "$ROOT/usr/local/share/doc/etlhist/etlhist.conf.example" >"$ROOT/etc/etlhist.conf"
install -m 600 /dev/null "$ROOT/etc/etlhist/prod.token"
printf 'tok-ex-1\n' >"$ROOT/etc/etlhist/prod.token"
DB=$ROOT/var/lib/etlhist/history.db
# A sendmail that keeps the message.
printf '#!/bin/sh\ncat >"%s/mail.out"\n' "$T" >"$T/sendmail" && chmod 755 "$T/sendmail"

# moved TEXT: its absolute paths (after a space, an = or at the start) under $ROOT.
moved() {
    printf '%s\n' "$1" | sed -e "s#\\(^\\|[ =]\\)/\\(etc\\|var\\|usr\\)/#\\1$ROOT/\\2/#g"
}

# (b) The cron file: every line a comment, a variable or a job of five time fields, the user
# and a command; each command run as cron runs it (sh -c, its % unescaped), at its time.
field_ok() { # VALUE MIN MAX: a cron time field (*, N, N-M, lists, /step) within MIN..MAX
    echo "$1" | tr ',' '\n' | while read -r part; do
        range=${part%%/*} step=${part#"$range"}
        [ -z "$step" ] || [ "${step#/}" -ge 1 ] 2>/dev/null || exit 1
        [ "$range" = '*' ] && continue
        lo=${range%-*} hi=${range#*-}
        [ "$lo" -ge "$2" ] 2>/dev/null && [ "$hi" -le "$3" ] && [ "$lo" -le "$hi" ] || exit 1
    done
}
jobs=0
while IFS= read -r line; do
    case $line in '' | '#'*) continue ;; esac
    if printf '%s\n' "$line" | grep -qE '^[A-Za-z_][A-Za-z0-9_]*='; then
        continue
    fi
    # shellcheck disable=SC2086 # a job line is words
    set -f && set -- $line && set +f
    [ $# -ge 7 ] || fail "etlhist.cron: not a job line: $line"
    field_ok "$1" 0 59 && field_ok "$2" 0 23 && field_ok "$3" 1 31 && field_ok "$4" 1 12 &&
        field_ok "$5" 0 7 || fail "etlhist.cron: bad time fields: $line"
    expect_eq "etlhist.cron: the user of [$line]" "$6" etlhist
    cmd=$(printf '%s\n' "$line" | sed -E 's/^([^ ]+ +){6}//')
    printf '%s\n' "$cmd" | grep -qE '(^|[^\\])%' && fail "etlhist.cron: an unescaped % (cron's newline): $cmd"
    cmd=$(moved "$(printf '%s\n' "$cmd" | sed 's/\\%/%/g')")
    # Each at its own time: the pass while no ETL runs; the Monday mail a week after the pass.
    case $5 in
    '*') when=$((BASE + 1200)) ;;
    *) when=$((BASE + 7 * 86400 + 7 * 3600 + 1800)) ;;
    esac
    set +e
    PATH=$ROOT/usr/local/bin:/usr/bin:/bin ETLHIST_DB=$DB SENDMAIL=$T/sendmail \
        at $when sh -c "$cmd" >"$T/job.out" 2>&1
    rc=$?
    set -e
    expect_eq "etlhist.cron: [$cmd] exit" "$rc" 0
    expect_eq "etlhist.cron: [$cmd] is quiet (cron mails any output)" "$(cat "$T/job.out")" ""
    jobs=$((jobs + 1))
done <"$EX/etlhist.cron"
expect_eq "etlhist.cron jobs run" "$jobs" 2
expect_eq "the cron pass stored" "$(sql "SELECT polled || ':' || ok FROM pass")" "2:2"
grep -qx 'Subject: etlhist summary, 2026-11-23 00:00 UTC to 2026-11-30 00:00 UTC' "$T/mail.out" ||
    fail "the weekly mail is not last week's summary: $(grep -m1 '^Subject' "$T/mail.out")"
grep -qx 'To: ops@example.com' "$T/mail.out" || fail "the weekly mail: $(grep -m1 '^To' "$T/mail.out")"

# (c) The units: systemd-analyze verify (with ExecStart moved to the scratch install, so the
# program it names exists) says nothing; the timer fires every five minutes; ExecStart runs
# as the service would (exit 0, or 1 which SuccessExitStatus allows) and writes the metrics.
command -v systemd-analyze >/dev/null || fail "systemd-analyze is not installed (make deps installs systemd)"
mkdir -p "$T/units"
for u in etlhist-collect.service etlhist-collect.timer; do
    while IFS= read -r l; do
        case $l in ExecStart=*) moved "$l" ;; *) printf '%s\n' "$l" ;; esac
    done <"$EX/$u" >"$T/units/$u"
done
systemd-analyze verify --man=no "$T/units/etlhist-collect.service" "$T/units/etlhist-collect.timer" \
    >"$T/verify.out" 2>&1 || fail "systemd-analyze verify: $(cat "$T/verify.out")"
expect_eq "systemd-analyze verify says" "$(cat "$T/verify.out")" ""
cal=$(sed -n 's/^OnCalendar=//p' "$EX/etlhist-collect.timer")
systemd-analyze calendar --iterations=3 "$cal" >"$T/cal.out" 2>&1 || fail "OnCalendar=$cal: $(cat "$T/cal.out")"
expect_eq "OnCalendar=$cal" "$(sed -n 's/^ *Normalized form: //p' "$T/cal.out")" "*-*-* *:00/5:00"
expect_eq "the service's successful exits" "$(sed -n 's/^SuccessExitStatus=//p' "$EX/etlhist-collect.service")" 1
execs=$(grep -c '^ExecStart=' "$T/units/etlhist-collect.service")
expect_eq "ExecStart lines" "$execs" 1
exec=$(sed -n 's/^ExecStart=//p' "$T/units/etlhist-collect.service")
set +e
# shellcheck disable=SC2086 # systemd splits ExecStart into words (no quotes in it)
at $((BASE + 1500)) $exec >"$T/exec.out" 2>&1
rc=$?
set -e
[ "$rc" -le 1 ] || fail "ExecStart exited $rc: $(cat "$T/exec.out")"
expect_eq "ExecStart is quiet" "$(cat "$T/exec.out")" ""
expect_eq "the service's pass stored" "$(sql "SELECT count(*) FROM pass")" 2
grep -q '^etlhist_last_success_timestamp_seconds{instance="prod"}' \
    "$ROOT/var/lib/prometheus/node-exporter/etlhist.prom" || fail "ExecStart wrote no metrics"
echo "examples ok: $jobs cron jobs, the service's ExecStart, units verified"
