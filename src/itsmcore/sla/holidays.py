"""Public holidays of a country or subdivision, from the optional ``holidays`` package.

Install the extra with ``pip install 'itsmcore[holidays]'``; the package is imported only when
a :class:`CountryHolidays` is created.
"""

from __future__ import annotations

import importlib
from datetime import date
from types import ModuleType

import attrs

from itsmcore.errors import ConfigurationError, allowed_list

__all__ = ["CountryHolidays"]


def _holidays_module() -> ModuleType:
    try:
        return importlib.import_module("holidays")
    except ImportError:
        raise ConfigurationError(
            "country holidays need the optional 'holidays' package; "
            "install it with: pip install 'itsmcore[holidays]'"
        ) from None


@attrs.frozen
class CountryHolidays:
    """All public holidays of ``country`` (ISO 3166 code, e.g. ``"DE"``) and ``subdiv``."""

    country: str
    subdiv: str | None = None

    def __attrs_post_init__(self) -> None:
        for label, value in (("country", self.country), ("subdivision", self.subdiv)):
            if value is None and label == "subdivision":
                continue
            if not isinstance(value, str) or not value.strip():
                raise ConfigurationError(
                    f"{label} {value!r} is not a code; allowed: text like 'DE' or 'BY'"
                )
        module = _holidays_module()
        supported: dict[str, list[str]] = module.list_supported_countries()
        if self.country not in supported:
            raise ConfigurationError(
                f"country {self.country!r} is not known to the holidays package; "
                f"allowed: {allowed_list(sorted(supported))}"
            )
        subdivs = supported[self.country]
        if self.subdiv is not None and self.subdiv not in subdivs:
            raise ConfigurationError(
                f"subdivision {self.subdiv!r} of {self.country} is not known; "
                f"allowed: {allowed_list(subdivs)}"
            )

    def years(self) -> tuple[int, int]:
        """The first and last year the holidays package defines holidays for (years 1 to
        9999 when it does not say)."""
        module = _holidays_module()
        table = module.country_holidays(self.country, subdiv=self.subdiv)
        first, last = getattr(table, "start_year", 1), getattr(table, "end_year", 9999)
        if isinstance(first, int) and isinstance(last, int):
            return first, last
        return 1, 9999  # pragma: no cover - holidays always gives ints

    def dates_in(self, year: int) -> frozenset[date]:
        """The holiday dates of ``year``."""
        module = _holidays_module()
        table = module.country_holidays(self.country, subdiv=self.subdiv, years=year)
        return frozenset(d for d in table if d.year == year)
