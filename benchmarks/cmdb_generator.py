"""A synthetic layered CMDB, as in the reference survey (section 2.2), for benchmarks.

Layers (share of N): business services 0.5%, applications 2%, software instances 53%,
VMs 30%, physical servers 3.5%, hypervisors 3%, farms 0.3%, datastores 5%, storage arrays
0.2%, VLANs 1%, access switches 1.2%, distribution switches 0.2%, core switches 0.02%.
Edges point provider -> consumer (about 3.6 per CI). Redundancy: distribution, access,
hypervisor and physical uplinks are 1-of-2, a farm is up while one hypervisor is, an
application while 50% of its instances are.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from itsmcore.cmdb import CI, CMDB, Percent, RedundancyGroup

LAYERS = [
    ("business_service", "bs", 0.005),
    ("application", "app", 0.02),
    ("software_instance", "si", 0.53),
    ("vm", "vm", 0.30),
    ("server", "ps", 0.035),
    ("hypervisor", "hv", 0.03),
    ("farm", "farm", 0.003),
    ("datastore", "ds", 0.05),
    ("storage_array", "sa", 0.002),
    ("vlan", "vlan", 0.01),
    ("access_switch", "acc", 0.012),
    ("dist_switch", "dist", 0.002),
    ("core_switch", "core", 0.0002),
]
TYPES = [
    "Connects to::Connected by",
    "Hosted on::Hosts",
    "Members::Member of",
    "Runs on::Runs",
    "Depends on::Used by",
]
CONNECTS, HOSTED, MEMBERS, RUNS, DEPENDS = range(5)


@dataclass
class Layered:
    """Plain arrays: ids, class per CI, edges (provider, consumer, type) and groups."""

    ids: list[str]
    classes: list[str]
    layer: dict[str, np.ndarray]
    src: np.ndarray
    dst: np.ndarray
    typ: np.ndarray
    groups: list[tuple[int, np.ndarray, int | Percent]]

    def cis(self) -> list[CI]:
        """One CI per node (support groups by layer, criticality on services)."""
        support = {
            "business_service": "service-desk",
            "application": "apps",
            "software_instance": "apps",
            "vm": "platform",
            "server": "platform",
            "hypervisor": "platform",
            "farm": "platform",
            "datastore": "storage",
            "storage_array": "storage",
            "vlan": "network",
            "access_switch": "network",
            "dist_switch": "network",
            "core_switch": "network",
        }
        return [
            CI(
                id=i,
                ci_class=c,
                support_group=support[c],
                criticality=2 if c == "business_service" else None,
            )
            for i, c in zip(self.ids, self.classes, strict=True)
        ]

    def relationships(self) -> list[tuple[str, str, str]]:
        """(parent, type, child) triples; every type used here flows child -> parent."""
        ids, names = self.ids, TYPES
        return [
            (ids[v], names[t], ids[u])
            for u, v, t in zip(self.src.tolist(), self.dst.tolist(), self.typ.tolist(), strict=True)
        ]

    def redundancy_groups(self) -> list[RedundancyGroup]:
        ids = self.ids
        return [
            RedundancyGroup(
                consumer=ids[c], members=[ids[m] for m in members.tolist()], min_up=min_up
            )
            for c, members, min_up in self.groups
        ]

    def build(self) -> CMDB:
        return CMDB.from_records(
            cis=self.cis(),
            relationships=self.relationships(),
            redundancy_groups=self.redundancy_groups(),
        )


def generate(n: int, seed: int = 7) -> Layered:
    """A layered CMDB of about ``n`` CIs (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    ids: list[str] = []
    classes: list[str] = []
    layer: dict[str, np.ndarray] = {}
    for cls, prefix, share in LAYERS:
        k = max(1, round(n * share))
        start = len(ids)
        ids.extend(f"{prefix}{i}" for i in range(k))
        classes.extend([cls] * k)
        layer[cls] = np.arange(start, start + k)
    edges: list[tuple[np.ndarray, np.ndarray, int]] = []
    groups: list[tuple[int, np.ndarray, int | Percent]] = []

    def pick(pool: np.ndarray, count: int) -> np.ndarray:
        return pool[rng.integers(0, len(pool), count)]

    def add(src: np.ndarray, dst: np.ndarray, typ: int) -> None:
        edges.append((np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64), typ))

    def two_uplinks(consumers: np.ndarray, providers: np.ndarray, typ: int) -> None:
        a = rng.integers(0, len(providers), len(consumers))
        if len(providers) > 1:
            b = (a + rng.integers(1, len(providers), len(consumers))) % len(providers)
            add(providers[a], consumers, typ)
            add(providers[b], consumers, typ)
            for c, x, y in zip(
                consumers.tolist(), providers[a].tolist(), providers[b].tolist(), strict=True
            ):
                groups.append((c, np.array([x, y]), 1))
        else:
            add(providers[a], consumers, typ)

    L = layer
    two_uplinks(L["dist_switch"], L["core_switch"], CONNECTS)
    two_uplinks(L["access_switch"], L["dist_switch"], CONNECTS)
    add(pick(L["dist_switch"], len(L["vlan"])), L["vlan"], CONNECTS)
    two_uplinks(L["hypervisor"], L["access_switch"], CONNECTS)
    two_uplinks(L["server"], L["access_switch"], CONNECTS)
    add(pick(L["storage_array"], len(L["datastore"])), L["datastore"], HOSTED)
    farm_of = pick(L["farm"], len(L["hypervisor"]))
    add(L["hypervisor"], farm_of, MEMBERS)
    vms = L["vm"]
    add(pick(L["farm"], len(vms)), vms, HOSTED)
    for _ in range(3):
        take = vms[rng.random(len(vms)) < 0.67]
        add(pick(L["datastore"], len(take)), take, DEPENDS)
    for _ in range(2):
        take = vms[rng.random(len(vms)) < 0.75]
        add(pick(L["vlan"], len(take)), take, CONNECTS)
    inst = L["software_instance"]
    hosts = np.concatenate([vms, L["server"]])
    add(pick(hosts, len(inst)), inst, RUNS)
    apps = L["application"]
    app_of = pick(apps, len(inst))
    add(inst, app_of, MEMBERS)
    second = inst[rng.random(len(inst)) < 0.1]
    add(second, pick(apps, len(second)), MEMBERS)
    # lower tiers within the same application: instance -> instance
    order = np.argsort(app_of, kind="stable")
    sorted_inst, sorted_app = inst[order], app_of[order]
    starts = np.searchsorted(sorted_app, sorted_app, side="left")
    ends = np.searchsorted(sorted_app, sorted_app, side="right")
    for _ in range(2):
        take = rng.random(len(inst)) < 0.8
        size = (ends - starts)[take]
        ok = size > 1
        base = starts[take][ok]
        j = base + (rng.integers(0, 1 << 30, ok.sum()) % size[ok])
        add(sorted_inst[j], sorted_inst[take][ok], DEPENDS)
    platform = apps[: max(1, len(apps) // 20)]
    take = inst[rng.random(len(inst)) < 0.2]
    add(pick(platform, len(take)), take, DEPENDS)
    # application DAG (+1% cycle edges), services
    a = rng.integers(0, len(apps), 2 * len(apps))
    b = rng.integers(0, len(apps), 2 * len(apps))
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    add(apps[hi[keep]], apps[lo[keep]], DEPENDS)
    c = rng.integers(0, len(apps), max(1, len(apps) // 100))
    d = rng.integers(0, len(apps), len(c))
    add(apps[np.minimum(c, d)], apps[np.maximum(c, d)], DEPENDS)
    bss = L["business_service"]
    add(pick(apps, len(bss)), bss, DEPENDS)
    take = bss[rng.random(len(bss)) < 0.5]
    add(pick(apps, len(take)), take, DEPENDS)
    x = rng.integers(0, len(bss), len(bss))
    y = rng.integers(0, len(bss), len(bss))
    add(bss[np.maximum(x, y)], bss[np.minimum(x, y)], DEPENDS)

    src = np.concatenate([e[0] for e in edges])
    dst = np.concatenate([e[1] for e in edges])
    typ = np.concatenate([np.full(len(e[0]), e[2], dtype=np.int8) for e in edges])
    total = len(ids)
    keep = src != dst
    src, dst, typ = src[keep], dst[keep], typ[keep]
    _, first = np.unique(src * total + dst, return_index=True)
    first.sort()
    src, dst, typ = src[first], dst[first], typ[first]
    # groups: app up while 50% of its member instances are; farm while one hypervisor is
    member_edge = typ == MEMBERS
    ms, md = src[member_edge], dst[member_edge]
    order = np.argsort(md, kind="stable")
    ms, md = ms[order], md[order]
    cut = np.flatnonzero(np.diff(md)) + 1
    app_set = set(apps.tolist())
    for members, consumer in zip(np.split(ms, cut), np.split(md, cut), strict=True):
        if len(consumer) == 0:
            continue
        cons = int(consumer[0])
        if cons in app_set:
            groups.append((cons, members, Percent(50)))
        elif len(members) > 0:
            groups.append((cons, members, 1))
    return Layered(ids, classes, layer, src, dst, typ, groups)
