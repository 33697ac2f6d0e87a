"""Catalog health: findings computed in a fixed number of queries, shown in UI and API.

Each finding names its kind, a severity, the object it is about and a sentence a person can
act on. Later areas add their own checks with ``register``.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q

from .choices import ComponentHostingChoices, ComponentLifecycleChoices, RaciActivityChoices, VendorStatusChoices


@dataclass(frozen=True)
class Finding:
    kind: str
    severity: str  # "high", "medium", "low"
    title: str
    message: str
    object_type: str
    object_id: int
    object_slug: str
    url: str


KINDS = {
    "missing_business_owner": "Component without a business owner",
    "missing_technical_owner": "Component without a technical owner",
    "no_accountable": "Activity with no Accountable",
    "contested_accountable": "Activity with more than one Accountable",
    "shadow_it": "Shadow IT",
    "retired_still_needed": "Retired component others still depend on",
    "owner_unavailable": "Owner marked unavailable",
    "defunct_vendor": "Defunct vendor with active components",
}
_checks: list[Callable[[], list[Finding]]] = []


def register(check: Callable[[], list[Finding]]):
    _checks.append(check)
    return check


def _component_finding(kind, severity, component, message):
    return Finding(kind, severity, KINDS[kind], message, "component", component.pk, component.slug,
                   component.get_absolute_url())


@register
def owner_findings() -> list[Finding]:
    from .models import Component

    findings = []
    components = Component.objects.exclude(lifecycle=ComponentLifecycleChoices.RETIRED).select_related(
        "business_owner", "technical_owner"
    )
    for c in components:
        if c.business_owner_id is None:
            findings.append(_component_finding("missing_business_owner", "high", c,
                                               f"{c.name} has no business owner."))
        if c.technical_owner_id is None:
            findings.append(_component_finding("missing_technical_owner", "high", c,
                                               f"{c.name} has no technical owner."))
        for role, owner in (("business", c.business_owner), ("technical", c.technical_owner)):
            if owner is not None and not owner.available:
                findings.append(_component_finding("owner_unavailable", "medium", c,
                                                   f"{c.name}'s {role} owner {owner.name} is marked unavailable."))
        if c.hosting == ComponentHostingChoices.SHADOW_IT:
            findings.append(_component_finding("shadow_it", "medium", c,
                                               f"{c.name} is shadow IT: nobody in IT set it up or supports it."))
    return findings


@register
def raci_findings() -> list[Finding]:
    """Every activity of every live component that has RACI entries needs exactly one A."""
    from .models import Component, RaciAssignment

    accountable = defaultdict(int)
    rows = RaciAssignment.objects.filter(role="A").values("component_id", "activity").annotate(n=Count("id"))
    for row in rows:
        accountable[(row["component_id"], row["activity"])] = row["n"]
    with_raci = set(RaciAssignment.objects.values_list("component_id", flat=True).distinct())
    components = Component.objects.exclude(lifecycle=ComponentLifecycleChoices.RETIRED).filter(pk__in=with_raci)
    labels = dict(RaciActivityChoices.choices)
    findings = []
    for c in components.only("id", "slug", "name"):
        for activity, label in labels.items():
            n = accountable.get((c.pk, activity), 0)
            if n == 0:
                findings.append(_component_finding("no_accountable", "medium", c,
                                                   f"Nobody is Accountable for {label.lower()} of {c.name}."))
            elif n > 1:
                findings.append(_component_finding(
                    "contested_accountable", "high", c,
                    f"{n} holders are Accountable for {label.lower()} of {c.name}: ownership is contested."))
    return findings


@register
def retired_findings() -> list[Finding]:
    from .models import Relation

    needers = defaultdict(set)
    retired = ComponentLifecycleChoices.RETIRED
    relations = Relation.objects.filter(
        Q(type="data_flow", source__lifecycle=retired) & ~Q(target__lifecycle=retired)
        | Q(type__in=["depends_on", "hosted_on"], target__lifecycle=retired) & ~Q(source__lifecycle=retired)
    ).select_related("source", "target")
    for r in relations:
        needed, needer = (r.source, r.target) if r.type == "data_flow" else (r.target, r.source)
        needers[needed].add(needer.name)
    return [
        _component_finding("retired_still_needed", "high", c,
                           f"{c.name} is retired but {', '.join(sorted(names))} still depend on it.")
        for c, names in sorted(needers.items(), key=lambda item: item[0].name)
    ]


@register
def vendor_findings() -> list[Finding]:
    from .models import Vendor

    vendors = Vendor.objects.filter(status=VendorStatusChoices.DEFUNCT).annotate(
        live=Count("components", filter=~Q(components__lifecycle=ComponentLifecycleChoices.RETIRED))
    ).filter(live__gt=0)
    return [
        Finding("defunct_vendor", "high", KINDS["defunct_vendor"],
                f"{v.name} is defunct but {v.live} active component(s) still come from it.",
                "vendor", v.pk, v.slug, v.get_absolute_url())
        for v in vendors
    ]


SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def catalog_health() -> list[Finding]:
    findings = [f for check in _checks for f in check()]
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.kind, f.message))


def summary(findings: list[Finding]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for f in findings:
        counts[f.kind] += 1
    return dict(counts)
