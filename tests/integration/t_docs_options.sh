# Every option a program's --help names is documented in its man page, and every option a
# man page documents is one the program takes, with or without a value as the page says:
# etlhist-collect --help against etlhist-collect(1) OPTIONS, etlhist-report --help against
# etlhist-report(1) OPTIONS, etlhist-report check --help against its MONITORING PLUGIN section.
# An unknown option or one without its value is refused alike by every program: one line
# naming the option as given and where help is, exit 2 (check: UNKNOWN, exit 3).
. "$(dirname "$0")/lib.sh"
DOCS=$(cd "$(dirname "$0")/../../docs" && pwd)

# section PAGE NAME: the roff lines of section NAME (up to the next .SH), escapes undone:
# \- as -, fonts and quotes dropped.
section() {
    awk -v name="$2" '/^\.SH / { on = ($0 == ".SH " name) ; next } on' "$DOCS/$1" |
        sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\(..//g' -e 's/"//g'
}

# options_in: the -x and --long options named in the text on stdin, one a line.
options_in() {
    grep -oE -- '(^|[^A-Za-z0-9-])--?[A-Za-z][A-Za-z0-9-]*' | sed 's/^[^-]*//' | sort -u
}

# tags PAGE NAME: each item tag (the line after .TP or .TQ) of the section, one a line:
# "OPTION... [VALUE]" as the page writes it.
tags() {
    section "$1" "$2" | awk 'tag { print; tag = 0; next } /^\.T[PQ]/ { tag = 1 }' |
        sed -e 's/^\.[BIR]*[ ]*//' -e 's/,/ /g'
}

# check_program NAME PAGE SECTION PROG...: both directions for one program.
check_program() {
    name=$1 page=$2 sect=$3
    shift 3
    "$@" --help >"$T/help" 2>&1 || fail "$name --help failed"
    section "$page" "$sect" >"$T/section"
    [ -s "$T/section" ] || fail "$page has no section $sect"
    n_help=0
    for opt in $(options_in <"$T/help"); do
        grep -qE -- "(^|[^A-Za-z0-9-])$opt([^A-Za-z0-9-]|\$)" "$T/section" ||
            fail "$name --help names $opt; $page ($sect) does not document it"
        n_help=$((n_help + 1))
    done
    [ "$n_help" -ge 5 ] || fail "$name --help: only $n_help options found"
    n_page=0
    tags "$page" "$sect" >"$T/tags"
    while read -r line; do
        # shellcheck disable=SC2086 # a tag is a list of words
        set -- $line
        opts="" value=""
        for w in "$@"; do
            case $w in
            -*) opts="$opts $w" ;;
            \[*) ;; # an optional value (--loop [S]) is given as --loop=S: none here
            *) value=$w ;;
            esac
        done
        for opt in $opts; do
            accepts "$name" "$opt" "$value" || fail "$page ($sect) documents $opt${value:+ $value}: $(cat "$T/out")"
            n_page=$((n_page + 1))
        done
    done <"$T/tags"
    [ "$n_page" -ge 5 ] || fail "$page ($sect): only $n_page options found"
    echo "$name: $n_help options in --help documented, $n_page documented options taken"
}

# accepts NAME OPTION VALUE: the program takes OPTION: one that needs a value (VALUE not
# empty) says so when given none; one without runs and exits 0 when --help follows it.
accepts() {
    prog=$B/$1 sub=""
    [ "$1" != check ] || prog=$B/etlhist-report sub=check
    then_help=--help
    [ -z "$3" ] || then_help=""
    set +e
    # shellcheck disable=SC2086 # sub and then_help are a word or nothing
    "$prog" $sub "$2" $then_help >"$T/out" 2>&1
    rc=$?
    set -e
    if [ -n "$3" ]; then
        grep -qE 'needs a value|requires an argument' "$T/out"
    else
        [ "$rc" -eq 0 ] && ! grep -qE 'unknown option|unrecognized option|invalid option' "$T/out"
    fi
}

check_program etlhist-collect etlhist-collect.1 OPTIONS "$B/etlhist-collect"
check_program etlhist-report etlhist-report.1 OPTIONS "$B/etlhist-report"
check_program check etlhist-report.1 "MONITORING PLUGIN" "$B/etlhist-report" check

# refused WANT_RC WANT_STDOUT WANT_STDERR PROG ARG...: what PROG says to ARG....
refused() {
    want_rc=$1 want_out=$2 want_err=$3
    shift 3
    set +e
    "$@" >"$T/out" 2>"$T/err"
    rc=$?
    set -e
    expect_eq "$* (exit)" "$rc" "$want_rc"
    expect_eq "$* (stdout)" "$(cat "$T/out")" "$want_out"
    expect_eq "$* (stderr)" "$(cat "$T/err")" "$want_err"
}
n_refused=0
for prog in etlhist-collect etlhist-report; do
    for case in "--bogus:unknown option --bogus" "--bogus=1:unknown option --bogus=1" \
        "-Z:unknown option -Z" "--db:--db needs a value" "--config:--config needs a value" \
        "-c:-c needs a value"; do
        refused 2 "" "$prog: ${case#*:} (see --help)" "$B/$prog" "${case%%:*}"
        n_refused=$((n_refused + 1))
    done
done
# a letter inside a group of them is named alone
refused 2 "" "etlhist-collect: unknown option -Z (see --help)" "$B/etlhist-collect" -vZq
for case in "--bogus:unknown option --bogus" "-x:unknown option -x" "--db:--db needs a value" \
    "--warning:--warning needs a value" "-w:-w needs a value"; do
    want="${case#*:} (see check --help)"
    refused 3 "ETLHIST UNKNOWN - $want" "etlhist-report: $want" "$B/etlhist-report" check \
        "${case%%:*}"
    n_refused=$((n_refused + 1))
done
echo "$n_refused usage errors: one line each"
echo "options documented ok"
