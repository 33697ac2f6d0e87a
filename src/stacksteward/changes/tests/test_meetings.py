import datetime

import icalendar
import pytest
from django.core.exceptions import ValidationError

from stacksteward.catalog.tests.factories import ComponentFactory
from stacksteward.changes import calendar, meetings, services
from stacksteward.changes.models import Meeting, MeetingDecision, MeetingSeries

from .factories import CalendarEventFactory, ChangeRequestFactory, at


def _submitted(people, stack, **overrides):
    data = {"title": "CRM field rename", "components": [stack["crm"]], "window_start": at(3, 10),
            "window_end": at(3, 11), "rollback_plan": "Rename back.", **overrides}
    return services.change_submit(services.change_create(actor=people["ivan"], data=data), actor=people["ivan"])


def test_occurrences_follow_weekday_interval_and_time_zone(db):
    series = MeetingSeries(name="CAB", weekday=1, time=datetime.time(10), every_weeks=2, timezone="Europe/Berlin",
                           starts_on=datetime.date(2026, 3, 1), duration_minutes=60)  # a Sunday
    found = meetings.occurrences(series, start=datetime.date(2026, 3, 1), until=datetime.date(2026, 4, 30))
    assert [d.date().isoformat() for d in found] == ["2026-03-03", "2026-03-17", "2026-03-31", "2026-04-14",
                                                     "2026-04-28"]
    # 10:00 in Berlin is 09:00 UTC in winter and 08:00 UTC in summer time (from 29 March)
    assert found[0].astimezone(datetime.UTC).hour == 9
    assert found[2].astimezone(datetime.UTC).hour == 8


def test_series_creates_its_meetings_once(people):
    series = meetings.series_create(actor=people["ivan"], data={
        "name": "Weekly change control", "weekday": datetime.date.today().weekday(), "time": datetime.time(10),
        "timezone": "UTC", "starts_on": datetime.date.today()})
    count = series.meetings.count()
    assert count in (12, 13)
    assert meetings.series_schedule(series, actor=people["ivan"]) == []
    assert series.meetings.count() == count


def test_series_refuses_an_unknown_time_zone(people):
    with pytest.raises(ValidationError) as exc:
        meetings.series_create(actor=people["ivan"], data={
            "name": "CAB", "weekday": 1, "time": datetime.time(10), "timezone": "Mars/Olympus",
            "starts_on": datetime.date.today()})
    assert "timezone" in exc.value.message_dict


def _meeting(days=1):
    return Meeting.objects.create(title="CAB", starts_at=at(days, 10), ends_at=at(days, 11))


def test_agenda_lists_awaiting_and_upcoming_changes_by_risk_with_invitees(people, stack):
    meeting = _meeting(1)
    _meeting(8)  # the next meeting: the horizon for upcoming changes
    risky = _submitted(people, stack)
    low = ChangeRequestFactory(title="Tidy tags", components=[stack["forms"]], risk="low", status="submitted")
    soon = ChangeRequestFactory(title="Soon", components=[stack["forms"]], status="scheduled",
                                window_start=at(5, 10), window_end=at(5, 11))
    ChangeRequestFactory(title="Later", components=[stack["forms"]], status="scheduled", window_start=at(20, 10),
                         window_end=at(20, 11))
    ChangeRequestFactory(title="Draft", components=[stack["forms"]], status="draft")
    result = meetings.agenda(meeting)
    assert [i.change for i in result.to_decide] == [risky, low]
    assert [i.change for i in result.upcoming] == [soon]
    first = result.to_decide[0]
    assert {a.department.slug for a in first.pending} == {"marketing", "legal"}
    assert first.impacted_count == 2
    invitees = {e["name"]: e["must_approve"] for e in result.invitees}
    assert invitees["Marketing"] is True and invitees["Legal"] is True
    assert invitees["IT"] is False


def test_agenda_query_count_is_constant(people, stack, django_assert_max_num_queries):
    meeting = _meeting(1)
    for n in range(30):
        ChangeRequestFactory(title=f"C{n}", components=[stack["crm"]], status="awaiting_approval", risk="medium")
    with django_assert_max_num_queries(6):
        result = meetings.agenda(meeting)
    assert len(result.items) == 30


def test_decisions_in_the_meeting_update_the_approvals(people, stack):
    meeting = _meeting(1)
    change = _submitted(people, stack)
    marketing = people["maria"].person.department
    meetings.meeting_decide(meeting, change, actor=people["maria"], decision="approve", department=marketing,
                            comment="OK for the campaign.")
    approval = change.approvals.get(department=marketing)
    assert approval.decision == "approved" and approval.meeting == meeting
    meetings.meeting_decide(meeting, change, actor=people["lena"], decision="approve")  # her own department
    change.refresh_from_db()
    assert change.status == "approved"
    assert MeetingDecision.objects.filter(meeting=meeting).count() == 2


def test_defer_and_reject_need_a_comment(people, stack):
    meeting = _meeting(1)
    change = _submitted(people, stack)
    with pytest.raises(ValidationError):
        meetings.meeting_decide(meeting, change, actor=people["maria"], decision="defer")
    meetings.meeting_decide(meeting, change, actor=people["maria"], decision="defer", comment="Need the test plan.")
    change.refresh_from_db()
    assert change.status == "submitted"
    meetings.meeting_decide(meeting, change, actor=people["lena"], decision="reject", comment="No DPA.")
    change.refresh_from_db()
    assert change.status == "rejected"


def test_decision_without_a_pending_approval_to_decide_is_refused(people, stack):
    change = _submitted(people, stack)
    with pytest.raises(ValidationError) as exc:
        meetings.meeting_decide(_meeting(1), change, actor=people["ivan"], decision="approve")
    assert "department" in exc.value.message_dict


# ICS feed ----------------------------------------------------------------------------------------

def test_feed_is_valid_ics_with_meetings_freezes_and_my_changes(people, stack):
    _meeting(1)
    CalendarEventFactory(name="Year-end freeze", kind="freeze", all_components=True, start=at(30, 0), end=at(40, 0))
    CalendarEventFactory(name="Webinar", kind="webinar", start=at(10, 0), end=at(10, 2))
    mine = _submitted(people, stack)  # impacts the web forms, which Vic owns
    other = ChangeRequestFactory(title="Unrelated", components=[ComponentFactory(name="Elsewhere")])
    key = calendar.feed_token_rotate(actor=people["vic"], user=people["vic"])
    assert calendar.user_for_key(key) == people["vic"]
    assert calendar.user_for_key(key + "x") is None
    parsed = icalendar.Calendar.from_ical(calendar.feed_for(calendar.user_for_key(key)))
    summaries = sorted(str(e["summary"]) for e in parsed.walk("VEVENT"))
    assert summaries == ["Change freeze: Year-end freeze", f"Change window: {mine}", "Change-control meeting: CAB"]
    assert str(other) not in " ".join(summaries)
    window = next(e for e in parsed.walk("VEVENT") if str(e["summary"]).startswith("Change window"))
    assert window.decoded("dtstart") == mine.window_start


def test_rotating_the_key_retires_the_old_url(people):
    old = calendar.feed_token_rotate(actor=people["vic"], user=people["vic"])
    new = calendar.feed_token_rotate(actor=people["vic"], user=people["vic"])
    assert calendar.user_for_key(old) is None
    assert calendar.user_for_key(new) == people["vic"]
