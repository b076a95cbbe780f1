#!/usr/bin/env bash
# Runs main.yml against an emulator of its own (../setup_insight_emulator/README.md). The modules' targets share
# this file without the second inventory.
set -eu
exec "${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" ../setup_insight_emulator/with_emulator.py \
    ansible-playbook -i "${INVENTORY_PATH}" -i insight_jobs.yml main.yml "$@"
