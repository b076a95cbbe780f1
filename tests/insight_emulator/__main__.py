"""Entry point: ``python -m insight_emulator``."""
from __future__ import annotations

import sys

from insight_emulator.server import main

sys.exit(main())
