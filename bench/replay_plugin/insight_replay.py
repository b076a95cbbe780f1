# -*- coding: utf-8 -*-
"""A bench-only inventory plugin: replays a saved inventory (groups, hosts, host variables) from a local JSON file.

It is the floor of workload 4: the same hosts, groups and variables as the insight_jobs plugin gives, with no HTTP
and no plugin logic, so `ansible-inventory --list` on it measures what ansible-core itself costs for that inventory.
The file is written by bench/inventory_floor.py from the insight_jobs plugin's own --list output.
"""
from __future__ import annotations

import json

from ansible.plugins.inventory import BaseInventoryPlugin

DOCUMENTATION = r"""
name: insight_replay
short_description: Replay a saved inventory (bench only)
description:
  - Adds the groups, hosts and host variables of a file written by bench/inventory_floor.py.
options:
  plugin:
    description: The name of this plugin.
    required: true
    choices: [insight_replay]
  source:
    description: The JSON file to replay.
    required: true
    type: path
"""


class InventoryModule(BaseInventoryPlugin):
    """Groups in their saved order, then each host with its groups and its variables."""

    NAME = "insight_replay"

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith("insight_replay.yml")

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        with open(self.get_option("source"), "rb") as saved:
            data = json.load(saved)
        for group in data["groups"]:
            inventory.add_group(group)
        for name, groups, variables in data["hosts"]:
            inventory.add_host(name, group=groups[0])
            for group in groups[1:]:
                inventory.add_child(group, name)
            # Straight onto the host, as insight_jobs does: plain JSON values, never trusted for templating.
            inventory.get_host(name).vars.update(variables)
