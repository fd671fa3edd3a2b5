"""Root-cause candidates against a brute-force count over every CI."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsmcore.cmdb import CI, CMDB
from itsmcore.errors import ValidationError
from itsmcore.testing.strategies import cmdbs


@given(cmdb=cmdbs(), data=st.data())
def test_ranking_matches_brute_force(cmdb: CMDB, data: st.DataObject) -> None:
    ids = sorted(c.id for c in cmdb.cis())
    incident_cis = data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=4))
    incidents = {f"INC{i}": ci for i, ci in enumerate(incident_cis)}
    ranked = cmdb.root_cause_candidates(incidents, limit=len(ids))
    # brute force: fail each CI alone and see which incidents' CIs it reaches
    expected = []
    for candidate in ids:
        result = cmdb.impact([candidate])
        explained = {inc for inc, ci in incidents.items() if ci in result}
        if explained:
            hops = sum(result.depth(incidents[inc]) for inc in explained)
            expected.append((-len(explained), hops, candidate, frozenset(explained)))
    expected.sort(key=lambda e: e[:3])
    assert [(c.ci_id, c.explains, c.distance) for c in ranked] == [
        (e[2], e[3], e[1]) for e in expected
    ]


def test_common_upstream_ranks_first() -> None:
    cmdb = CMDB()
    cmdb.add_cis(
        CI(id=x, ci_class="application") for x in ["web", "shop", "crm", "db", "san", "dns"]
    )
    cmdb.add_relationships(
        [
            ("web", "Depends on", "db"),
            ("shop", "Depends on", "db"),
            ("db", "Depends on", "san"),
            ("crm", "Depends on", "dns"),
        ]
    )
    best, second, *_ = cmdb.root_cause_candidates({"I1": "web", "I2": "shop", "I3": "crm"})
    assert (best.ci_id, best.explains, best.count) == ("db", frozenset({"I1", "I2"}), 2)
    assert second.ci_id == "san"
    with pytest.raises(ValidationError):
        cmdb.root_cause_candidates(["web"], limit=0)
