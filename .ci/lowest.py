"""Print pip constraints pinning every declared dependency to its lowest allowed version.

CI installs the project against these (runtime dependencies and the testing, sql, holidays
and fast extras) and runs the suite again, so a ``>=`` bound in pyproject.toml is a tested
promise, not a guess.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

EXTRAS = ("testing", "sql", "holidays", "fast")

project = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))["project"]
specs = list(project["dependencies"])
for extra in EXTRAS:
    specs += project["optional-dependencies"][extra]
pins: dict[str, str] = {}
for spec in specs:
    match = re.fullmatch(r"([A-Za-z0-9_.-]+)(\[[^\]]*\])?>=([0-9][0-9A-Za-z.]*)", spec.strip())
    if match is None:
        raise SystemExit(f"cannot pin {spec!r}: declare dependencies as name>=version")
    pins[match.group(1).lower()] = match.group(3)
for name, version in sorted(pins.items()):
    print(f"{name}=={version}")
