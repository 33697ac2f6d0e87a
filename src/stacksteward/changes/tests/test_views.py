"""Change-control web pages: changes with the live impact preview, approvals, workflow, the calendar,
calendar events, meetings with agenda and minutes, and the personal ICS feed."""

import datetime
import re

import icalendar
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stacksteward.catalog.tests.factories import ComponentFactory, RelationFactory
from stacksteward.changes import meetings, services
from stacksteward.changes.models import (
    CalendarEvent,
    ChangeApproval,
    ChangeRequest,
    Meeting,
    MeetingDecision,
    MeetingSeries,
)
from stacksteward.core.models import AuditEntry

from .factories import CalendarEventFactory, ChangeRequestFactory, at

pytestmark = pytest.mark.django_db

LOCAL = "%Y-%m-%dT%H:%M"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(stack, **overrides) -> dict:
    data = {"title": "Rename the lead source field", "description": "", "components": [str(stack["crm"].pk)],
            "type": "normal", "window_start": at(7, 10).strftime(LOCAL), "window_end": at(7, 12).strftime(LOCAL),
            "rollback_plan": "Rename it back.", "requester": "", "implementer": "", "request": "",
            "backlog_item": "", "conflict_justification": ""}
    data.update(overrides)
    return data


def draft(people, stack, **overrides):
    data = {"title": "CRM field rename", "components": [stack["crm"]], "window_start": at(7, 10),
            "window_end": at(7, 12), "rollback_plan": "Rename back.", **overrides}
    return services.change_create(actor=people["ivan"], data=data)


def submitted(people, stack, **overrides):
    return services.change_submit(draft(people, stack, **overrides), actor=people["ivan"])


def approvals_of(change) -> dict:
    return {a.department.slug: a for a in ChangeApproval.objects.filter(change=change).select_related("department")}


@pytest.fixture
def ivan(people):
    return client_for(people["ivan"])


@pytest.fixture
def maria(people):
    return client_for(people["maria"])


@pytest.fixture
def lena(people):
    return client_for(people["lena"])


@pytest.fixture
def vic(people):
    return client_for(people["vic"])


@pytest.fixture
def meeting(db):
    return Meeting.objects.create(title="Change review", starts_at=at(1, 9), ends_at=at(1, 10))


# Pages per role -------------------------------------------------------------------------------

def test_pages_render_for_editors_and_viewers(people, stack, ivan, vic, meeting):
    change = submitted(people, stack)
    draft_change = draft(people, stack, title="Still a draft")
    event = CalendarEventFactory(name="Spring launch", components=[stack["automation"]])
    series = meetings.series_create(actor=people["ivan"], data={
        "name": "Weekly change review", "weekday": 1, "time": datetime.time(10), "timezone": "Europe/Berlin",
        "starts_on": datetime.date.today()})
    urls = [reverse("changes:change_list"), change.get_absolute_url(), draft_change.get_absolute_url(),
            reverse("changes:calendar"), reverse("changes:event_list"), event.get_absolute_url(),
            reverse("changes:series_list"), series.get_absolute_url(), reverse("changes:meeting_list"),
            meeting.get_absolute_url(), reverse("changes:calendar_feed")]
    for client in (ivan, vic):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
    page = ivan.get(change.get_absolute_url()).content.decode()
    assert 'data-testid="recompute-button"' in page and 'data-testid="transition-awaiting_approval"' in page
    page = vic.get(change.get_absolute_url()).content.decode()
    assert "recompute-button" not in page and "transition-" not in page and "approve-marketing" not in page
    assert 'data-testid="nav-changes"' in page


def test_editor_forms_render_and_viewer_gets_403(people, stack, ivan, vic, meeting):
    change = draft(people, stack)
    event = CalendarEventFactory()
    forms = [reverse("changes:change_add"), reverse("changes:change_edit", args=[change.pk]),
             reverse("changes:change_delete", args=[change.pk]), reverse("changes:event_add"),
             reverse("changes:event_edit", args=[event.pk]), reverse("changes:event_delete", args=[event.pk]),
             reverse("changes:series_add"), reverse("changes:meeting_add"),
             reverse("changes:meeting_edit", args=[meeting.pk])]
    for url in forms:
        assert ivan.get(url).status_code == 200, url
        assert vic.get(url).status_code == 403, url


def test_anonymous_is_sent_to_login(db):
    response = Client().get(reverse("changes:change_list"))
    assert response.status_code == 302 and "login" in response["Location"]


