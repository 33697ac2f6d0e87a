import datetime
import zoneinfo

import pytest

from stacksteward.catalog.tests.factories import ComponentFactory, RelationFactory
from stacksteward.changes.conflicts import KIND_CHANGE, KIND_EVENT, KIND_FREEZE, find_conflicts

from .factories import CalendarEventFactory, ChangeRequestFactory, at


@pytest.fixture
def crm(db):
    return ComponentFactory(name="CRM", slug="crm")


def conflicts(components, start, end, impacted=(), exclude=None):
    return find_conflicts(component_ids=[c.pk for c in components], impacted_ids=[c.pk for c in impacted],
                          start=start, end=end, exclude_pk=exclude)


def test_overlapping_change_on_the_same_component(crm):
    other = ChangeRequestFactory(components=[crm], window_start=at(7, 9), window_end=at(7, 11))
    found = conflicts([crm], at(7, 10), at(7, 12))
    assert [(c.kind, c.other_id) for c in found] == [(KIND_CHANGE, other.pk)]
    assert "CRM" in found[0].reason


def test_touching_windows_do_not_conflict(crm):
    ChangeRequestFactory(components=[crm], window_start=at(7, 8), window_end=at(7, 10))
    ChangeRequestFactory(components=[crm], window_start=at(7, 12), window_end=at(7, 14))
    assert conflicts([crm], at(7, 10), at(7, 12)) == []


def test_time_zones_cannot_hide_an_overlap(crm):
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    day = at(7, 0).date()
    # 10:00–11:00 in Berlin (winter, UTC+1) is 09:00–10:00 UTC
    ChangeRequestFactory(components=[crm], window_start=datetime.datetime.combine(day, datetime.time(10), berlin),
                         window_end=datetime.datetime.combine(day, datetime.time(11), berlin))
    utc = datetime.UTC
    assert conflicts([crm], datetime.datetime.combine(day, datetime.time(9, 30), utc),
                     datetime.datetime.combine(day, datetime.time(12), utc))
    assert not conflicts([crm], datetime.datetime.combine(day, datetime.time(10), utc),
                         datetime.datetime.combine(day, datetime.time(12), utc))


def test_change_on_a_directly_related_component_conflicts_but_not_two_hops_away(crm):
    automation = ComponentFactory(name="Automation")
    warehouse = ComponentFactory(name="Warehouse")
    RelationFactory(source=crm, target=automation)
    RelationFactory(source=automation, target=warehouse)
    near = ChangeRequestFactory(components=[automation])
    ChangeRequestFactory(components=[warehouse])
    found = conflicts([crm], at(7, 10), at(7, 12))
    assert [c.other_id for c in found] == [near.pk]
    assert "directly related" in found[0].reason


def test_closed_changes_and_the_change_itself_do_not_conflict(crm):
    ChangeRequestFactory(components=[crm], status="draft")
    ChangeRequestFactory(components=[crm], status="rejected")
    ChangeRequestFactory(components=[crm], status="reviewed")
    me = ChangeRequestFactory(components=[crm])
    assert conflicts([crm], me.window_start, me.window_end, exclude=me.pk) == []


def test_freeze_on_every_component_and_on_other_components(crm):
    other = ComponentFactory(name="Other")
    everything = CalendarEventFactory(name="Year-end freeze", kind="freeze", all_components=True)
    CalendarEventFactory(name="Shop freeze", kind="freeze", components=[other])
    found = conflicts([crm], at(7, 10), at(7, 12))
    assert [(c.kind, c.other_id) for c in found] == [(KIND_FREEZE, everything.pk)]
    assert "every component" in found[0].reason


def test_event_relying_on_an_impacted_component(crm):
    forms = ComponentFactory(name="Web forms")
    launch = CalendarEventFactory(name="Spring launch", components=[forms])
    found = conflicts([crm], at(7, 10), at(7, 12), impacted=[forms])
    assert [(c.kind, c.other_id) for c in found] == [(KIND_EVENT, launch.pk)]
    assert conflicts([crm], at(7, 10), at(7, 12)) == []  # not impacted: no conflict
    assert conflicts([crm], at(9, 10), at(9, 12), impacted=[forms]) == []  # after the event
