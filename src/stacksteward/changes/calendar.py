"""The change calendar as an ICS feed, one per user behind a secret URL (token stored hashed).

A user's feed holds the change-control meetings, the freeze periods, and the windows of the
changes that touch or impact a component the user owns or holds a RACI role for (personally or
through their department).

Apps above change control add their own events with ``register_feed_source`` (finance: the notice
deadlines and end dates of the live contracts the user cares about, ``finance.calendar``).
"""

import datetime

import icalendar
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from stacksteward.catalog.models import Component
from stacksteward.core import audit
from stacksteward.core.choices import AuditSourceChoices

from .choices import CalendarEventKindChoices, ChangeStatusChoices, MeetingStatusChoices
from .models import LIVE_STATUSES, CalendarEvent, CalendarFeedToken, ChangeRequest, Meeting
from .policies import FEED_TOKENS

PAST = datetime.timedelta(days=60)
AHEAD = datetime.timedelta(days=365)
FEED_STATUSES = (*LIVE_STATUSES, ChangeStatusChoices.IMPLEMENTED, ChangeStatusChoices.FAILED,
                 ChangeStatusChoices.ROLLED_BACK, ChangeStatusChoices.REVIEWED)


@transaction.atomic
def feed_token_rotate(*, actor, user) -> str:
    """A new secret feed key for ``user`` (the old URL stops working); returned once, stored hashed.

    A user rotates their own key (an admin anyone's): the feed tokens' policy decides."""
    existing = CalendarFeedToken.objects.select_for_update().filter(user=user).first()
    if existing is None:
        FEED_TOKENS.require(actor, "add", CalendarFeedToken(user=user))
    else:
        FEED_TOKENS.require(actor, "change", existing)
    key = CalendarFeedToken.generate_key()
    CalendarFeedToken.objects.update_or_create(user=user, defaults={"key_hash": CalendarFeedToken.hash_key(key)})
    audit.record(actor=actor, action="update", obj=user, before=None, after={"calendar_feed": "new key"},
                 source=AuditSourceChoices.UI)
    return key


def user_for_key(key: str):
    token = (CalendarFeedToken.objects.select_related("user").filter(key_hash=CalendarFeedToken.hash_key(key))
             .first())
    if token is None or not token.user.is_active:
        return None
    return token.user


def my_component_ids(user) -> set[int]:
    """Components the user's person owns or holds a RACI role for, personally or through the department."""
    person = getattr(user, "person", None)
    if person is None:
        return set()
    mine = Q(business_owner=person) | Q(technical_owner=person) | Q(raci_assignments__person=person)
    if person.department_id:
        mine |= Q(raci_assignments__department_id=person.department_id)
    return set(Component.objects.filter(mine).values_list("pk", flat=True))


def calendar_event(uid: str, summary: str, start, end, *, description: str = "", url: str = "",
                   categories=()):
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("summary", summary)
    event.add("dtstart", start)
    event.add("dtend", end)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    if categories:
        event.add("categories", list(categories))
    return event


def feed_for(user, *, base_url: str = "") -> bytes:
    now = timezone.now()
    start, end = now - PAST, now + AHEAD
    host = getattr(settings, "STEWARD_CALENDAR_DOMAIN", "stacksteward")
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Stack Steward//change calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Stack Steward changes")
    for meeting in Meeting.objects.filter(starts_at__lt=end, ends_at__gt=start).exclude(
            status=MeetingStatusChoices.CANCELLED):
        cal.add_component(calendar_event(f"meeting-{meeting.pk}@{host}", f"Change-control meeting: {meeting.title}",
                                 meeting.starts_at, meeting.ends_at, description=meeting.location,
                                 url=base_url + meeting.get_absolute_url(), categories=["meeting"]))
    for freeze in CalendarEvent.objects.filter(kind=CalendarEventKindChoices.FREEZE, start__lt=end, end__gt=start):
        cal.add_component(calendar_event(f"freeze-{freeze.pk}@{host}", f"Change freeze: {freeze.name}", freeze.start,
                                 freeze.end, description=freeze.description, categories=["freeze"]))
    mine = my_component_ids(user)
    if mine:
        changes = (ChangeRequest.objects.filter(status__in=FEED_STATUSES, window_start__lt=end, window_end__gt=start)
                   .prefetch_related("components").defer("impact_snapshot"))
        for change in changes:
            touched = {c.pk for c in change.components.all()}
            impacted = set((change.impact_summary or {}).get("component_ids", []))
            if not (mine & (touched | impacted)):
                continue
            names = ", ".join(c.name for c in change.components.all())
            cal.add_component(calendar_event(
                f"change-{change.pk}@{host}", f"Change window: {change}", change.window_start, change.window_end,
                description=f"{change.get_status_display()} · risk {change.risk or 'not assessed'} · {names}",
                url=base_url + change.get_absolute_url(), categories=["change", change.status]))
    first, last = timezone.localdate(start), timezone.localdate(end)
    for source in _feed_sources:
        for event in source(user, host=host, base_url=base_url, start=first, end=last):
            cal.add_component(event)
    return cal.to_ical()


# Other apps add all-day events to every user's feed (finance: notice deadlines and contract ends).
_feed_sources: list = []


def register_feed_source(source) -> None:
    r"""``source(user, *, host, base_url, start, end)`` → the ``calendar_event``\ s of ``user`` between two dates."""
    if source not in _feed_sources:
        _feed_sources.append(source)
