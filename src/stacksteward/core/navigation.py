"""The main navigation, declared once: groups by what people do, each entry a page.

``base.html`` renders :func:`main_nav` (through the ``main_nav`` template tag) as one drop-down
per group. An entry names its URL, the view names that count as "here" (prefixes of
``request.resolver_match.view_name``) and, when not every signed-in user may use it, a check
asked of the roles or policies (``visible(user) -> bool``). A group with no visible entry is left
out; the group holding the current page is marked current.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.text import slugify

from .roles import has_role


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    here: tuple[str, ...] = ()  # view-name prefixes that mean "this entry's page is open"
    visible: Callable | None = None  # who may use it (default: every signed-in user)
    query: str = ""  # appended to the URL ("?within=120")

    def matches(self, view_name: str) -> bool:
        return any(view_name == h or (h.endswith((":", "_")) and view_name.startswith(h)) for h in self.here)


@dataclass(frozen=True)
class Group:
    label: str
    key: str
    entries: tuple[Entry, ...] = field(default_factory=tuple)


def _editor(user) -> bool:
    return has_role(user, "editor")


def _staff(user) -> bool:
    return bool(getattr(user, "is_staff", False))


NAVIGATION: tuple[Group, ...] = (
    Group("Stack", "stack", (
        Entry("Components", "catalog:component_list", ("catalog:component", "catalog:component_", "catalog:raci_")),
        Entry("Vendors", "catalog:vendor_list", ("catalog:vendor", "catalog:vendor_")),
        Entry("Categories", "catalog:category_list", ("catalog:category", "catalog:category_")),
        Entry("Relations", "catalog:relation_list", ("catalog:relation", "catalog:relation_")),
        Entry("Graph", "catalog:graph", ("catalog:graph",)),
        Entry("Health", "catalog:health", ("catalog:health",)),
    )),
    Group("Work", "work", (
        Entry("Requests", "intake:request_list", ("intake:request", "intake:request_")),
        Entry("Backlog", "intake:backlog_item_list", ("intake:backlog_item", "intake:backlog_item_")),
        Entry("Roadmap", "intake:roadmap_list", ("intake:roadmap", "intake:roadmap_", "intake:iteration",
                                                  "intake:iteration_", "intake:milestone", "intake:milestone_",
                                                  "intake:schedule_")),
        Entry("Capabilities", "intake:capability_list", ("intake:capability", "intake:capability_")),
        Entry("Changes", "changes:change_list", ("changes:change", "changes:change_", "changes:approval_")),
        Entry("Change calendar", "changes:calendar", ("changes:calendar", "changes:calendar_", "changes:event",
                                                      "changes:event_", "changes:series", "changes:series_")),
        Entry("Change meetings", "changes:meeting_list", ("changes:meeting", "changes:meeting_")),
        Entry("Questions", "question_list", ("question_", "question")),
    )),
    Group("Money", "money", (
        Entry("Contracts", "finance:contract_list", ("finance:contract", "finance:contract_")),
        Entry("Budget", "finance:budget", ("finance:budget", "finance:budget_")),
        Entry("Cost and value", "finance:investments", ("finance:investments", "finance:value_score",
                                                        "finance:cost_entry_")),
        Entry("KPIs", "finance:kpi_list", ("finance:kpi", "finance:kpi_")),
        Entry("Objectives", "finance:objective_list", ("finance:objective", "finance:objective_",
                                                       "finance:success_factor_")),
        Entry("Tool selections", "finance:selection_list", ("finance:selection", "finance:selection_")),
    )),
    Group("People", "org", (
        Entry("People", "org:person_list", ("org:person", "org:person_")),
        Entry("Departments", "org:department_list", ("org:department", "org:department_")),
    )),
    Group("Admin", "admin", (
        Entry("Import and export", "stackcode:index", ("stackcode:",), visible=_editor),
        Entry("Export", "stackcode:index", ("stackcode:",), visible=lambda user: not _editor(user)),
        Entry("Audit log", "audit_list", ("audit_list", "audit_")),
        Entry("My API tokens", "org:token_list", ("org:token_",)),
        Entry("Site administration", "admin:index", (), visible=_staff),
    )),
)


def main_nav(user, view_name: str) -> list[dict]:
    """The groups and entries ``user`` may use, with the current group and entry marked."""
    if not getattr(user, "is_authenticated", False):
        return []
    groups = []
    for group in NAVIGATION:
        entries = []
        for entry in group.entries:
            if entry.visible is not None and not entry.visible(user):
                continue
            entries.append({"label": entry.label, "url": reverse(entry.url_name) + entry.query,
                            "testid": f"nav-{slugify(entry.label)}",
                            "current": bool(view_name) and entry.matches(view_name)})
        if entries:
            groups.append({"label": group.label, "key": group.key, "entries": entries,
                           "current": any(e["current"] for e in entries)})
    return groups
