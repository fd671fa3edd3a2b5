"""Country holidays through the optional `holidays` package."""

from __future__ import annotations

import builtins
from datetime import date
from typing import Any

import pytest

from itsmcore.errors import ConfigurationError
from itsmcore.sla import BusinessCalendar, CountryHolidays


def test_country_holidays_close_the_calendar() -> None:
    germany = CountryHolidays("DE", "BY")
    assert date(2025, 10, 3) in germany.dates_in(2025)
    calendar = BusinessCalendar(zone="Europe/Berlin", schedule="24x7", holidays=[germany])
    assert not calendar.is_working_day(date(2025, 10, 3))
    assert not calendar.is_working_day(date(2025, 1, 6))  # Epiphany in Bavaria
    assert calendar.is_working_day(date(2025, 10, 2))


def test_unknown_country_or_subdivision() -> None:
    with pytest.raises(ConfigurationError, match="'XX' is not known"):
        CountryHolidays("XX")
    with pytest.raises(ConfigurationError, match="subdivision 'ZZ'"):
        CountryHolidays("DE", "ZZ")


def test_missing_extra_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_holidays(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "holidays":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(__import__("sys").modules, "holidays", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_holidays)
    monkeypatch.setattr("importlib.import_module", no_holidays)
    with pytest.raises(ConfigurationError, match=r"pip install 'itsmcore\[holidays\]'"):
        CountryHolidays("DE")