# Filing a change ------------------------------------------------------------------------------

def test_editor_files_a_draft_through_the_form(people, stack, ivan):
    response = ivan.post(reverse("changes:change_add"), form_data(stack))
    assert response.status_code == 302, response.content.decode()[-3000:]
    change = ChangeRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == change.get_absolute_url()
    assert change.status == "draft" and change.requester == people["ivan"].person
    assert list(change.components.all()) == [stack["crm"]]
    page = ivan.get(change.get_absolute_url()).content.decode()
    assert 'data-testid="impacted-automation"' in page and 'data-testid="impacted-web-forms"' in page
    assert 'data-testid="submit-form"' in page


def test_viewer_cannot_file_a_change(people, stack, vic):
    response = vic.post(reverse("changes:change_add"), form_data(stack))
    assert response.status_code == 403
    assert not ChangeRequest.objects.exists()


def test_bad_input_shows_field_messages_and_writes_nothing(people, stack, ivan):
    before = AuditEntry.objects.count()
    response = ivan.post(reverse("changes:change_add"), form_data(
        stack, components=[], window_end=at(7, 9).strftime(LOCAL), rollback_plan=""))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="form-errors"' in page
    assert "Name at least one component the change touches." in page or "This field is required." in page
    assert not ChangeRequest.objects.exists()
    # the components are there, but the window is backwards and the rollback plan is missing
    response = ivan.post(reverse("changes:change_add"), form_data(
        stack, window_end=at(7, 9).strftime(LOCAL), rollback_plan=""))
    page = response.content.decode()
    assert "The window must end after it starts." in page
    assert "Normal and emergency changes need a rollback plan." in page
    assert not ChangeRequest.objects.exists()
    assert AuditEntry.objects.count() == before


def test_edit_keeps_the_change_and_refuses_a_stale_version(people, stack, ivan):
    change = draft(people, stack)
    url = reverse("changes:change_edit", args=[change.pk])
    stale = form_data(stack, title="Renamed", version=str(change.version))
    assert ivan.post(url, form_data(stack, title="First edit", version=str(change.version))).status_code == 302
    response = ivan.post(url, stale)
    assert response.status_code == 409
    assert ChangeRequest.objects.get().title == "First edit"


def test_a_draft_can_be_deleted_but_not_a_submitted_change(people, stack, ivan):
    gone, kept = draft(people, stack), submitted(people, stack, title="Kept")
    assert ivan.post(reverse("changes:change_delete", args=[gone.pk]), {"version": gone.version}).status_code == 302
    response = ivan.post(reverse("changes:change_delete", args=[kept.pk]), {"version": kept.version})
    assert response.status_code == 200 and "Only drafts can be deleted" in response.content.decode()
    assert list(ChangeRequest.objects.values_list("title", flat=True)) == ["Kept"]


# Impact preview -------------------------------------------------------------------------------

