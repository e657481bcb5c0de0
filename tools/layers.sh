#!/bin/sh
# layers.sh [ROOT]: the include graph of common/, collector/ and report/, read from the sources
# (#include "..." lines), checked against the layers of docs/design.md; one line per problem,
# exit 1 when there is any.
#
# A module is a .c file with its .h (report/engine/expect). Each folder is a layer, ranked
#   common < collector/http < collector/store < collector/pass < collector/follow
#   < collector/ itself (the command line: app.c, main.c)
#   common < report/engine < report/reports < report/writers (with html/) < report/mail, report/check
#   < report/ itself (the command line: main.c, cli.c, run.c, plugin_main.c)
# A module may include one of its own layer or of a lower one, never a higher one, never one of
# another layer of its rank (mail and check), and never across programs (collector and report).
# writers/ may not include reports/ either: writers get rows and columns, not definitions.
# No modules may include each other, however indirectly (a cycle).
set -eu
root=${1:-.}
cd "$root"
sources=$(find common collector report -name '*.[ch]' | LC_ALL=C sort)
# shellcheck disable=SC2086 # one word per path: the sources have no spaces in their names
awk '
function dir_of(f) { sub(/\/[^\/]*$/, "", f); return f }
function base_of(f) { sub(/^.*\//, "", f); return f }
function mod_of(f) { sub(/\.[ch]$/, "", f); return f }
function layer_of(d) {
    if (d == "common" || d == "collector") return d
    if (d ~ /^collector\/(http|store|pass|follow)$/) return d
    if (d == "report") return "top"
    if (d ~ /^report\/writers(\/|$)/) return "writers"
    if (d ~ /^report\/(engine|reports|mail|check)$/) return substr(d, 8)
    return ""
}
function program_of(l) { return l == "common" ? "both" : l ~ /^collector/ ? "collector" : "report" }
# Resolves name as the compiler would: the includer'"'"'s folder first, then its program'"'"'s folders.
function resolve(from, name,    d, p, i, n, hit, prog) {
    d = dir_of(from)
    if ((d "/" name) in files) return d "/" name
    prog = program_of(layer_of(d))
    n = split(by_base[name], p, " ")
    hit = ""
    for (i = 1; i <= n; i++) {
        if (p[i] == "") continue
        if (program_of(layer_of(dir_of(p[i]))) != "both" && program_of(layer_of(dir_of(p[i]))) != prog)
            continue
        if (hit != "") { problem(from ": \"" name "\" is " hit " or " p[i]); return hit }
        hit = p[i]
    }
    if (hit == "" && n > 0) hit = p[1] # only another program has it: the rules below say so
    return hit
}
function problem(msg) { print "layers: " msg; bad = 1 }
function allowed(la, lb) {
    if (la == lb) return 1
    if (program_of(la) != program_of(lb) && program_of(lb) != "both") return 0
    if (la == "writers" && lb == "reports") return 0
    return rank[lb] < rank[la]
}
# Depth-first search; a grey module reached again closes a cycle, printed from where it began.
function visit(m, depth,    i, n, e, j, path) {
    colour[m] = 1
    stack[depth] = m
    n = split(edges[m], e, " ")
    for (i = 1; i <= n; i++) {
        if (e[i] == "") continue
        if (colour[e[i]] == 1) {
            path = ""
            for (j = 1; j <= depth; j++)
                if (path != "" || stack[j] == e[i]) path = path stack[j] " -> "
            problem("include cycle: " path e[i])
        } else if (!colour[e[i]])
            visit(e[i], depth + 1)
    }
    colour[m] = 2
}
FNR == 1 { files[FILENAME] = 1; by_base[base_of(FILENAME)] = by_base[base_of(FILENAME)] " " FILENAME }
/^[ \t]*#[ \t]*include[ \t]*"/ {
    s = $0
    sub(/^[^"]*"/, "", s)
    sub(/".*$/, "", s)
    n_inc++
    inc_from[n_inc] = FILENAME
    inc_name[n_inc] = s
}
END {
    rank["common"] = 0; rank["collector/http"] = 1; rank["collector/store"] = 2
    rank["collector/pass"] = 3; rank["collector/follow"] = 4; rank["collector"] = 5
    rank["engine"] = 1; rank["reports"] = 2
    rank["writers"] = 3; rank["mail"] = 4; rank["check"] = 4; rank["top"] = 5
    for (f in files)
        if (layer_of(dir_of(f)) == "") problem(f ": its folder is in no layer (tools/layers.sh)")
    for (i = 1; i <= n_inc; i++) {
        to = resolve(inc_from[i], inc_name[i])
        if (to == "") continue # a system or generated header (sqlfiles.h)
        a = mod_of(inc_from[i]); b = mod_of(to)
        if (a == b) continue
        if (!((a, b) in seen)) { seen[a, b] = 1; edges[a] = edges[a] " " b }
        la = layer_of(dir_of(a)); lb = layer_of(dir_of(b))
        if (!allowed(la, lb))
            problem(inc_from[i] " includes " to ": " la " may not include " lb)
    }
    nm = 0
    for (m in edges) mods[++nm] = m
    for (i = 2; i <= nm; i++) # insertion sort: the same order, so the same first cycle, every run
        for (j = i; j > 1 && mods[j - 1] > mods[j]; j--) { t = mods[j]; mods[j] = mods[j - 1]; mods[j - 1] = t }
    for (i = 1; i <= nm; i++)
        if (!colour[mods[i]]) visit(mods[i], 1)
    exit bad
}' $sources
