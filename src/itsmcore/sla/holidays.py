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

    def dates_in(self, year: int) -> frozenset[date]:
        """The holiday dates of ``year``."""
        module = _holidays_module()
        table = module.country_holidays(self.country, subdiv=self.subdiv, years=year)
        return frozenset(d for d in table if d.year == year)
