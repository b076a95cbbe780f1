#!/usr/bin/env bash
# Runs main.yml against an emulator of its own (../setup_insight_emulator/README.md). Every target's runme.sh is
# this same file: a new target copies it unchanged.
set -eu
exec "${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" ../setup_insight_emulator/with_emulator.py \
    ansible-playbook -i "${INVENTORY_PATH}" main.yml "$@"
