"""The itsmcore error tree.

Every error raised on purpose by itsmcore derives from :class:`ItsmError`, so an application
can catch the library's errors in one place. Each message says what was wrong and what would
have been accepted. Bad input raises before anything changes.

::

    ItsmError
    ├── ValidationError (ValueError)          a value passed in is not acceptable
    │   ├── NaiveDatetimeError                a datetime without a time zone
    │   └── UnknownValueError (LookupError)   a label, level, state or field name not known
    ├── ConfigurationError (ValueError)       a definition (matrix, workflow, calendar, rule
    │   │                                     set, CMDB schema) is inconsistent or unreadable
    │   └── DataError                         stored or loaded data does not match its data
    │                                         form; ``path`` says where (``$.events[3].at``)
    ├── InvalidTransitionError                a workflow transition that may not happen now
    │   ├── TransitionRefusedError            a guard refused it, with its reason
    │   └── MissingFieldsError                required fields were not supplied
    ├── NotFoundError (LookupError)           a record (ticket, CI, calendar) does not exist
    ├── DuplicateError                        a record with that identity exists already
    └── ConcurrencyError                      a write lost against a concurrent writer
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "ConcurrencyError",
    "ConfigurationError",
    "DataError",
    "DuplicateError",
    "InvalidTransitionError",
    "ItsmError",
    "MissingFieldsError",
    "NaiveDatetimeError",
    "NotFoundError",
    "TransitionRefusedError",
    "UnknownValueError",
    "ValidationError",
    "allowed_list",
]


def allowed_list(values: Iterable[object], *, limit: int = 20) -> str:
    """Render accepted values for an error message: ``'a', 'b', 'c'`` (or ``none``).

    >>> allowed_list(["new", "resolved"])
    "'new', 'resolved'"
    """
    items = [repr(v) for v in values]
    if not items:
        return "none"
    if len(items) > limit:
        return ", ".join(items[:limit]) + f", ... ({len(items) - limit} more)"
    return ", ".join(items)


class ItsmError(Exception):
    """The root of every error itsmcore raises on purpose."""


class ValidationError(ItsmError, ValueError):
    """A value passed in is not acceptable; the message says what is."""


class NaiveDatetimeError(ValidationError):
    """A datetime without a time zone was passed where an instant is needed."""


class UnknownValueError(ValidationError, LookupError):
    """A label, level, state, transition or field name that is not known."""


class ConfigurationError(ItsmError, ValueError):
    """A definition (matrix, workflow, calendar, rules, CMDB schema) is inconsistent."""


class DataError(ConfigurationError):
    """Data read back (a dict, JSON or TOML) does not match its data form.

    ``path`` locates the bad value from the top of the data, e.g. ``$.events[3].at``; the
    message starts with it and says what is allowed there.
    """

    def __init__(self, message: str, *, path: str = "$") -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.problem = message


class InvalidTransitionError(ItsmError):
    """A workflow transition that may not happen from the record's current state."""


class TransitionRefusedError(InvalidTransitionError):
    """A guard refused a transition; the message carries the guard's reason."""


class MissingFieldsError(InvalidTransitionError, ValidationError):
    """A transition or target state requires fields that were not supplied."""


class NotFoundError(ItsmError, LookupError):
    """A record (ticket, configuration item, calendar, ...) does not exist."""


class DuplicateError(ItsmError, ValueError):
    """A record with that identity exists already."""


class ConcurrencyError(ItsmError):
    """A write lost against a concurrent writer (optimistic version check failed)."""