def test_impact_preview_lists_impacted_components_and_approvers(people, stack, ivan):
    response = ivan.get(reverse("changes:change_preview"), {
        "components": [stack["crm"].pk], "window_start": at(7, 10).strftime(LOCAL),
        "window_end": at(7, 12).strftime(LOCAL), "type": "normal"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="impacted-automation"' in page and "Marketing automation" in page
    assert 'data-testid="impacted-web-forms"' in page and "Web forms" in page
    assert "CRM <span class=\"arrow\">sends data to</span> Marketing automation" in page
    assert 'data-testid="approver-marketing"' in page and 'data-testid="approver-legal"' in page
    assert 'data-testid="approver-it"' not in page
    assert 'data-testid="personal-data"' in page and 'data-testid="risk-level"' in page
    assert 'data-testid="no-conflicts"' in page
    assert "<html" not in page  # a fragment
    assert not ChangeRequest.objects.exists()


def test_impact_preview_without_window_or_components(people, stack, ivan):
    page = ivan.get(reverse("changes:change_preview"), {"components": [stack["crm"].pk]}).content.decode()
    assert 'data-testid="impacted-automation"' in page and "Give the window" in page
    page = ivan.get(reverse("changes:change_preview")).content.decode()
    assert "Choose the components" in page


def test_impact_preview_shows_conflicts_and_ignores_the_change_itself(people, stack, ivan):
    CalendarEventFactory(name="Spring launch", components=[stack["automation"]], start=at(7, 0), end=at(8, 0))
    change = submitted(people, stack, conflict_justification="Agreed with the campaign team.")
    params = {"components": [stack["crm"].pk], "window_start": at(7, 10).strftime(LOCAL),
              "window_end": at(7, 12).strftime(LOCAL), "type": "normal", "pk": change.pk}
    page = ivan.get(reverse("changes:change_preview"), params).content.decode()
    assert 'data-testid="conflict-event"' in page and "Spring launch" in page
    assert 'data-testid="conflict-change"' not in page  # not in conflict with itself
    params.pop("pk")
    page = ivan.get(reverse("changes:change_preview"), params).content.decode()
    assert 'data-testid="conflict-change"' in page


# Submitting, approvals and workflow ------------------------------------------------------------

def test_submit_with_a_conflict_needs_a_justification(people, stack, ivan):
    CalendarEventFactory(name="Spring launch", components=[stack["automation"]], start=at(7, 0), end=at(8, 0))
    change = draft(people, stack)
    page = ivan.get(change.get_absolute_url()).content.decode()
    assert "Why should it go ahead despite the conflicts?" in page
    url = reverse("changes:change_submit", args=[change.pk])
    response = ivan.post(url, {"version": change.version, "conflict_justification": ""})
    assert response.status_code == 200
    assert "Say why it should go ahead anyway." in response.content.decode()
    assert ChangeRequest.objects.get().status == "draft"
    response = ivan.post(url, {"version": change.version, "conflict_justification": "Launch team agreed."})
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == "submitted" and change.conflict_justification == "Launch team agreed."
    assert set(approvals_of(change)) == {"marketing", "legal"}


def test_the_right_department_decides_its_approval(people, stack, maria, lena):
    change = submitted(people, stack)
    approvals = approvals_of(change)
    page = maria.get(change.get_absolute_url()).content.decode()
    assert 'data-testid="approve-marketing"' in page and 'data-testid="approve-legal"' not in page
    # Marketing may not decide Legal's approval
    response = maria.post(reverse("changes:approval_decide", args=[approvals["legal"].pk]), {"decision": "approved"})
    assert response.status_code == 403
    assert approvals_of(change)["legal"].decision == "pending"
    response = maria.post(reverse("changes:approval_decide", args=[approvals["marketing"].pk]),
                          {"decision": "approved", "comment": "Fine by us."})
    assert response.status_code == 302
    assert approvals_of(change)["marketing"].decision == "approved"
    assert approvals_of(change)["marketing"].decided_by == people["maria"]
    # rejecting needs a reason: nothing is written without one
    response = lena.post(reverse("changes:approval_decide", args=[approvals["legal"].pk]), {"decision": "rejected"})
    assert response.status_code == 200 and "Say why the change is rejected." in response.content.decode()
    assert approvals_of(change)["legal"].decision == "pending"
    lena.post(reverse("changes:approval_decide", args=[approvals["legal"].pk]), {"decision": "approved"})
    change.refresh_from_db()
    assert change.status == "approved"
    assert "Every required department approved." in lena.get(change.get_absolute_url()).content.decode()


def test_viewer_cannot_decide_or_move(people, stack, vic):
    change = submitted(people, stack)
    approval = approvals_of(change)["marketing"]
    assert vic.post(reverse("changes:approval_decide", args=[approval.pk]), {"decision": "approved"}).status_code \
        == 403
    assert vic.post(reverse("changes:change_transition", args=[change.pk]),
                    {"to_status": "awaiting_approval", "version": change.version}).status_code == 403
    assert vic.post(reverse("changes:change_recompute", args=[change.pk])).status_code == 403
    change.refresh_from_db()
    assert change.status == "submitted" and approvals_of(change)["marketing"].decision == "pending"


def test_workflow_through_to_the_review(people, stack, ivan):
    change = submitted(people, stack, type="standard")  # pre-approved
    assert change.status == "approved"
    url = reverse("changes:change_transition", args=[change.pk])
    assert ivan.post(url, {"to_status": "scheduled", "version": change.version}).status_code == 302
    change.refresh_from_db()
    # failing needs a note
    response = ivan.post(url, {"to_status": "failed", "version": change.version, "note": ""})
    assert response.status_code == 200 and "Say what happened." in response.content.decode()
    change.refresh_from_db()
    assert change.status == "scheduled"
    assert ivan.post(url, {"to_status": "implemented", "version": change.version}).status_code == 302
    change.refresh_from_db()
    review_url = reverse("changes:change_review", args=[change.pk])
    response = ivan.post(review_url, {"outcome": "", "version": change.version})
    assert response.status_code == 200 and "Describe the outcome." in response.content.decode()
    response = ivan.post(review_url, {"outcome": "Worked.", "went_well": "Quick.", "went_badly": "",
                                      "version": change.version})
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == "reviewed" and change.outcome == "Worked."
    page = ivan.get(change.get_absolute_url()).content.decode()
    steps = [t.to_status for t in change.transitions.all()]
    assert steps == ["draft", "submitted", "approved", "scheduled", "implemented", "reviewed"]
    assert 'data-testid="timeline"' in page and "to <strong>reviewed</strong>" in page


def test_a_stale_transition_writes_nothing(people, stack, ivan):
    change = submitted(people, stack)
    response = ivan.post(reverse("changes:change_transition", args=[change.pk]),
                         {"to_status": "assessing", "version": change.version - 1})
    assert response.status_code == 409
    change.refresh_from_db()
    assert change.status == "submitted"


def test_recompute_shows_what_changed(people, stack, ivan):
    change = submitted(people, stack)
    crm_page = ComponentFactory(name="Partner portal", slug="partner-portal", tier=3)
    RelationFactory(source=stack["automation"], target=crm_page)
    response = ivan.post(reverse("changes:change_recompute", args=[change.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="recompute-diff"' in page and "Newly affected: Partner portal" in page
    change.refresh_from_db()
    assert "partner-portal" in [c["slug"] for c in change.impact_snapshot["components"]]


# Calendar -------------------------------------------------------------------------------------

def _month_of(when) -> str:
    return when.strftime("%Y-%m")


def test_calendar_month_shows_windows_freezes_events_and_meetings(people, stack, ivan, meeting):
    change = submitted(people, stack)
    freeze = CalendarEventFactory(name="Year-end freeze", kind="freeze", all_components=True,
                                  start=at(20, 0), end=at(21, 0))
    response = ivan.get(reverse("changes:calendar"), {"month": _month_of(change.window_start)})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-testid="cal-change-{change.pk}"' in page
    assert f'data-testid="cal-meeting-{meeting.pk}"' in page or _month_of(meeting.starts_at) != _month_of(
        change.window_start)
    day = change.window_start.strftime("%Y-%m-%d")
    cell = page.split(f'data-testid="day-{day}"', 1)[1].split("</td>", 1)[0]
    assert f"cal-change-{change.pk}" in cell
    page = ivan.get(reverse("changes:calendar"), {"month": _month_of(freeze.start)}).content.decode()
    assert f'data-testid="cal-event-{freeze.pk}"' in page
    # navigation and a bad month falls back to this month
    assert ivan.get(reverse("changes:calendar"), {"month": "2026-13"}).status_code == 200
    page = ivan.get(reverse("changes:calendar"), {"month": "2026-01"}).content.decode()
    assert "?month=2025-12" in page and "?month=2026-02" in page


def test_calendar_month_runs_a_constant_number_of_queries(people, stack, ivan, django_assert_max_num_queries):
    month = {"month": _month_of(at(7))}
    ivan.get(reverse("changes:calendar"), month)  # warm the session and role caches
    for i in range(8):
        ChangeRequestFactory(title=f"Change {i}", components=[stack["crm"], stack["forms"]],
                             window_start=at(7, 10), window_end=at(7, 12), risk="medium")
        CalendarEventFactory(components=[stack["crm"]])
        Meeting.objects.create(title=f"Meeting {i}", starts_at=at(7, 8 + i), ends_at=at(7, 9 + i))
    with django_assert_max_num_queries(10):
        response = ivan.get(reverse("changes:calendar"), month)
    assert response.content.decode().count('data-testid="cal-change-') >= 8


# Lists ----------------------------------------------------------------------------------------

def test_change_list_filters_and_shows_risk(people, stack, ivan):
    risky = submitted(people, stack)
    quiet = ChangeRequestFactory(title="Tidy tags", components=[stack["forms"]], risk="low", status="draft")
    page = ivan.get(reverse("changes:change_list")).content.decode()
    assert f'data-testid="change-row-{risky.pk}"' in page and f'data-testid="change-row-{quiet.pk}"' in page
    assert 'data-testid="risk-badge"' in page
    page = ivan.get(reverse("changes:change_list"), {"risk": risky.risk}).content.decode()
    assert f"change-row-{risky.pk}" in page and f"change-row-{quiet.pk}" not in page
    page = ivan.get(reverse("changes:change_list"), {"component": "web-forms"}).content.decode()
    assert f"change-row-{quiet.pk}" in page and f"change-row-{risky.pk}" not in page
    page = ivan.get(reverse("changes:change_list"), {"status": "draft"}).content.decode()
    assert f"change-row-{quiet.pk}" in page and f"change-row-{risky.pk}" not in page
    page = ivan.get(reverse("changes:change_list"), {"type": "emergency"}).content.decode()
    assert "change-row-" not in page


@pytest.mark.parametrize("url_name", ["changes:change_list", "changes:event_list", "changes:meeting_list",
                                      "changes:series_list"])
def test_lists_run_a_constant_number_of_queries(people, stack, ivan, url_name, django_assert_max_num_queries):
    ivan.get(reverse(url_name))
    for i in range(12):
        ChangeRequestFactory(components=[stack["crm"], stack["automation"]], risk="high")
        CalendarEventFactory(components=[stack["crm"], stack["forms"]])
        series = MeetingSeries.objects.create(name=f"Series {i}", weekday=1, time=datetime.time(10),
                                              starts_on=datetime.date.today())
        Meeting.objects.create(series=series, title=f"Meeting {i}", starts_at=at(i + 1), ends_at=at(i + 1, 11))
    with django_assert_max_num_queries(12):
        response = ivan.get(reverse(url_name))
    assert response.status_code == 200


# Calendar events ------------------------------------------------------------------------------

def test_event_form_with_components_or_all_and_delete(people, stack, ivan):
    data = {"name": "Spring launch", "kind": "campaign_launch", "start": at(10, 0).strftime(LOCAL),
            "end": at(11, 0).strftime(LOCAL), "components": [str(stack["automation"].pk)], "description": ""}
    assert ivan.post(reverse("changes:event_add"), data).status_code == 302
    event = CalendarEvent.objects.get()
    assert list(event.components.all()) == [stack["automation"]] and not event.all_components
    response = ivan.post(reverse("changes:event_add"), {**data, "name": "Backwards", "end": at(9).strftime(LOCAL)})
    assert response.status_code == 200 and "The event must end after it starts." in response.content.decode()
    assert CalendarEvent.objects.count() == 1
    edit = {**data, "kind": "freeze", "all_components": "on", "components": [], "version": event.version}
    assert ivan.post(reverse("changes:event_edit", args=[event.pk]), edit).status_code == 302
    event.refresh_from_db()
    assert event.is_freeze and event.all_components
    page = ivan.get(event.get_absolute_url()).content.decode()
    assert "Every component" in page
    assert ivan.post(reverse("changes:event_delete", args=[event.pk]), {"version": event.version}).status_code == 302
    assert not CalendarEvent.objects.exists()


# Meetings -------------------------------------------------------------------------------------

def test_series_form_schedules_meetings(people, ivan):
    response = ivan.post(reverse("changes:series_add"), {
        "name": "Weekly change review", "weekday": "1", "time": "10:00", "duration_minutes": "60",
        "every_weeks": "1", "timezone": "Europe/Berlin", "starts_on": datetime.date.today().isoformat(),
        "ends_on": "", "location": "Room 4", "active": "on"})
    assert response.status_code == 302
    series = MeetingSeries.objects.get()
    assert series.meetings.count() >= 12
    response = ivan.post(reverse("changes:series_add"), {
        "name": "Bad", "weekday": "1", "time": "10:00", "duration_minutes": "60", "every_weeks": "1",
        "timezone": "Mars/Olympus", "starts_on": datetime.date.today().isoformat(), "active": "on"})
    assert response.status_code == 200 and "is not a time zone" in response.content.decode()
    assert MeetingSeries.objects.count() == 1


def test_meeting_page_shows_agenda_and_its_decisions_update_approvals(people, stack, ivan, maria, lena, meeting):
    change = submitted(people, stack)
    page = maria.get(meeting.get_absolute_url()).content.decode()
    assert f'data-testid="agenda-change-{change.pk}"' in page
    assert 'data-testid="agenda-impact"' in page and "Impacts <strong>2</strong> other components" in page
    assert f'data-testid="approve-{change.pk}-marketing"' in page
    assert f'data-testid="approve-{change.pk}-legal"' not in page  # Legal decides for Legal
    assert 'data-testid="invitee-marketing"' in page and 'data-testid="invitee-legal"' in page
    departments = {slug: a.department_id for slug, a in approvals_of(change).items()}
    url = reverse("changes:meeting_decide", args=[meeting.pk])
    response = maria.post(url, {"change": change.pk, "department": departments["marketing"], "decision": "approve",
                                "comment": "OK for the campaign."})
    assert response.status_code == 302
    assert approvals_of(change)["marketing"].decision == "approved"
    assert approvals_of(change)["marketing"].meeting == meeting
    # Marketing cannot decide for Legal
    with pytest.raises(PermissionDenied):
        meetings.meeting_decide(meeting, change, actor=people["maria"], decision="approve",
                                department=approvals_of(change)["legal"].department)
    response = lena.post(url, {"change": change.pk, "department": departments["legal"], "decision": "approve"})
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == "approved"
    assert MeetingDecision.objects.filter(meeting=meeting, change=change, decision="approve").count() == 2
    page = ivan.get(meeting.get_absolute_url()).content.decode()
    assert 'data-testid="meeting-decisions"' in page and "OK for the campaign." in page


def test_meeting_page_queries_do_not_grow_with_the_agenda(people, stack, maria, meeting):
    def count() -> int:
        maria.get(meeting.get_absolute_url())
        with CaptureQueriesContext(connection) as queries:
            assert maria.get(meeting.get_absolute_url()).status_code == 200
        return len(queries)

    submitted(people, stack, conflict_justification="Agreed.")
    one = count()
    for i in range(4):
        submitted(people, stack, title=f"Change {i}", conflict_justification="Agreed.")
    assert count() == one


def test_meeting_defer_needs_a_comment_and_leaves_the_change(people, stack, maria, vic, meeting):
    change = submitted(people, stack)
    marketing = approvals_of(change)["marketing"].department_id
    url = reverse("changes:meeting_decide", args=[meeting.pk])
    response = maria.post(url, {"change": change.pk, "department": marketing, "decision": "defer", "comment": ""})
    assert response.status_code == 200 and "Say what is needed first." in response.content.decode()
    assert not MeetingDecision.objects.exists()
    response = vic.post(url, {"change": change.pk, "decision": "defer", "comment": "Need the export first."})
    assert response.status_code == 403
    assert not MeetingDecision.objects.exists()
    response = maria.post(url, {"change": change.pk, "decision": "defer", "comment": "Need the export first."})
    assert response.status_code == 302
    assert MeetingDecision.objects.get().decision == "defer"
    change.refresh_from_db()
    assert change.status == "submitted" and approvals_of(change)["marketing"].decision == "pending"


def test_meeting_decide_refuses_a_viewer_in_the_service(people, stack, meeting):
    change = submitted(people, stack)
    with pytest.raises(PermissionDenied):
        meetings.meeting_decide(meeting, change, actor=people["vic"], decision="defer", comment="Wait.")
    assert not MeetingDecision.objects.exists()


def test_minutes_record_attendees_and_notes(people, ivan, vic, meeting):
    url = reverse("changes:meeting_minutes", args=[meeting.pk])
    data = {"attendees": [people["maria"].person.pk, people["lena"].person.pk], "notes": "Went through 3 changes.",
            "status": "held", "version": meeting.version}
    assert vic.post(url, data).status_code == 403
    response = ivan.post(url, data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.notes == "Went through 3 changes."
    assert set(meeting.attendees.values_list("name", flat=True)) == {"Maria", "Lena"}
    response = ivan.post(url, {**data, "notes": "Stale", "version": 1})
    assert response.status_code == 409
    meeting.refresh_from_db()
    assert meeting.notes == "Went through 3 changes."


# Calendar feed --------------------------------------------------------------------------------

def test_calendar_feed_key_is_shown_once_and_the_ics_needs_no_session(people, stack, ivan):
    change = submitted(people, stack)
    response = ivan.post(reverse("changes:calendar_feed"))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    url = re.search(r'data-testid="feed-url">([^<]+)<', response.content.decode()).group(1)
    assert url.startswith("http://testserver/changes/calendar/cal_") and url.endswith(".ics")
    assert "feed-url" not in ivan.get(reverse("changes:calendar_feed")).content.decode()
    path = url.removeprefix("http://testserver")
    response = Client().get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    summaries = [str(e.get("summary")) for e in cal.walk("VEVENT")]
    assert f"Change window: {change}" in summaries
    assert Client().get(reverse("changes:calendar_ics", args=["cal_unknown"])).status_code == 404
    ivan.post(reverse("changes:calendar_feed"))  # a new key: the old address stops working
    assert Client().get(path).status_code == 404
