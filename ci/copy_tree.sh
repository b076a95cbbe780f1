# shellcheck shell=bash
# Sourced by ci/gates.sh and ci/leg_venvs.sh: one definition of the tree the gates see.

# copy_tree DEST: the git-tracked tree plus untracked files that are not ignored (what ansible-test would see in a
# checkout) into DEST, made a repository of its own so that ansible-test and ansible-lint list files with git inside
# the copy instead of walking up to the outer checkout (where .build/ is ignored and the copy would look empty).
copy_tree() {
    local dest=$1
    mkdir -p "$dest"
    git ls-files -z --cached --others --exclude-standard \
        | while IFS= read -r -d '' path; do [[ -e $path || -L $path ]] && printf '%s\0' "$path"; done \
        | tar -c --null -T - -f - | tar -x -C "$dest" -f -
    git -C "$dest" init -q
}
