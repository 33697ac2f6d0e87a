"""The computed impact of a change: never typed by hand.

From the components a change touches, on one bulk-loaded relation graph (``catalog.graph``):

* **technical** — every component downstream (impacted when a changed one changes), transitively,
  nearest first, with the shortest path from a changed component;
* **people and departments** — business and technical owners and the RACI holders (R, A, C, I) of
  the changed and impacted components, grouped by department; a department **must approve** when
  it (or one of its people) is Accountable for a changed component, when personal data is touched
  (Legal), or when a tier-1 component is impacted (IT security); every other one is **informed**;
* **privacy** — the data categories carried by the impacted relations and held by the changed
  components; personal data among them makes Legal an approver;
* **criticality** — the highest tier (lowest number) among changed and impacted components.

Queries: the graph (cached per process), then one each for components, RACI holders, relation
data categories, held data categories and departments — whatever the size of the impact.
"""

from dataclasses import dataclass, field

from django.conf import settings

from stacksteward.catalog import graph as g
from stacksteward.catalog.models import Component, DataCategory, RaciAssignment, Relation
from stacksteward.core.perf import gc_paused
from stacksteward.org.models import Department

RULE_ACCOUNTABLE = "accountable"
RULE_PERSONAL_DATA = "personal_data"
RULE_TIER_1 = "tier_1"


def _security_department() -> Department | None:
    slug = getattr(settings, "STEWARD_SECURITY_DEPARTMENT", "")
    if slug:
        found = Department.objects.filter(slug=slug).first()
        if found:
            return found
    return Department.objects.filter(kind="it").order_by("name").first()


def _legal_department() -> Department | None:
    slug = getattr(settings, "STEWARD_LEGAL_DEPARTMENT", "")
    if slug:
        found = Department.objects.filter(slug=slug).first()
        if found:
            return found
    return Department.objects.filter(kind="legal").order_by("name").first()


@dataclass
class DepartmentImpact:
    id: int
    slug: str
    name: str
    must_approve: bool = False
    reasons: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    people: dict[int, dict] = field(default_factory=dict)  # person id → {"id", "name", "roles": [...]}

    def as_dict(self) -> dict:
        return {"id": self.id, "slug": self.slug, "name": self.name, "must_approve": self.must_approve,
                "reasons": list(self.reasons), "rules": list(self.rules),
                "people": sorted(self.people.values(), key=lambda p: p["name"])}


@dataclass
class ChangeImpact:
    changed: list[dict]
    components: list[dict]  # impacted: {"id", "slug", "name", "tier", "depth", "path", "via"}
    departments: list[DepartmentImpact]
    unassigned_people: list[dict]  # holders without a department: informed personally
    data_categories: list[dict]
    highest_tier: int | None

    @property
    def personal_data(self) -> bool:
        return any(d["personal"] for d in self.data_categories)

    @property
    def tier_1_impacted(self) -> bool:
        return any(c["tier"] == 1 for c in self.components)

    @property
    def approvers(self) -> list[DepartmentImpact]:
        return [d for d in self.departments if d.must_approve]

    @property
    def informed(self) -> list[DepartmentImpact]:
        return [d for d in self.departments if not d.must_approve]

    def as_dict(self) -> dict:
        return {
            "changed": self.changed, "components": self.components,
            "departments": [d.as_dict() for d in self.departments],
            "unassigned_people": self.unassigned_people, "data_categories": self.data_categories,
            "personal_data": self.personal_data, "highest_tier": self.highest_tier,
            "tier_1_impacted": self.tier_1_impacted,
            "counts": {"components": len(self.components), "departments": len(self.departments),
                       "approvers": len(self.approvers)},
        }


def summary_of(snapshot: dict, conflicts: list[dict]) -> dict:
    """The small part of a snapshot that lists, agendas and calendar feeds read."""
    departments = snapshot.get("departments", [])
    return {
        "impacted_count": len(snapshot.get("components", [])),
        "component_ids": sorted({c["id"] for c in (*snapshot.get("changed", []), *snapshot.get("components", []))}),
        "must_approve": [d["name"] for d in departments if d["must_approve"]],
        "informed": [d["name"] for d in departments if not d["must_approve"]],
        "department_ids": [d["id"] for d in departments],
        "approver_ids": [d["id"] for d in departments if d["must_approve"]],
        "personal_data": snapshot.get("personal_data", False),
        "highest_tier": snapshot.get("highest_tier"),
        "conflicts": conflicts,
    }


