"""``python -m itsmcore``: the same as the ``itsmcore`` command."""

from __future__ import annotations

import sys

from itsmcore.cli import main

sys.exit(main())
