#!/usr/bin/env bash
# Build the collection's documentation site offline with antsibull-docs and Sphinx.
#   ANSIBLE_COLLECTIONS_PATH=<where xpress.insight is installed> ci/docs_build.sh DEST
# DEST is recreated; the HTML ends up in DEST/build/html. Sphinx runs with -W, so any warning fails.
set -euo pipefail
dest=$1
here=$(cd "$(dirname "$0")" && pwd)

rm -rf "$dest"
mkdir -p "$dest"
# antsibull-docs refuses a destination that others can write to.
chmod 700 "$dest"
antsibull-docs sphinx-init --use-current --fail-on-error --dest-dir "$dest" xpress.insight
cd "$dest"
mkdir -p rst
chmod og-w rst
antsibull-docs --config-file antsibull-docs.cfg collection --cleanup everything --use-current --fail-on-error \
    --dest-dir rst xpress.insight
# intersphinx would download the inventories of docs.python.org and docs.ansible.com, which this network cannot
# reach, and -W turns the failed download into an error. Instead it reads a local inventory that holds only the
# Ansible labels the pages point at (ci/docs_offline_inventory.py); any other broken reference still fails.
python "$here/docs_offline_inventory.py" rst "$PWD/ansible_devel_offline.inv"
cat >>conf.py <<CONF

# Offline build (ci/docs_build.sh): no downloads, a local inventory for the Ansible docs labels.
intersphinx_mapping = {'ansible_devel': ('https://docs.ansible.com/projects/ansible/devel/', '$PWD/ansible_devel_offline.inv')}
CONF
sphinx-build -M html rst build -c . -W --keep-going -q
test -s build/html/index.html
echo "docs site: $dest/build/html/index.html ($(find build/html -name '*.html' | wc -l) pages)"
