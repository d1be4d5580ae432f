#!/usr/bin/env bash
# The git floor that gitfleet's ticks are compared with: what plain git needs to get the same
# commits and read the same changed files, so the ratio shows gitfleet's own overhead.
#
#   floor.sh range DST SRC OLD   fetch SRC's main into the bare repo DST (created when
#                                missing), list the first-parent commits OLD..main (OLD '-'
#                                for the whole history), diff each against its parent and read
#                                every changed blob with one `git cat-file --batch`
#   floor.sh fetch DST SRC       only the fetch; with nothing new it is a no-op fetch
set -euo pipefail

mode=$1 dst=$2 src=$3
[ -d "$dst" ] || git init -q --bare "$dst"
git --git-dir "$dst" fetch -q --no-tags "$src" '+refs/heads/main:refs/heads/main'
case $mode in
    fetch) exit 0 ;;
    range) ;;
    *) echo "floor.sh: unknown mode '$mode'" >&2; exit 2 ;;
esac

old=$4
if [ "$old" = - ]; then range=refs/heads/main; else range="$old..refs/heads/main"; fi
# diff-tree prints ':oldmode newmode oldblob newblob status<TAB>path'; a deleted file has an
# all-zero new blob and nothing to read.
git --git-dir "$dst" rev-list --first-parent "$range" \
    | git --git-dir "$dst" diff-tree --stdin -r --root --no-commit-id \
    | awk '$4 !~ /^0+$/ { print $4 }' \
    | sort -u \
    | git --git-dir "$dst" cat-file --batch >/dev/null
