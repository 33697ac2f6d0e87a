"""Contract notice deadlines and end dates in the ICS feed (changes.calendar.feed_for)."""

import datetime

import icalendar
import pytest
from django.utils import timezone

from stacksteward.catalog.tests.factories import ComponentFactory
from stacksteward.changes import calendar
from stacksteward.core.roles import set_role
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory, UserFactory

from .factories import ContractFactory


def member(username, kind):
    user = UserFactory(username=username)
    set_role(user, "viewer")
    PersonFactory(name=username.capitalize(), department=DepartmentFactory(kind=kind), user=user)
    return user


def events(user) -> dict[str, icalendar.Event]:
    parsed = icalendar.Calendar.from_ical(calendar.feed_for(user, base_url="https://steward.example"))
    return {str(e["summary"]): e for e in parsed.walk("VEVENT")}


@pytest.fixture
def contracts(db):
    today = timezone.localdate()
    owner, tech, buyer, outsider = (member("olga", "marketing"), member("tom", "it"), member("bea", "procurement"),
                                    member("otto", "sales"))
    crm = ComponentFactory(name="CRM", technical_owner=tech.person)
    mine = ContractFactory(reference="CRM-1", components=[crm], business_owner=owner.person,
                           start_date=today - datetime.timedelta(days=300),
                           end_date=today + datetime.timedelta(days=65), notice_period_days=30, annual_value=12345)
    far = ContractFactory(reference="FAR-1", start_date=today, end_date=today + datetime.timedelta(days=800),
                          business_owner=owner.person)  # beyond the feed's year ahead
    ContractFactory(reference="OLD-1", status="cancelled", business_owner=owner.person,
                    start_date=today - datetime.timedelta(days=100), end_date=today + datetime.timedelta(days=20))
    other = ContractFactory(reference="ADS-1", start_date=today - datetime.timedelta(days=100),
                            end_date=today + datetime.timedelta(days=100))
    return {"owner": owner, "tech": tech, "buyer": buyer, "outsider": outsider, "mine": mine, "far": far,
            "other": other}


def test_owner_gets_notice_deadline_and_end_date_as_all_day_events(contracts):
    mine = contracts["mine"]
    found = events(contracts["owner"])
    notice, end = found[f"Notice deadline: {mine}"], found[f"Contract ends: {mine}"]
    assert notice.decoded("dtstart") == mine.notice_deadline  # a date: an all-day event
    assert notice.decoded("dtend") == mine.notice_deadline + datetime.timedelta(days=1)
    assert end.decoded("dtstart") == mine.end_date
    assert str(notice["url"]) == f"https://steward.example{mine.get_absolute_url()}"
    assert "12345" not in str(notice["description"]) and "12,345" not in str(notice["description"])
    assert not [s for s in found if "OLD-1" in s or "ADS-1" in s or "FAR-1" in s]  # not live, not mine, too far


def test_technical_owner_of_a_covered_component_and_procurement_get_them(contracts):
    mine = contracts["mine"]
    assert f"Notice deadline: {mine}" in events(contracts["tech"])
    buyer = events(contracts["buyer"])  # procurement sees every live contract
    assert {f"Notice deadline: {mine}", f"Contract ends: {contracts['other']}"} <= set(buyer)


def test_outsider_gets_no_contract_events(contracts):
    assert not [s for s in events(contracts["outsider"]) if s.startswith(("Notice deadline", "Contract ends"))]
