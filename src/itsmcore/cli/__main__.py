"""``python -m itsmcore.cli``."""

from __future__ import annotations

import sys

from itsmcore.cli import main

sys.exit(main())
