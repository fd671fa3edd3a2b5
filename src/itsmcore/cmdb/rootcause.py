"""Root-cause candidates: upstream CIs whose single failure would explain many incidents."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import attrs

from itsmcore.cmdb._validate import ci_id_of, collection
from itsmcore.cmdb.upstream import upstream_distances
from itsmcore.errors import ValidationError

if TYPE_CHECKING:
    from itsmcore.cmdb.graph import CMDB

__all__ = ["RootCauseCandidate", "root_cause_candidates"]


@attrs.frozen(kw_only=True)
class RootCauseCandidate:
    """An upstream CI and the incidents its failure would explain.

    ``distance`` is the sum of hops from the candidate to each explained incident's CI; among
    candidates explaining the same number of incidents the nearest (most specific) ranks first.
    """

    ci_id: str
    explains: frozenset[str]
    distance: int

    @property
    def count(self) -> int:
        """How many incidents this candidate explains."""
        return len(self.explains)


def root_cause_candidates(
    cmdb: CMDB,
    incidents: Mapping[str, str] | Iterable[str],
    *,
    max_depth: int | None = None,
    limit: int = 10,
) -> tuple[RootCauseCandidate, ...]:
    """Rank upstream CIs by how many incidents they explain, then by distance, then id.

    ``incidents`` maps incident ids to the CI (or service) each is logged against; a plain
    collection of CI ids uses the CI ids as incident ids. A CI explains an incident when the
    incident's CI depends on it (or is it), i.e. when its failure would reach that CI.
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValidationError(f"limit must be an int >= 1, got {limit!r}")
    cmdb = cmdb.snapshot()  # every lookup below reads the same version
    if isinstance(incidents, Mapping):
        pairs = [(ci_id_of(k, "an incident id"), v) for k, v in incidents.items()]
    else:
        pairs = [(c, c) for c in collection(incidents, "incidents", "CI ids")]
    for incident, ci_id in pairs:
        cmdb._require(ci_id, f"the CI of incident {incident!r}")
    explains: dict[str, set[str]] = {}
    distance: dict[str, int] = {}
    upstream_of: dict[str, dict[str, int]] = {}
    for incident, ci_id in pairs:
        if ci_id not in upstream_of:
            upstream_of[ci_id] = upstream_distances(cmdb, ci_id, max_depth=max_depth, types=None)[0]
        for candidate, hops in upstream_of[ci_id].items():
            explains.setdefault(candidate, set()).add(incident)
            distance[candidate] = distance.get(candidate, 0) + hops
    ranked = sorted(explains, key=lambda c: (-len(explains[c]), distance[c], c))
    return tuple(
        RootCauseCandidate(ci_id=c, explains=frozenset(explains[c]), distance=distance[c])
        for c in ranked[:limit]
    )
