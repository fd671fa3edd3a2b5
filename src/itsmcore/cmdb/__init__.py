"""The CMDB: configuration items, typed relationships, redundancy, and impact analysis.

Build a :class:`CMDB` from :class:`CI` records and ``(parent, type, child)`` relationships,
declare :class:`RedundancyGroup` s, then ask :meth:`CMDB.impact` what a failure takes down or
degrades, :meth:`CMDB.depends_on` what a service needs, and which upstream CI best explains a
set of incidents. Reads are safe while another thread writes: each sees one version. The data
form (``itsmcore.data.to_data(cmdb)``) stores a whole CMDB. See ``docs/cmdb.md``.
"""

from __future__ import annotations

from itsmcore.cmdb.graph import CMDB, RelationshipSpec
from itsmcore.cmdb.health import (
    DEGRADED_STATUSES,
    DOWN_STATUSES,
    AffectedService,
    BlastRadius,
    Contact,
    ServiceHealth,
    affected_services,
    blast_radius,
    contacts,
    service_health,
)
from itsmcore.cmdb.impact import CISet, Engine, ImpactedCI, ImpactResult
from itsmcore.cmdb.model import CI, SERVICE_CLASSES, CIClass, ImpactState, OperationalStatus
from itsmcore.cmdb.redundancy import MinUp, Percent, RedundancyGroup, parse_min_up
from itsmcore.cmdb.relationships import (
    DEFAULT_RELATIONSHIP_TYPES,
    Propagation,
    Relationship,
    RelationshipType,
    RelationshipTypes,
)
from itsmcore.cmdb.render import View, to_dot, to_mermaid
from itsmcore.cmdb.rootcause import RootCauseCandidate, root_cause_candidates
from itsmcore.cmdb.upstream import DependencyTree, depends_on

__all__ = [
    "CI",
    "CMDB",
    "DEFAULT_RELATIONSHIP_TYPES",
    "DEGRADED_STATUSES",
    "DOWN_STATUSES",
    "SERVICE_CLASSES",
    "AffectedService",
    "BlastRadius",
    "CIClass",
    "CISet",
    "Contact",
    "DependencyTree",
    "Engine",
    "ImpactResult",
    "ImpactState",
    "ImpactedCI",
    "MinUp",
    "OperationalStatus",
    "Percent",
    "Propagation",
    "RedundancyGroup",
    "Relationship",
    "RelationshipSpec",
    "RelationshipType",
    "RelationshipTypes",
    "RootCauseCandidate",
    "ServiceHealth",
    "View",
    "affected_services",
    "blast_radius",
    "contacts",
    "depends_on",
    "parse_min_up",
    "root_cause_candidates",
    "service_health",
    "to_dot",
    "to_mermaid",
]
