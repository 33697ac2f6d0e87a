"""Intake's sections of the stack-as-code format (``stackcode.registry``): capabilities and backlog items.

Backlog items have no bulk create: ``backlog_item_create`` computes each one's priority score."""

from stacksteward.core.services import objects_bulk_create
from stacksteward.stackcode.registry import register_section
from stacksteward.stackcode.schema import Field, Section

from . import services
from .choices import BacklogItemKindChoices, BacklogItemStatusChoices, CapabilityOfferingChoices
from .models import BacklogItem, Capability


def capability_bulk_create(*, actor, rows: list[dict], source: str) -> list[Capability]:
    """Authorized by the capability's policy in ``objects_bulk_create``."""
    return objects_bulk_create(Capability, actor=actor, rows=rows, source=source)

CAPABILITY_SECTION = Section(
    "capabilities",
    (
        Field("slug", "slug", required=True),
        Field("name", "str", required=True),
        Field("department", "ref", required=True, ref="departments"),
        Field("lead_time_days", "int", required=True),
        Field("offering", "enum", choices=CapabilityOfferingChoices,
              default=CapabilityOfferingChoices.FULL.value),
        Field("description", "text"),
        Field("can_do", "text"),
        Field("cannot_do", "text"),
        Field("active", "bool", default=True),
    ),
    key=("slug",),
    singular="capability",
    model=Capability,
    create=services.capability_create,
    update=services.capability_update,
    bulk_create=capability_bulk_create,
    sort_key=lambda e: e["slug"],
    by_name=True,  # names must be unique
    find=lambda workspace, ref: workspace.entries["capabilities"].get(ref.strip()),
)

BACKLOG_ITEM_SECTION = Section(
    "backlog_items",
    (
        Field("key", "slug", required=True),
        Field("title", "str", required=True),
        Field("kind", "enum", choices=BacklogItemKindChoices,
              default=BacklogItemKindChoices.ENHANCEMENT.value),
        Field("description", "text"),
        Field("components", "refs", ref="components"),
        Field("effort_days", "days"),
        Field("value", "int", default=5),
        Field("needed_by", "date"),
        Field("status", "enum", choices=BacklogItemStatusChoices, default=BacklogItemStatusChoices.NEW.value),
        Field("assignee", "ref", ref="people"),
        Field("depends_on", "refs", ref="backlog_items"),
        Field("priority_override", "decimal"),
        Field("override_reason", "text"),
    ),
    key=("key",),
    singular="backlog item",
    model=BacklogItem,
    create=services.backlog_item_create,
    update=services.backlog_item_update,
    lists={
        "components": lambda: BacklogItem.components.through.objects.values_list("backlogitem_id",
                                                                                 "component__slug"),
        "depends_on": lambda: BacklogItem.depends_on.through.objects.values_list("from_backlogitem_id",
                                                                                 "to_backlogitem__key"),
    },
    sort_key=lambda e: e["key"],
)

register_section(CAPABILITY_SECTION, BACKLOG_ITEM_SECTION)