def _names(items, limit: int = 5) -> str:
    names = [str(item["name"]) if isinstance(item, dict) else str(item) for item in items]
    shown = ", ".join(names[:limit])
    return f"{shown} and {len(names) - limit} more" if len(names) > limit else shown


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _conflicts_text(conflicts: list[dict]) -> str:
    from stacksteward.core.display import when

    parts = [f"{c.get('other_name', '')} ({when(c['start'])} – {when(c['end'])})" if c.get("start") else
             str(c.get("other_name", "")) for c in conflicts]
    return f"{_count(len(conflicts), 'conflict', 'conflicts')}: {'; '.join(parts)}"


def describe_snapshot(snapshot) -> str:
    """An impact snapshot as one readable sentence for the history (what changed, how far it reaches,
    who must approve, personal data, tier)."""
    if not isinstance(snapshot, dict):
        return "—"
    changed = snapshot.get("changed", [])
    impacted = snapshot.get("components", [])
    departments = snapshot.get("departments", [])
    approvers = [d for d in departments if d.get("must_approve")]
    parts = [f"Changes {_names(changed)}" if changed else "No component changed",
             _count(len(impacted), "component impacted", "components impacted")
             + (f" ({_names(impacted)})" if impacted else ""),
             _count(len(departments), "department", "departments") + " involved"
             + (f", must approve: {_names(approvers)}" if approvers else "")]
    categories = snapshot.get("data_categories", [])
    if categories:
        parts.append(f"data carried: {_names(categories)}")
    parts.append("personal data" if snapshot.get("personal_data") else "no personal data")
    if snapshot.get("highest_tier") is not None:
        parts.append(f"highest tier {snapshot['highest_tier']}")
    return "; ".join(parts) + "."


def describe_summary(summary) -> str:
    """The stored summary of an impact (see ``summary_of``) as one readable sentence."""
    if not isinstance(summary, dict):
        return "—"
    impacted = summary.get("impacted_count", 0)
    parts = [_count(impacted, "component impacted", "components impacted")]
    if summary.get("must_approve"):
        parts.append(f"must approve: {_names(summary['must_approve'])}")
    if summary.get("informed"):
        parts.append(f"informed: {_names(summary['informed'])}")
    parts.append("personal data" if summary.get("personal_data") else "no personal data")
    if summary.get("highest_tier") is not None:
        parts.append(f"highest tier {summary['highest_tier']}")
    conflicts = summary.get("conflicts") or []
    parts.append(_conflicts_text(conflicts) if conflicts else "no conflicts")
    return "; ".join(parts) + "."


def _downstream(graph, changed: list[int]) -> dict[int, g.Reach]:
    """Shortest reach from any changed component to each impacted one (changed ones excluded)."""
    best: dict[int, g.Reach] = {}
    for start in changed:
        for reach in g.downstream(graph, start):
            known = best.get(reach.component_id)
            if known is None or reach.depth < known.depth:
                best[reach.component_id] = reach
    for start in changed:
        best.pop(start, None)
    return best


def compute_impact(component_ids) -> ChangeImpact:
    changed_ids = sorted(set(component_ids))
    graph = g.load_graph()
    with gc_paused():
        return _compute(graph, changed_ids)


