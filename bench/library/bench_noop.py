# -*- coding: utf-8 -*-
"""A bench-only module that takes any arguments and does nothing with them.

The floor task of every playbook workload: the measured task with its module swapped for this one, so that the
floor pays what Ansible itself pays for that task (loading its variables, templating its arguments, building and
starting a module, returning a result) and nothing else."""
from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, _load_params

DOCUMENTATION = r"""
module: bench_noop
short_description: Take any arguments and change nothing (bench only)
description:
  - The floor task of the benchmarks. Any arguments are accepted as they are and ignored.
options: {}
"""


def main() -> None:
    # Every argument given is declared as it is, so nothing is refused and nothing is converted.
    spec = {name: {"type": "raw"} for name in _load_params() if not name.startswith("_ansible_")}
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True)
    module.exit_json(changed=False)


if __name__ == "__main__":
    main()
