#!/bin/sh
# The C sources against .clang-format: `format.sh check` lists the files that drift and fails;
# `format.sh fix` rewrites them. Only files git tracks are read, so build output is never touched.
set -eu
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null 2>&1 || {
    echo "format: clang-format is missing (sh tools/deps.sh format installs it)" >&2
    exit 2
}
mode=${1:-check}
drift=0
for f in $(git ls-files '*.c' '*.h'); do
    if ! clang-format --style=file "$f" | cmp -s - "$f"; then
        case $mode in
        fix) clang-format --style=file -i "$f" && echo "format: rewrote $f" ;;
        check) echo "format: $f differs from .clang-format (make format rewrites it)" >&2 ;;
        *) echo "usage: format.sh check|fix" >&2 && exit 2 ;;
        esac
        drift=$((drift + 1))
    fi
done
[ "$mode" = fix ] || [ "$drift" -eq 0 ]
