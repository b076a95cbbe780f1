"""Fixtures shared by every functional suite: the emulator process, the Ansible runners and the server variants."""

pytest_plugins = ["emulator_fixtures", "ansible_fixtures", "variant_fixtures", "hostile_server", "docs_summary",
                  "selection"]
