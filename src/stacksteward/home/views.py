"""The start page and the site-wide search: above every domain app, so they may read from all of them
(core stays below the domain apps and imports none of them)."""

from django.db.models import Count
from django.shortcuts import render

from stacksteward.catalog.choices import ComponentLifecycleChoices
from stacksteward.catalog.health import KINDS, catalog_health, summary
from stacksteward.catalog.models import Component, Relation, Vendor
from stacksteward.core.htmx import render_page_or_partial
from stacksteward.core.models import Notification
from stacksteward.core.questions import waiting_for
from stacksteward.core.views import visible_audit_entries
from stacksteward.org.models import Person

from .charts import dashboard_charts
from .search import LIMIT as SEARCH_LIMIT
from .search import find


def dashboard(request):
    user = request.user
    components = Component.objects.restrict(user, "view")
    by_lifecycle = dict(components.order_by().values_list("lifecycle").annotate(n=Count("id")))
    lifecycles = [
        {"value": value, "label": label, "count": by_lifecycle.get(value, 0)}
        for value, label in ComponentLifecycleChoices.choices
    ]
    groups: dict[str, dict] = {}
    rows = components.order_by().values(
        "category__name", "category__slug", "category__parent__name", "category__parent__slug"
    ).annotate(n=Count("id"))
    for row in rows:
        if row["category__parent__slug"]:
            name, slug = row["category__parent__name"], row["category__parent__slug"]
        else:
            name, slug = row["category__name"], row["category__slug"]
        key = slug or ""
        entry = groups.setdefault(key, {"name": name or "Not categorised yet", "slug": slug, "count": 0})
        entry["count"] += row["n"]
    by_group = sorted(groups.values(), key=lambda g: (g["slug"] is None, g["name"]))
    findings = catalog_health()
    counts = summary(findings)
    health = [{"kind": kind, "label": label, "count": counts.get(kind, 0)} for kind, label in KINDS.items()]
    for kind, n in counts.items():
        if kind not in KINDS:
            health.append({"kind": kind, "label": kind.replace("_", " ").capitalize(), "count": n})
    context = {
        "total_components": sum(by_lifecycle.values()),
        "lifecycles": lifecycles,
        "vendor_count": Vendor.objects.restrict(user, "view").count(),
        "person_count": Person.objects.restrict(user, "view").count(),
        "relation_count": Relation.objects.restrict(user, "view").count(),
        "by_group": by_group,
        "health": [h for h in health if h["count"]],
        "finding_count": len(findings),
        "recent": visible_audit_entries(user)[:12],
        "charts": dashboard_charts(user),
        **_my_inbox(user),
    }
    return render(request, "home/dashboard.html", context)


DASHBOARD_INBOX = 8


def _my_inbox(user) -> dict:
    """The dashboard's personal part: open questions waiting for my answer (with their age), my unread
    notifications. Four queries whatever the numbers."""
    waiting = waiting_for(user).select_related("addressed_person", "addressed_department").order_by("created_at", "id")
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).order_by("-created_at", "-id")
    return {"waiting": list(waiting[:DASHBOARD_INBOX]), "waiting_total": waiting.count(),
            "unread": list(unread[:DASHBOARD_INBOX]), "unread_total": unread.count()}


def search(request):
    """One box to find every kind of record by its key (R-5, C-3, B-4) and its words (``home.search``)."""
    text = (request.GET.get("q") or "").strip()
    sections = find(request.user, text, limit=SEARCH_LIMIT)
    context = {"q": text, "sections": sections, "found": sum(len(hits) for _, hits in sections),
               "limit": SEARCH_LIMIT}
    return render_page_or_partial(request, "home/search.html", "home/_search_results.html", context)
