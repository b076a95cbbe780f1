#!/usr/bin/env bash
# Kept for the old entry point: the newest leg is ci/core_leg.sh newest (ci/README.md, "Legs").
#   ci/newest_leg.sh COLLECTION_COPY TARBALL
exec "$(dirname "$0")/core_leg.sh" newest "$@"
