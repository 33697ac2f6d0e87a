"""The change calendar's section of the stack-as-code format (``stackcode.registry``): calendar events."""

from stacksteward.core.services import objects_bulk_create
from stacksteward.stackcode.registry import register_section
from stacksteward.stackcode.schema import Field, Section

from . import services
from .choices import CalendarEventKindChoices
from .models import CalendarEvent


def calendar_event_bulk_create(*, actor, rows: list[dict], source: str) -> list[CalendarEvent]:
    """Authorized by the calendar event's policy in ``objects_bulk_create``."""
    return objects_bulk_create(CalendarEvent, actor=actor, rows=rows, source=source)

CALENDAR_EVENT_SECTION = Section(
    "calendar_events",
    (
        Field("slug", "slug", required=True),
        Field("name", "str", required=True),
        Field("kind", "enum", choices=CalendarEventKindChoices,
              default=CalendarEventKindChoices.CAMPAIGN_LAUNCH.value),
        Field("start", "datetime", required=True),
        Field("end", "datetime", required=True),
        Field("all_components", "bool", default=False),
        Field("components", "refs", ref="components"),
        Field("description", "text"),
    ),
    key=("slug",),
    singular="calendar event",
    model=CalendarEvent,
    create=services.event_create,
    update=services.event_update,
    bulk_create=calendar_event_bulk_create,
    lists={"components": lambda: CalendarEvent.components.through.objects.values_list("calendarevent_id",
                                                                                  "component__slug")},
    sort_key=lambda e: e["slug"],
)

register_section(CALENDAR_EVENT_SECTION)
