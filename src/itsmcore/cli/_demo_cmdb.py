"""The CMDB section of ``itsmcore demo``: an outage walked through on a small estate."""

from __future__ import annotations

from itsmcore.cmdb import CI, CMDB, ImpactResult

__all__ = ["demo_cmdb", "sample_cmdb"]


def sample_cmdb() -> CMDB:
    """A web shop and an intranet on a two-host farm, a SAN and a core switch."""
    cmdb = CMDB()
    cmdb.add_cis(
        [
            CI(id="shop", ci_class="business_service", name="Online shop", criticality=1,
               owner="Dana (e-commerce)"),
            CI(id="intranet", ci_class="business_service", name="Intranet", criticality=3),
            CI(id="shop-web", ci_class="application", support_group="Web team"),
            CI(id="wiki", ci_class="application", support_group="Web team"),
            CI(id="orders-db", ci_class="database", support_group="DBA"),
            CI(id="vm-web", ci_class="vm", support_group="Platform"),
            CI(id="vm-db", ci_class="vm", support_group="Platform"),
            CI(id="farm-1", ci_class="farm", support_group="Platform"),
            CI(id="esx-1", ci_class="hypervisor", support_group="Platform"),
            CI(id="esx-2", ci_class="hypervisor", support_group="Platform"),
            CI(id="san-1", ci_class="storage", support_group="Storage"),
            CI(id="core-sw", ci_class="network_device", support_group="Network"),
        ]
    )  # fmt: skip
    cmdb.add_relationships(
        [
            ("shop", "Depends on", "shop-web"),
            ("intranet", "Depends on", "wiki"),
            ("shop-web", "Depends on", "orders-db"),
            ("shop-web", "Runs on", "vm-web"),
            ("wiki", "Runs on", "vm-web"),
            ("orders-db", "Runs on", "vm-db"),
            ("vm-web", "Hosted on", "farm-1"),
            ("vm-db", "Hosted on", "farm-1"),
            ("vm-db", "Depends on", "san-1"),
            ("farm-1", "Members", "esx-1"),
            ("farm-1", "Members", "esx-2"),
            ("esx-1", "Connects to", "core-sw"),
            ("esx-2", "Connects to", "core-sw"),
        ]
    )
    cmdb.add_redundancy_group("farm-1", ["esx-1", "esx-2"], min_up=1)
    return cmdb


def _show(cmdb: CMDB, title: str, result: ImpactResult) -> None:
    print(title)
    for item in result.items():
        path = " -> ".join(result.path(item.ci_id))
        print(f"  {item.state.label:8} depth {item.depth}  {item.ci_id:10} via {path}")
    for service in cmdb.affected_services(result):
        print(f"  service {service.name!r} (criticality {service.criticality}): "
              f"{service.state.label}")  # fmt: skip


def demo_cmdb() -> None:
    """Print the walk-through."""
    cmdb = sample_cmdb()
    print(f"{len(cmdb)} CIs, {cmdb.graph.number_of_edges()} relationships, "
          f"farm-1 needs 1 of its 2 hypervisors")  # fmt: skip
    print()
    _show(cmdb, "esx-1 fails:", cmdb.impact(["esx-1"]))
    print()
    outage = cmdb.impact(["san-1"])
    _show(cmdb, "san-1 fails:", outage)
    print("  notify: " + ", ".join(c.name for c in cmdb.contacts(outage)))
    print()
    both = cmdb.impact(["esx-1", "esx-2"], max_depth=2)
    states = ", ".join(f"{c}={both.state(c).label}" for c in both)
    print(f"esx-1 and esx-2 fail, up to 2 hops: {states}")
    print()
    print("Incidents on the shop and the intranet; best root-cause candidates:")
    for cand in cmdb.root_cause_candidates({"INC1001": "shop", "INC1002": "intranet"}, limit=3):
        print(f"  {cand.ci_id:8} explains {', '.join(sorted(cand.explains))} "
              f"({cand.distance} hops in total)")  # fmt: skip
    print()
    print("What the shop depends on:")
    print("  " + ", ".join(cmdb.depends_on("shop")))
