"""Fixtures shared by every functional suite: the emulator process and the Ansible runners."""

pytest_plugins = ["emulator_fixtures", "ansible_fixtures", "hostile_server"]
