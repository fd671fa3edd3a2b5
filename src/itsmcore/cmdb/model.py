"""Configuration items: the nodes of the CMDB.

A :class:`CI` is a small frozen value with ``__slots__`` so that a million of them stay cheap;
free attributes are stored only when there are some. The CI class is a plain string, so any
class can be used; :class:`CIClass` names the usual ones.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

import attrs

from itsmcore.errors import ValidationError, allowed_list

__all__ = [
    "CI",
    "SERVICE_CLASSES",
    "CIClass",
    "ImpactState",
    "OperationalStatus",
]

AttributeValue = str | int | float | bool | None


class CIClass(enum.StrEnum):
    """Well-known CI classes; any other non-empty string is accepted as a class too."""

    BUSINESS_SERVICE = "business_service"
    TECHNICAL_SERVICE = "technical_service"
    APPLICATION = "application"
    SOFTWARE_INSTANCE = "software_instance"
    DATABASE = "database"
    SERVER = "server"
    VM = "vm"
    HYPERVISOR = "hypervisor"
    FARM = "farm"
    STORAGE = "storage"
    NETWORK_DEVICE = "network_device"
    CONTACT = "contact"


#: CI classes whose CIs are services (reported by health rollups and affected-service lists).
SERVICE_CLASSES: frozenset[str] = frozenset(
    {CIClass.BUSINESS_SERVICE.value, CIClass.TECHNICAL_SERVICE.value}
)


class OperationalStatus(enum.StrEnum):
    """A CI's operational status, after ServiceNow's ``operational_status`` choices."""

    OPERATIONAL = "operational"
    DEGRADED = "degraded"
    NON_OPERATIONAL = "non_operational"
    REPAIR_IN_PROGRESS = "repair_in_progress"
    DR_STANDBY = "dr_standby"
    RETIRED = "retired"


class ImpactState(enum.IntEnum):
    """How badly a CI is affected; ordered, so ``max`` gives the worse state."""

    UP = 0
    DEGRADED = 1
    DOWN = 2

    @property
    def label(self) -> str:
        """The lower-case name, as shown in reports and exports."""
        return self.name.lower()


def _non_empty(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            f"CI {attribute.name} must be a string that is not blank, got "
            f"{type(value).__name__} {value!r}"
        )


def _criticality(instance: object, attribute: attrs.Attribute[int | None], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValidationError(
            f"CI criticality must be an int from 1 (most critical) to 5 or None, got {value!r}"
        )


def _status(value: object) -> OperationalStatus:
    if isinstance(value, OperationalStatus):
        return value
    if not isinstance(value, str):
        raise ValidationError(
            f"a CI status is one of {allowed_list(s.value for s in OperationalStatus)}, got "
            f"{type(value).__name__} {value!r}"
        )
    try:
        return OperationalStatus(str(value))
    except ValueError:
        raise ValidationError(
            f"unknown operational status {value!r}; allowed: "
            f"{allowed_list(s.value for s in OperationalStatus)}"
        ) from None


def _attributes(value: object) -> Mapping[str, AttributeValue] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ValidationError(f"CI attributes must be a mapping, got {type(value).__name__}")
    if not value:
        return None
    for key, item in value.items():
        if (
            not isinstance(key, str)
            or not key.strip()
            or not isinstance(item, str | int | float | bool | type(None))
        ):
            raise ValidationError(
                f"CI attribute {key!r}={item!r} is not allowed; keys are strings (not blank) "
                "and values str, int, float, bool or None"
            )
    return MappingProxyType(dict(value))


def _name(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"CI name must be a string, got {value!r}")
    return value


def _optional_str(value: object) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            f"a CI support group or owner is a name (not blank) or None, got "
            f"{type(value).__name__} {value!r}"
        )
    return value


@attrs.frozen(kw_only=True, slots=True, eq=True)
class CI:
    """A configuration item: identity, class, name and what the desk needs to act on it.

    ``criticality`` runs from 1 (most critical) to 5, as ServiceNow's business criticality;
    ``attributes`` is ``None`` when empty, so plain CIs carry no dictionary.
    """

    id: str = attrs.field(validator=_non_empty)
    ci_class: str = attrs.field(validator=_non_empty)
    name: str = attrs.field(default="", converter=_name)
    criticality: int | None = attrs.field(default=None, validator=_criticality)
    status: OperationalStatus = attrs.field(
        default=OperationalStatus.OPERATIONAL, converter=_status
    )
    support_group: str | None = attrs.field(default=None, converter=_optional_str)
    owner: str | None = attrs.field(default=None, converter=_optional_str)
    attributes: Mapping[str, AttributeValue] | None = attrs.field(
        default=None, converter=_attributes, hash=False
    )

    @property
    def label(self) -> str:
        """The name, or the id when the CI has no name."""
        return self.name or self.id
