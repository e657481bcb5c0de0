# Headless Chromium for the UI tests: source it after lib.sh. HOME and profiles live in $T.
mkdir -p "$T/home"

# browser NAME ARGS...: one bounded, private, offline Chromium run; stderr in $T/NAME.err.
browser() {
    name=$1
    shift
    HOME="$T/home" timeout -k 5 90 chromium --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-component-update --disable-sync \
        --disable-default-apps --disable-extensions --no-proxy-server --mute-audio \
        --user-data-dir="$T/profile-$name" --enable-logging=stderr --v=0 "$@" 2>"$T/$name.err" ||
        fail "chromium ($name) failed or timed out: $(tail -n 3 "$T/$name.err")"
}
# console NAME: what the page wrote to its console in that run.
console() { grep ':CONSOLE' "$T/$1.err" || true; }
# attr FILE NAME: the first data-NAME attribute value in a dumped DOM.
attr() { grep -o "data-$2=\"[^\"]*\"" "$1" | head -n 1 | cut -d'"' -f2; }
# png_size FILE: WIDTHxHEIGHT from the PNG header.
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{ print $3 * 256 + $4 "x" $7 * 256 + $8 }'; }
