# Copyright: xpress.insight maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write a local intersphinx inventory for the Ansible documentation labels the site refers to.

    docs_offline_inventory.py RST_DIR OUTPUT.inv

The generated plugin pages link to pages of the Ansible documentation (configuration settings and
their ANSIBLE_* environment variables, common return values, other collections' plugins) through intersphinx, whose inventory cannot be
downloaded on this network. This writes an inventory that holds only those external labels, so Sphinx
can run with -W offline. References into this collection, and labels that no Ansible page is known to
have, are left out on purpose: a broken reference in our own docs still fails the build.
"""
from __future__ import annotations

import os
import re
import sys
import zlib

# Labels of the Ansible documentation that antsibull-docs' page templates use, with the page holding each.
CORE_LABELS = {
    'action_plugins': 'plugins/action.html',
    'ansible_configuration_settings': 'reference_appendices/config.html',
    'callback_plugins': 'plugins/callback.html',
    'collections_keyword': 'collections_guide/collections_using_playbooks.html',
    'common_return_values': 'reference_appendices/common_return_values.html',
    'list_of_callback_plugins': 'collections/index_callback.html',
    'list_of_collections': 'collections/index.html',
}
OWN_PREFIX = 'ansible_collections.xpress.insight.'
REF = re.compile(r':ref:`(?:[^`<]*<([^`>]+)>|([^`<]+))`')
TARGET = re.compile(r'^\.\. _([^:]+):\s*$', re.MULTILINE)
ENVVAR_REF = re.compile(r':envvar:`([^`]+)`')
ENVVAR_TARGET = re.compile(r'^\.\. envvar:: (\S+)\s*$', re.MULTILINE)


def scan(rst_dir: str) -> dict[str, set[str]]:
    """Labels and environment variables that the pages use and that they define."""
    found: dict[str, set[str]] = {'label': set(), 'label_defined': set(), 'envvar': set(), 'envvar_defined': set()}
    for folder, _dirs, files in os.walk(rst_dir):
        for name in files:
            if name.endswith('.rst'):
                with open(os.path.join(folder, name), encoding='utf-8') as handle:
                    text = handle.read()
                found['label'].update((a or b).strip() for a, b in REF.findall(text))
                found['label_defined'].update(label.strip() for label in TARGET.findall(text))
                # antsibull-docs escapes underscores in roles' content.
                found['envvar'].update(var.replace('\\', '').strip() for var in ENVVAR_REF.findall(text))
                found['envvar_defined'].update(ENVVAR_TARGET.findall(text))
    return found


def external_uri(label: str) -> str | None:
    if label in CORE_LABELS:
        return CORE_LABELS[label]
    parts = label.split('.')
    # ansible_collections.<namespace>.<collection>.<plugin>_<type> and anchors below it
    if label.startswith('ansible_collections.') and not label.startswith(OWN_PREFIX) and len(parts) >= 4:
        return 'collections/%s/%s/%s.html' % (parts[1], parts[2], parts[3].split('__')[0])
    return None


def main(rst_dir: str, output: str) -> int:
    found = scan(rst_dir)
    lines = []
    for label in sorted(found['label'] - found['label_defined']):
        uri = external_uri(label)
        if uri:
            lines.append('%s std:label -1 %s -\n' % (label, uri))
    # Ansible's own configuration variables (cache and inventory plugin options) are documented by ansible-core.
    for var in sorted(found['envvar'] - found['envvar_defined']):
        if var.startswith('ANSIBLE_'):
            lines.append('%s std:envvar 1 reference_appendices/config.html#envvar-$ -\n' % var)
    header = ('# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n'
              '# The remainder of this file is compressed using zlib.\n')
    with open(output, 'wb') as handle:
        handle.write(header.encode('utf-8'))
        handle.write(zlib.compress(''.join(lines).encode('utf-8')))
    print('offline intersphinx inventory: %d external labels and environment variables' % len(lines))
    return 0


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