def _compute(graph, changed_ids: list[int]) -> ChangeImpact:
    reaches = _downstream(graph, changed_ids)
    involved = set(changed_ids) | set(reaches)
    rows = {
        pk: {"id": pk, "slug": slug, "name": name, "tier": tier, "owners": ((bo, "business owner"),
                                                                          (to, "technical owner"))}
        for pk, slug, name, tier, bo, to in Component.objects.filter(pk__in=involved).values_list(
            "pk", "slug", "name", "tier", "business_owner_id", "technical_owner_id")
    }
    slugs = {pk: row["slug"] for pk, row in rows.items()}
    changed = [{k: rows[pk][k] for k in ("id", "slug", "name", "tier")} for pk in changed_ids if pk in rows]
    impacted = sorted(
        ({"id": pk, "slug": rows[pk]["slug"], "name": rows[pk]["name"], "tier": rows[pk]["tier"], "depth": r.depth,
          "path": [slugs.get(n, str(n)) for n in r.path], "via": [e.type for e in r.edges]}
         for pk, r in reaches.items() if pk in rows),
        key=lambda row: (row["depth"], row["name"], row["id"]))

    # People: owners and RACI holders of every changed and impacted component.
    holders: list[tuple] = []  # (component id, person id or None, department id or None, role text, accountable?)
    for pk, row in rows.items():
        for person_id, role in row["owners"]:
            if person_id:
                holders.append((pk, person_id, None, f"{role} of {row['name']}", False))
    for component_id, activity, role, department_id, person_id in RaciAssignment.objects.filter(
            component_id__in=involved).values_list("component_id", "activity", "role", "department_id", "person_id"):
        label = f"{role}: {activity.replace('_', ' ')} of {rows[component_id]['name']}"
        holders.append((component_id, person_id, department_id, label, role == "A"))
    person_ids = {h[1] for h in holders if h[1]}
    from stacksteward.org.models import Person

    people = {pk: (name, dept) for pk, name, dept in Person.objects.filter(pk__in=person_ids).values_list(
        "pk", "name", "department_id")}

    # Privacy: data carried on impacted relations, and held by the changed components.
    relation_ids = {edge.relation_id for node in involved for effect, edge in graph.downstream.get(node, ())
                    if effect in reaches}
    data: dict[str, dict] = {}
    for key, name, personal in DataCategory.objects.filter(
            pk__in=Relation.data_categories.through.objects.filter(relation_id__in=relation_ids)
            .values("datacategory_id")).values_list("key", "name", "is_personal"):
        data[key] = {"key": key, "name": name, "personal": personal, "held": False, "carried": True}
    for key, name, personal in DataCategory.objects.filter(
            pk__in=Component.data_categories.through.objects.filter(component_id__in=changed_ids)
            .values("datacategory_id")).values_list("key", "name", "is_personal"):
        entry = data.setdefault(key, {"key": key, "name": name, "personal": personal, "held": True, "carried": False})
        entry["held"] = True

    departments: dict[int, DepartmentImpact] = {}
    department_ids = {h[2] for h in holders if h[2]} | {d for _, d in people.values() if d}
    legal = security = None
    personal = any(d["personal"] for d in data.values())
    tier_1 = any(row["tier"] == 1 for row in impacted)
    if personal:
        legal = _legal_department()
    if tier_1:
        security = _security_department()
    for extra in (legal, security):
        if extra is not None:
            department_ids.add(extra.pk)
    for pk, slug, name in Department.objects.filter(pk__in=department_ids).values_list("pk", "slug", "name"):
        departments[pk] = DepartmentImpact(pk, slug, name)

    unassigned: dict[int, dict] = {}
    for component_id, person_id, department_id, label, accountable in holders:
        dept = department_id or (people.get(person_id, (None, None))[1] if person_id else None)
        if person_id and person_id in people:
            target = departments[dept].people if dept in departments else unassigned
            entry = target.setdefault(person_id, {"id": person_id, "name": people[person_id][0], "roles": []})
            entry["roles"].append(label)
        if accountable and component_id in changed_ids and dept in departments:
            _must_approve(departments[dept], RULE_ACCOUNTABLE, f"Accountable ({label})")
    if legal is not None:
        kinds = ", ".join(sorted(d["name"] for d in data.values() if d["personal"]))
        _must_approve(departments[legal.pk], RULE_PERSONAL_DATA, f"Personal data touched: {kinds}")
    if security is not None:
        tier_1_names = ", ".join(row["name"] for row in impacted if row["tier"] == 1)
        _must_approve(departments[security.pk], RULE_TIER_1, f"Tier-1 components impacted: {tier_1_names}")

    tiers = [row["tier"] for row in (*changed, *impacted)]
    return ChangeImpact(
        changed=changed, components=impacted,
        departments=sorted(departments.values(), key=lambda d: (not d.must_approve, d.name)),
        unassigned_people=sorted(unassigned.values(), key=lambda p: p["name"]),
        data_categories=sorted(data.values(), key=lambda d: d["key"]),
        highest_tier=min(tiers) if tiers else None)


def _must_approve(department: DepartmentImpact, rule: str, reason: str) -> None:
    department.must_approve = True
    if rule not in department.rules:
        department.rules.append(rule)
    if reason not in department.reasons:
        department.reasons.append(reason)


def impact_diff(old: dict | None, new: dict) -> dict:
    """What changed between two impact snapshots: components, departments and approvers added or removed."""
    old = old or {"components": [], "departments": [], "personal_data": False, "highest_tier": None}

    def names(snapshot, key, pick=lambda row: True):
        return {row["slug"]: row["name"] for row in snapshot.get(key, []) if pick(row)}

    def delta(key, pick=lambda row: True):
        before, after = names(old, key, pick), names(new, key, pick)
        return {"added": sorted(after[s] for s in set(after) - set(before)),
                "removed": sorted(before[s] for s in set(before) - set(after))}

    diff = {
        "components": delta("components"),
        "departments": delta("departments"),
        "approvers": delta("departments", lambda row: row["must_approve"]),
        "personal_data": [old.get("personal_data"), new.get("personal_data")],
        "highest_tier": [old.get("highest_tier"), new.get("highest_tier")],
    }
    diff["changed"] = bool(
        any(v["added"] or v["removed"] for k, v in diff.items() if isinstance(v, dict))
        or diff["personal_data"][0] != diff["personal_data"][1] or diff["highest_tier"][0] != diff["highest_tier"][1])
    return diff
