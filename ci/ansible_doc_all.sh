#!/usr/bin/env bash
# ansible-doc for every documentable plugin in a collection tarball, using the collection installed on
# ANSIBLE_COLLECTIONS_PATH. Fails if any ansible-doc call fails or prints a warning.
#   ci/ansible_doc_all.sh TARBALL
set -euo pipefail
tarball=$1
export ANSIBLE_DEPRECATION_WARNINGS=1

# plugins/<folder>/<name>.py -> "<type> <name>"; module_utils, doc_fragments and plugin_utils are not plugins.
mapfile -t plugins < <(tar -tzf "$tarball" | sed -n -E 's#^(\./)?plugins/([a-z_]+)/([a-zA-Z0-9_]+)\.py$#\2 \3#p' \
    | grep -v -E '^(module_utils|doc_fragments|plugin_utils|action|filter|test) |__init__$' \
    | sed -E 's#^modules #module #' | sort -u)
if [[ ${#plugins[@]} -eq 0 ]]; then
    echo "no documentable plugins in $tarball yet"
    exit 0
fi

failed=0
for entry in "${plugins[@]}"; do
    read -r type name <<<"$entry"
    fqcn=xpress.insight.$name
    err=$(mktemp)
    if ! out=$(ansible-doc -t "$type" "$fqcn" 2>"$err"); then
        echo "FAILED: ansible-doc -t $type $fqcn"
        cat "$err"
        failed=1
    elif [[ -s $err ]] || grep -q -E '\[(DEPRECATION )?WARNING\]' <<<"$out"; then
        echo "WARNING from ansible-doc -t $type $fqcn:"
        cat "$err"
        grep -E '\[(DEPRECATION )?WARNING\]' <<<"$out" || true
        failed=1
    elif ! grep -q "$fqcn" <<<"$out"; then
        echo "FAILED: ansible-doc -t $type $fqcn printed no documentation"
        failed=1
    else
        echo "ok: ansible-doc -t $type $fqcn ($(wc -l <<<"$out") lines)"
    fi
    rm -f "$err"
done
exit $failed
