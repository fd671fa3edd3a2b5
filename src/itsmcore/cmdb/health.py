"""What an impact means for the desk: affected services, health rollup, blast radius, contacts.

:class:`AffectedService` is a plain frozen value (id, name, criticality, state, depth) that the
priority rules can take as impact facts without importing the CMDB.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

import attrs

from itsmcore.cmdb._validate import collection
from itsmcore.cmdb.model import ImpactState, OperationalStatus
from itsmcore.errors import ValidationError

if TYPE_CHECKING:
    from itsmcore.cmdb.graph import CMDB
    from itsmcore.cmdb.impact import ImpactResult

__all__ = [
    "DEGRADED_STATUSES",
    "DOWN_STATUSES",
    "AffectedService",
    "BlastRadius",
    "Contact",
    "ServiceHealth",
    "affected_services",
    "blast_radius",
    "contacts",
    "service_health",
]

#: Operational statuses that make a CI a failing source in the health rollup.
DOWN_STATUSES: frozenset[OperationalStatus] = frozenset(
    {OperationalStatus.NON_OPERATIONAL, OperationalStatus.REPAIR_IN_PROGRESS}
)
#: Operational statuses that make a CI a degraded source in the health rollup.
DEGRADED_STATUSES: frozenset[OperationalStatus] = frozenset({OperationalStatus.DEGRADED})


@attrs.frozen(kw_only=True)
class AffectedService:
    """A service in an impact result: what the priority rules need to know about it."""

    ci_id: str
    name: str
    criticality: int | None
    state: ImpactState
    depth: int


@attrs.frozen(kw_only=True)
class Contact:
    """A support group or owner to notify, with the affected CIs they look after."""

    name: str
    role: Literal["support_group", "owner"]
    cis: frozenset[str]


@attrs.frozen(kw_only=True)
class ServiceHealth:
    """The state of every service: ``UP``, ``DEGRADED`` or ``DOWN``."""

    states: Mapping[str, ImpactState]

    def _with(self, state: ImpactState) -> frozenset[str]:
        return frozenset(c for c, s in self.states.items() if s is state)

    @property
    def down(self) -> frozenset[str]:
        """Services that are down."""
        return self._with(ImpactState.DOWN)

    @property
    def degraded(self) -> frozenset[str]:
        """Services that run degraded."""
        return self._with(ImpactState.DEGRADED)

    @property
    def up(self) -> frozenset[str]:
        """Services not affected at all."""
        return self._with(ImpactState.UP)


@attrs.frozen(kw_only=True)
class BlastRadius:
    """Everything a planned change on ``changed`` could take down or degrade."""

    changed: frozenset[str]
    down: frozenset[str]
    degraded: frozenset[str]
    services: tuple[AffectedService, ...]
    contacts: tuple[Contact, ...]

    @property
    def cis(self) -> frozenset[str]:
        """Every CI in the blast radius (the changed CIs included)."""
        return self.down | self.degraded


def _version_of(cmdb: CMDB, result: ImpactResult) -> CMDB:
    """The CMDB as it was when ``result`` was computed (its CIs may have changed since)."""
    from itsmcore.cmdb.graph import CMDB
    from itsmcore.cmdb.impact import ImpactResult

    if not isinstance(cmdb, CMDB):
        raise ValidationError(f"expected a CMDB, got {type(cmdb).__name__}")
    if not isinstance(result, ImpactResult):
        raise ValidationError(f"expected an ImpactResult, got {type(result).__name__}")
    return CMDB._pinned(result._state)


def _criticality_key(service: AffectedService) -> tuple[int, int, str]:
    crit = 99 if service.criticality is None else service.criticality
    return (crit, -int(service.state), service.ci_id)


def affected_services(cmdb: CMDB, result: ImpactResult) -> tuple[AffectedService, ...]:
    """The services in ``result``, most critical first, then down before degraded, then id."""
    cmdb = _version_of(cmdb, result)
    classes = cmdb.service_classes
    found = []
    for item in result.items():
        ci = cmdb.ci(item.ci_id)
        if ci.ci_class in classes:
            found.append(
                AffectedService(
                    ci_id=ci.id,
                    name=ci.label,
                    criticality=ci.criticality,
                    state=item.state,
                    depth=item.depth,
                )
            )
    return tuple(sorted(found, key=_criticality_key))


def contacts(cmdb: CMDB, result: ImpactResult) -> tuple[Contact, ...]:
    """Support groups, then owners, of the CIs in ``result``, each with the CIs concerned."""
    cmdb = _version_of(cmdb, result)
    groups: dict[str, set[str]] = {}
    owners: dict[str, set[str]] = {}
    for ci_id in result:
        ci = cmdb.ci(ci_id)
        if ci.support_group:
            groups.setdefault(ci.support_group, set()).add(ci_id)
        if ci.owner:
            owners.setdefault(ci.owner, set()).add(ci_id)
    return tuple(
        [Contact(name=g, role="support_group", cis=frozenset(groups[g])) for g in sorted(groups)]
        + [Contact(name=o, role="owner", cis=frozenset(owners[o])) for o in sorted(owners)]
    )


def service_health(cmdb: CMDB) -> ServiceHealth:
    """Roll CI operational statuses up to services through the impact rules.

    CIs in :data:`DOWN_STATUSES` fail, CIs in :data:`DEGRADED_STATUSES` run degraded; every
    service then gets the state the impact analysis gives it (``UP`` when unaffected).
    """
    cmdb = cmdb.snapshot()  # the statuses and the analysis read the same version
    down = [ci.id for ci in cmdb.cis() if ci.status in DOWN_STATUSES]
    degraded = [ci.id for ci in cmdb.cis() if ci.status in DEGRADED_STATUSES]
    result = cmdb.impact(down, degraded=degraded)
    return ServiceHealth(
        states=MappingProxyType({s.id: result.state(s.id) for s in cmdb.services()})
    )


def blast_radius(cmdb: CMDB, cis: Iterable[str], *, max_depth: int | None = None) -> BlastRadius:
    """Treat ``cis`` as down (the worst case of a change) and report what that reaches."""
    cmdb = cmdb.snapshot()
    changed = collection(cis, "cis", "CI ids")
    result = cmdb.impact(changed, max_depth=max_depth)
    return BlastRadius(
        changed=frozenset(changed),
        down=frozenset(result.down),
        degraded=frozenset(result.degraded),
        services=affected_services(cmdb, result),
        contacts=contacts(cmdb, result),
    )
