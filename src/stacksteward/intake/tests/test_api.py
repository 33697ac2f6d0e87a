"""The intake API end to end: token client → handler → service → database, audit, notifications, errors.

Roles (see conftest): ``marketer`` (Marketing viewer with a person record) files requests and asks;
``it_editor`` (IT editor) answers and plans requests IT delivers; ``other_editor`` is an editor in
Marketing, outside the delivering department; ``admin_user`` may do everything.
"""

import datetime

import pytest

from stacksteward.catalog.tests.factories import ComponentFactory
from stacksteward.core import questions as qa
from stacksteward.core.models import Notification, Transition
from stacksteward.core.roles import set_role
from stacksteward.core.tests.api_helpers import assert_constant_queries, audit_entries, error_fields
from stacksteward.intake import services
from stacksteward.intake.models import (
    BacklogItem,
    Capability,
    Iteration,
    Milestone,
    Request,
    Roadmap,
    ScheduleChange,
)
from stacksteward.org.tests.factories import PersonFactory, UserFactory

from .factories import (
    BacklogItemFactory,
    CapabilityFactory,
    IterationFactory,
    MilestoneFactory,
    RequestFactory,
    RoadmapFactory,
    in_days,
)

pytestmark = pytest.mark.django_db


# Helpers ---------------------------------------------------------------------------------------


def iso(day: datetime.date) -> str:
    return day.isoformat()


def request_body(**overrides) -> dict:
    body = {
        "title": "Spring campaign landing page",
        "objective": "Visitors from the spring campaign can book a demo.",
        "why": "Paid traffic lands on the home page and bounces; we lose demo requests.",
        "lost_cost_amount": "2000.00",
        "needed_by": iso(in_days(60)),
        "capability": "new-landing-page",
        "success_kpis": "+10 % demo requests",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not ...}


@pytest.fixture
def marketer_api(marketer, api_as):
    return api_as(marketer)


@pytest.fixture
def it_api(it_editor, api_as):
    return api_as(it_editor)


@pytest.fixture
def other_api(other_editor, api_as):
    return api_as(other_editor)


@pytest.fixture
def request_obj_api(request, api_as):
    """``request_obj_api("it_editor")``: a token client for the user fixture of that name."""
    return lambda name: api_as(request.getfixturevalue(name))


@pytest.fixture
def filed(marketer, capability):
    """A request the marketer filed, for IT to deliver (through the service, as the UI would)."""
    request, _check = services.request_file(actor=marketer, data={
        "title": "Webinar sign-up page", "objective": "People can sign up for the June webinar.",
        "why": "Sign-ups go through email today and get lost.", "lost_cost_amount": 800,
        "needed_by": in_days(60), "capability": capability,
    })
    return request


def respond(request, actor, **data) -> Request:
    data = {"feasibility": "feasible", "approach": "A page on the CMS with the webinar form.", **data}
    return services.request_respond(request, actor=actor, data=data, expected_version=None)


def planned(request, actor, when=None) -> Request:
    request = respond(request, actor)
    request = services.request_transition(request, actor=actor, to_status="accepted")
    return services.request_transition(request, actor=actor, to_status="planned",
                                       planned_delivery=when or in_days(40))


def inbox(api, **params) -> list[dict]:
    response = api.get("/api/notifications", params)
    assert response.status_code == 200, response.json()
    return response.json()["items"]


# Capabilities ----------------------------------------------------------------------------------


def test_create_capability_as_editor_201_audited_from_api(it_editor, it_api, it_department):
    response = it_api.post_json("/api/capabilities", {
        "name": "New integration", "department": "it", "lead_time_days": 20, "offering": "partial",
        "can_do": "Connect tools with a public API.", "cannot_do": "Screen scraping."})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["slug"] == "new-integration" and body["department"] == {"slug": "it", "name": "IT"}
    assert (body["lead_time_days"], body["offering"], body["version"]) == (20, "partial", 1)
    capability = Capability.objects.get(slug="new-integration")
    entry = audit_entries(Capability, capability.pk).get()
    assert (entry.action, entry.source, entry.actor) == ("create", "api", it_editor)


def test_create_capability_as_viewer_403_nothing_written(marketer_api, it_department):
    response = marketer_api.post_json("/api/capabilities", {"name": "X", "department": "it", "lead_time_days": 5})
    assert response.status_code == 403
    assert not Capability.objects.exists() and not audit_entries(Capability).exists()


def test_create_capability_bad_input_422_names_fields(it_api, it_department):
    response = it_api.post_json("/api/capabilities", {"name": "X", "department": "nope", "lead_time_days": 0})
    assert response.status_code == 422
    assert set(error_fields(response)) == {"lead_time_days"}  # schema errors come first
    response = it_api.post_json("/api/capabilities", {"name": "X", "department": "nope", "lead_time_days": 3})
    assert response.status_code == 422
    assert error_fields(response) == ["department"]
    assert not Capability.objects.exists()


def test_patch_capability_only_offering_department_editors(capability, it_api, other_api, admin_api):
    refused = other_api.patch_json(f"/api/capabilities/{capability.slug}", {"version": 1, "lead_time_days": 5})
    assert refused.status_code == 403
    capability.refresh_from_db()
    assert (capability.lead_time_days, capability.version) == (15, 1)
    ok = it_api.patch_json(f"/api/capabilities/{capability.slug}", {"version": 1, "lead_time_days": 12})
    assert ok.status_code == 200, ok.json()
    assert ok.json()["lead_time_days"] == 12 and ok.json()["version"] == 2
    by_admin = admin_api.patch_json(f"/api/capabilities/{capability.slug}", {"version": 2, "active": False})
    assert by_admin.status_code == 200 and by_admin.json()["active"] is False


def test_patch_capability_stale_version_409_nothing_written(capability, it_api):
    Capability.objects.filter(pk=capability.pk).update(version=4)
    response = it_api.patch_json(f"/api/capabilities/{capability.slug}", {"version": 2, "lead_time_days": 3})
    assert response.status_code == 409 and response.json()["current_version"] == 4
    capability.refresh_from_db()
    assert capability.lead_time_days == 15
    assert not audit_entries(Capability, capability.pk).exists()


def test_delete_capability_in_use_422_then_unused_204(capability, filed, it_api):
    response = it_api.delete(f"/api/capabilities/{capability.slug}")
    assert response.status_code == 422
    assert Capability.objects.filter(pk=capability.pk).exists()
    unused = CapabilityFactory(department=capability.department)
    assert it_api.delete(f"/api/capabilities/{unused.slug}").status_code == 204
    assert not Capability.objects.filter(pk=unused.pk).exists()


def test_list_capabilities_filters_and_constant_queries(it_api, it_department, django_assert_max_num_queries):
    assert_constant_queries(it_api, "/api/capabilities?department=it",
                            lambda: CapabilityFactory(department=it_department), django_assert_max_num_queries)
    CapabilityFactory(active=False)
    body = it_api.get("/api/capabilities?active=false").json()
    assert body["count"] == 1 and body["items"][0]["active"] is False


# Filing requests -------------------------------------------------------------------------------


def test_file_request_as_marketer_201_with_lead_time_defaults_and_audit(marketer, marketer_api, it_editor, it_api,
                                                                       capability):
    component = ComponentFactory(slug="website")
    response = marketer_api.post_json("/api/requests", request_body(components=["website"]))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "submitted" and body["version"] == 1
    assert body["requester"]["email"] == "marketer@example.com"  # defaults to the caller's person
    assert body["delivering_department"] == {"slug": "it", "name": "IT"}  # from the capability
    assert body["capability"] == {"slug": "new-landing-page", "name": "New landing page", "lead_time_days": 15}
    assert body["components"] == [{"slug": "website", "name": component.name}]
    assert body["weekly_lost_cost"] == "2000.00" and body["open_questions"] == 0
    assert body["next_steps"] == ["withdrawn"] and body["can_respond"] is False and body["watching"] is True
    lead = body["lead_time"]
    assert lead["ok"] is True and lead["warnings"] == [] and lead["standard_days"] == 15
    assert lead["working_days_available"] >= 40 and lead["needed_by"] == request_body()["needed_by"]

    filed = Request.objects.get(pk=body["id"])
    assert filed.requester.user == marketer and list(filed.watchers.all()) == [marketer]
    assert list(filed.transitions.values_list("from_status", "to_status")) == [("", "submitted")]
    entry = audit_entries(Request, filed.pk).get()
    assert (entry.action, entry.source, entry.actor) == ("create", "api", marketer)
    # the delivering department hears about it
    assert [n["title"] for n in inbox(it_api)] == [f"New request for IT: {filed.title}"]
    assert inbox(marketer_api) == []


def test_file_request_needed_too_soon_warns_with_the_numbers(marketer_api, capability):
    needed_by = in_days(7)
    response = marketer_api.post_json("/api/requests", request_body(needed_by=iso(needed_by)))
    assert response.status_code == 201, response.json()
    lead = response.json()["lead_time"]
    assert lead["ok"] is False and lead["standard_days"] == 15 and lead["working_days_available"] <= 6
    assert len(lead["warnings"]) == 1
    assert "15 working days" in lead["warnings"][0] and needed_by.isoformat() in lead["warnings"][0]
    assert Request.objects.filter(pk=response.json()["id"]).exists()  # a warning, not a refusal


def test_file_request_warns_against_observed_median_once_history_exists(marketer_api, capability):
    today = datetime.date.today()
    for _ in range(3):  # three delivered requests that each took about 60 working days
        done = RequestFactory(capability=capability, status="delivered", delivered_on=today)
        Request.objects.filter(pk=done.pk).update(created_at=done.created_at - datetime.timedelta(days=84))
    response = marketer_api.post_json("/api/requests", request_body(needed_by=iso(in_days(42))))
    assert response.status_code == 201, response.json()
    lead = response.json()["lead_time"]
    assert lead["history_count"] == 3 and lead["observed_median_days"] == 60
    assert len(lead["warnings"]) == 1  # 30 working days beat the standard 15, not the observed 60
    assert "median of 60 working days" in lead["warnings"][0]
    same = marketer_api.get(f"/api/requests/{response.json()['id']}/lead-time").json()
    assert same == lead


@pytest.mark.parametrize(("change", "field"), [
    ({"why": ...}, "why"),
    ({"why": "   "}, "why"),
    ({"needed_by": iso(in_days(-1))}, "needed_by"),
    ({"lost_cost_amount": "-5"}, "lost_cost_amount"),
    ({"lost_cost_amount": None}, "lost_cost_amount"),  # neither an amount nor a reason
    ({"capability": "no-such-thing"}, "capability"),
    ({"components": ["no-such-component"]}, "components"),
    ({"requester": "nobody@example.com"}, "requester"),
    ({"priority": 3}, "priority"),
], ids=["missing-why", "blank-why", "needed-by-past", "negative-cost", "no-cost", "capability", "components",
        "requester", "unknown-field"])
def test_file_request_bad_input_422_names_field_nothing_written(change, field, marketer_api, capability):
    response = marketer_api.post_json("/api/requests", request_body(**change))
    assert response.status_code == 422
    assert error_fields(response) == [field]
    assert response.json()["detail"]
    assert not Request.objects.exists()
    assert not audit_entries(Request).exists() and not Notification.objects.exists()


def test_file_request_for_inactive_capability_422(marketer_api, capability):
    Capability.objects.filter(pk=capability.pk).update(active=False)
    response = marketer_api.post_json("/api/requests", request_body())
    assert response.status_code == 422 and error_fields(response) == ["capability"]


def test_file_request_without_own_person_must_name_requester(admin_api, marketer, capability):
    response = admin_api.post_json("/api/requests", request_body())
    assert response.status_code == 422 and error_fields(response) == ["requester"]
    response = admin_api.post_json("/api/requests", request_body(requester="MARKETER@example.com"))
    assert response.status_code == 201
    assert response.json()["requester"]["email"] == "marketer@example.com"


# Reading requests ------------------------------------------------------------------------------


def test_list_requests_constant_queries(marketer_api, marketer, django_assert_max_num_queries):
    def make():
        request = RequestFactory(requester=PersonFactory())
        request.components.add(ComponentFactory())
        qa.question_ask(actor=marketer, target=request, text="When?",
                        addressed_department=request.capability.department)

    assert_constant_queries(marketer_api, "/api/requests?open=true", make, django_assert_max_num_queries)


def test_list_requests_shows_open_questions_and_filters(marketer, marketer_api, filed, it_department):
    question = qa.question_ask(actor=marketer, target=filed, text="Can it reuse the old form?",
                               addressed_department=it_department)
    qa.question_ask(actor=marketer, target=filed, text="Who hosts it?", addressed_department=it_department)
    qa.question_close(question, actor=marketer)
    RequestFactory(status="declined", decline_reason="Out of scope")
    body = marketer_api.get("/api/requests?open=true&capability=new-landing-page").json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == filed.pk and body["items"][0]["open_questions"] == 1
    assert marketer_api.get("/api/requests?status=declined").json()["count"] == 1
    bad = marketer_api.get("/api/requests?status=lost")
    assert bad.status_code == 422 and error_fields(bad) == ["status"]


def test_next_steps_and_can_respond_per_role(filed, marketer_api, it_api, other_api, admin_api):
    def seen(api):
        body = api.get(f"/api/requests/{filed.pk}").json()
        return body["next_steps"], body["can_respond"]

    assert seen(marketer_api) == (["withdrawn"], False)
    assert seen(it_api) == (["clarifying", "accepted", "declined"], True)
    assert seen(other_api) == ([], False)
    assert seen(admin_api) == (["clarifying", "accepted", "declined", "withdrawn"], True)
    assert marketer_api.get("/api/requests/999999").status_code == 404


# Changing requests -----------------------------------------------------------------------------


def test_patch_request_by_requester_200_audited(marketer, marketer_api, filed):
    response = marketer_api.patch_json(f"/api/requests/{filed.pk}", {
        "version": filed.version, "why": "We lose 40 sign-ups a week.", "components": [ComponentFactory().slug]})
    assert response.status_code == 200, response.json()
    filed.refresh_from_db()
    assert filed.why == "We lose 40 sign-ups a week." and filed.version == 2 and filed.components.count() == 1
    entry = audit_entries(Request, filed.pk).get(action="update")
    assert (entry.source, entry.actor, entry.after["why"]) == ("api", marketer, filed.why)


def test_patch_request_by_other_editor_403_nothing_written(other_api, filed):
    response = other_api.patch_json(f"/api/requests/{filed.pk}", {"version": 1, "title": "Hijacked"})
    assert response.status_code == 403
    filed.refresh_from_db()
    assert filed.title == "Webinar sign-up page" and filed.version == 1


def test_patch_request_stale_version_409_nothing_written(marketer_api, filed):
    Request.objects.filter(pk=filed.pk).update(version=3)
    response = marketer_api.patch_json(f"/api/requests/{filed.pk}", {"version": 1, "title": "Renamed"})
    assert response.status_code == 409 and response.json()["current_version"] == 3
    filed.refresh_from_db()
    assert filed.title == "Webinar sign-up page"
    assert not audit_entries(Request, filed.pk).filter(action="update").exists()


@pytest.mark.parametrize(("change", "field"), [
    ({"needed_by": iso(in_days(-3))}, "needed_by"),
    ({"needed_by": None}, "needed_by"),
    ({"why": ""}, "why"),
    ({"lost_cost_amount": "-1"}, "lost_cost_amount"),
], ids=["past", "cleared-needed-by", "blank-why", "negative-cost"])
def test_patch_request_bad_input_422_nothing_written(change, field, marketer_api, filed):
    response = marketer_api.patch_json(f"/api/requests/{filed.pk}", {"version": 1, **change})
    assert response.status_code == 422 and set(error_fields(response)) == {field}
    filed.refresh_from_db()
    assert filed.version == 1 and filed.why == "Sign-ups go through email today and get lost."


def test_delete_request_admin_only(filed, marketer_api, it_api, admin_api):
    assert marketer_api.delete(f"/api/requests/{filed.pk}").status_code == 403
    assert it_api.delete(f"/api/requests/{filed.pk}").status_code == 403
    assert admin_api.delete(f"/api/requests/{filed.pk}?version=7").status_code == 409
    assert Request.objects.filter(pk=filed.pk).exists()
    assert admin_api.delete(f"/api/requests/{filed.pk}?version=1").status_code == 204
    assert not Request.objects.filter(pk=filed.pk).exists()


# The delivering side's answer ------------------------------------------------------------------

ANSWER = {"feasibility": "partly", "approach": "A CMS page; the form posts to the CRM.",
          "constraints": "No payment step.", "estimate_days": "3.5", "estimate_cost": "1200"}


@pytest.mark.parametrize("who", ["marketer", "other_editor"])
def test_respond_outside_delivering_department_403_nothing_written(who, request_obj_api, filed):
    response = request_obj_api(who).post_json(f"/api/requests/{filed.pk}/response", {"version": 1, **ANSWER})
    assert response.status_code == 403
    filed.refresh_from_db()
    assert (filed.feasibility, filed.approach, filed.version) == ("", "", 1)


@pytest.mark.parametrize("who", ["it_editor", "admin_user"])
def test_respond_by_delivering_editor_or_admin_200_requester_told(who, request_obj_api, marketer_api, filed):
    response = request_obj_api(who).post_json(f"/api/requests/{filed.pk}/response", {"version": 1, **ANSWER})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["feasibility"], body["estimate_days"], body["estimate_cost"]) == ("partly", "3.5", "1200.00")
    assert body["version"] == 2 and body["responded_at"]
    filed.refresh_from_db()
    assert filed.constraints == "No payment step."
    assert filed.responder == (filed.delivering_department.people.get() if who == "it_editor" else None)
    assert audit_entries(Request, filed.pk).filter(action="update", source="api").count() == 1
    assert [n["kind"] for n in inbox(marketer_api)] == ["response_given"]


@pytest.mark.parametrize(("change", "field"), [
    ({"feasibility": "not_feasible", "constraints": ""}, "constraints"),
    ({"approach": ""}, "approach"),
    ({"estimate_cost": "-10"}, "estimate_cost"),
    ({"feasibility": "maybe"}, "feasibility"),
], ids=["no-constraints", "no-approach", "negative-estimate", "bad-choice"])
def test_respond_bad_input_422_nothing_written(change, field, it_api, filed):
    response = it_api.post_json(f"/api/requests/{filed.pk}/response", {"version": 1, **ANSWER, **change})
    assert response.status_code == 422 and error_fields(response) == [field]
    filed.refresh_from_db()
    assert (filed.feasibility, filed.version) == ("", 1)
    assert not Notification.objects.filter(kind="response_given").exists()


def test_respond_stale_or_missing_version(it_api, filed):
    Request.objects.filter(pk=filed.pk).update(version=2)
    stale = it_api.post_json(f"/api/requests/{filed.pk}/response", {"version": 1, **ANSWER})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    missing = it_api.post_json(f"/api/requests/{filed.pk}/response", ANSWER)
    assert missing.status_code == 422 and error_fields(missing) == ["version"]
    filed.refresh_from_db()
    assert filed.feasibility == ""


# Workflow --------------------------------------------------------------------------------------


def test_full_workflow_through_the_api(filed, it_api, marketer_api, marketer):
    url = f"/api/requests/{filed.pk}"
    assert it_api.post_json(f"{url}/response", {"version": 1, **ANSWER}).status_code == 200
    steps = [("accepted", {}), ("planned", {"planned_delivery": iso(in_days(30))}), ("in_progress", {}),
             ("delivered", {})]
    version = 2
    for to, extra in steps:
        response = it_api.post_json(f"{url}/transitions", {"to": to, "version": version, **extra})
        assert response.status_code == 200, (to, response.json())
        version = response.json()["version"]
        assert response.json()["status"] == to
    measured = marketer_api.post_json(f"{url}/transitions", {"to": "measured", "version": version,
                                                             "note": "+12 % sign-ups"})
    assert measured.status_code == 200, measured.json()
    filed.refresh_from_db()
    assert (filed.status, filed.measured_outcome, filed.delivered_on) == ("measured", "+12 % sign-ups",
                                                                          datetime.date.today())
    assert list(filed.transitions.values_list("to_status", flat=True)) == [
        "submitted", "accepted", "planned", "in_progress", "delivered", "measured"]
    assert measured.json()["next_steps"] == []
    # the requester heard about each step the delivering side took
    assert sum(n["kind"] == "status_changed" for n in inbox(marketer_api)) == 4


def test_transition_not_allowed_from_current_status_422_names_to(it_api, filed):
    response = it_api.post_json(f"/api/requests/{filed.pk}/transitions", {"to": "delivered", "version": 1})
    assert response.status_code == 422
    assert error_fields(response) == ["to"]
    assert "cannot move to" in response.json()["errors"][0]["message"]
    filed.refresh_from_db()
    assert (filed.status, filed.version) == ("submitted", 1)
    assert Transition.objects.about(filed).count() == 1
    unknown = it_api.post_json(f"/api/requests/{filed.pk}/transitions", {"to": "done", "version": 1})
    assert unknown.status_code == 422 and error_fields(unknown) == ["to"]


def test_transition_by_marketer_to_delivering_step_403(marketer_api, filed):
    response = marketer_api.post_json(f"/api/requests/{filed.pk}/transitions", {"to": "accepted", "version": 1})
    assert response.status_code == 403
    filed.refresh_from_db()
    assert filed.status == "submitted"


def test_requester_may_withdraw(marketer_api, filed):
    response = marketer_api.post_json(f"/api/requests/{filed.pk}/transitions", {"to": "withdrawn", "version": 1})
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"


def test_plan_needs_answer_and_date_decline_needs_reason(it_api, it_editor, filed):
    url = f"/api/requests/{filed.pk}/transitions"
    services.request_transition(filed, actor=it_editor, to_status="accepted")
    unanswered = it_api.post_json(url, {"to": "planned", "version": 2})
    assert unanswered.status_code == 422
    assert set(error_fields(unanswered)) == {"to", "planned_delivery"}
    declined = it_api.post_json(url, {"to": "declined", "version": 2, "note": " "})
    assert declined.status_code == 422 and error_fields(declined) == ["note"]
    filed.refresh_from_db()
    assert (filed.status, filed.version) == ("accepted", 2)
    ok = it_api.post_json(url, {"to": "declined", "version": 2, "note": "Covered by the new CMS."})
    assert ok.status_code == 200 and ok.json()["decline_reason"] == "Covered by the new CMS."


def test_transition_stale_version_409_nothing_written(it_api, filed):
    response = it_api.post_json(f"/api/requests/{filed.pk}/transitions", {"to": "accepted", "version": 5})
    assert response.status_code == 409 and response.json()["current_version"] == 1
    filed.refresh_from_db()
    assert filed.status == "submitted"


# Reschedule, watch, timeline -------------------------------------------------------------------


def test_reschedule_notifies_everyone_affected(filed, it_editor, it_api, marketer_api, api_as):
    owner, watcher = UserFactory(username="owner"), UserFactory(username="watcher")
    for user in (owner, watcher):
        set_role(user, "viewer")
    filed.components.add(ComponentFactory(business_owner=PersonFactory(user=owner)))
    owner_api, watcher_api = api_as(owner), api_as(watcher)
    assert watcher_api.post_json(f"/api/requests/{filed.pk}/watch").status_code == 204
    assert watcher_api.get(f"/api/requests/{filed.pk}").json()["watching"] is True

    filed = planned(filed, it_editor, when=in_days(20))
    Notification.objects.all().delete()
    new_date = in_days(35)
    response = it_api.post_json(f"/api/requests/{filed.pk}/reschedule", {
        "planned_delivery": iso(new_date), "reason": "The CMS upgrade slipped a week.", "version": filed.version})
    assert response.status_code == 200, response.json()
    assert response.json()["planned_delivery"] == iso(new_date)
    change = ScheduleChange.objects.get(request=filed)
    assert (change.old_date, change.new_date, change.reason) == (in_days(20), new_date,
                                                                  "The CMS upgrade slipped a week.")
    assert change.notified_count == 3  # requester, component owner, watcher (not the actor)
    for api in (marketer_api, owner_api, watcher_api):
        [note] = inbox(api, unread="true")
        assert note["kind"] == "schedule_changed" and note["body"] == "The CMS upgrade slipped a week."
        assert note["target_type"] == "intake.request" and note["target_id"] == str(filed.pk)
    assert inbox(it_api) == []

    listed = marketer_api.get(f"/api/schedule-changes?request={filed.pk}").json()
    assert listed["count"] == 1
    row = listed["items"][0]
    assert (row["subject_type"], row["subject_id"], row["subject_label"]) == ("request", filed.pk, str(filed))
    assert (row["field"], row["new_date"], row["notified_count"]) == ("planned_delivery", iso(new_date), 3)

    assert watcher_api.delete(f"/api/requests/{filed.pk}/watch").status_code == 204
    assert not filed.watchers.filter(pk=watcher.pk).exists()


@pytest.mark.parametrize(("change", "field", "status"), [
    ({"reason": "  "}, "reason", 422),
    ({"reason": ...}, "reason", 422),
    ({"planned_delivery": iso(in_days(-2))}, "planned_delivery", 422),
    ({"version": 1}, None, 409),
], ids=["blank-reason", "missing-reason", "past-date", "stale"])
def test_reschedule_bad_input_nothing_written(change, field, status, filed, it_editor, it_api):
    filed = planned(filed, it_editor, when=in_days(20))
    Notification.objects.all().delete()
    body = {"planned_delivery": iso(in_days(30)), "reason": "Slipped.", "version": filed.version, **change}
    response = it_api.post_json(f"/api/requests/{filed.pk}/reschedule", {k: v for k, v in body.items() if v is not ...})
    assert response.status_code == status
    if field:
        assert error_fields(response) == [field]
    filed.refresh_from_db()
    assert filed.planned_delivery == in_days(20)
    assert not ScheduleChange.objects.exists() and not Notification.objects.exists()


def test_reschedule_by_marketer_403(filed, it_editor, marketer_api):
    filed = planned(filed, it_editor)
    response = marketer_api.post_json(f"/api/requests/{filed.pk}/reschedule", {
        "planned_delivery": iso(in_days(50)), "reason": "I want it later.", "version": filed.version})
    assert response.status_code == 403
    assert not ScheduleChange.objects.exists()


def test_timeline_merges_steps_answer_questions_and_moves_in_time_order(filed, it_editor, it_department, marketer,
                                                                       marketer_api):
    question = qa.question_ask(actor=it_editor, target=filed, text="Which CRM campaign?",
                               addressed_person=filed.requester)
    qa.question_answer(question, actor=marketer, text="Spring-2025.")
    filed = planned(filed, it_editor, when=in_days(20))
    services.request_reschedule(filed, actor=it_editor, planned_delivery=in_days(30), reason="Vacation.")
    item = BacklogItemFactory(request=filed, iteration=IterationFactory(), status="planned")
    services.backlog_item_plan(item, actor=it_editor, iteration=None, reason="Bumped for the launch fix.")

    response = marketer_api.get(f"/api/requests/{filed.pk}/timeline")
    assert response.status_code == 200
    entries = response.json()
    assert [e["kind"] for e in entries] == ["transition", "question", "answer", "response", "transition",
                                            "transition", "schedule_change", "schedule_change"]
    assert [e["at"] for e in entries] == sorted(e["at"] for e in entries)
    assert entries[0]["summary"] == "Filed (submitted)" and entries[0]["to_status"] == "submitted"
    assert entries[1]["text"] == "Which CRM campaign?" and entries[1]["question_id"] == question.pk
    assert entries[2]["text"] == "Spring-2025." and entries[2]["actor_name"] == "Marketer"
    assert entries[3]["summary"] == "Answered: feasible"
    assert (entries[5]["from_status"], entries[5]["to_status"]) == ("accepted", "planned")
    assert entries[6]["text"] == "Vacation." and entries[6]["new_date"] == iso(in_days(30))
    assert entries[7]["backlog_item_id"] == item.pk and entries[7]["text"] == "Bumped for the launch fix."
    assert marketer_api.get("/api/requests/999999/timeline").status_code == 404


def test_timeline_shows_when_the_asker_marked_a_question_answered(filed, it_editor, marketer, marketer_api):
    question = qa.question_ask(actor=it_editor, target=filed, text="Which CRM campaign?",
                               addressed_person=filed.requester)
    qa.question_answer(question, actor=marketer, text="Spring-2025.")
    qa.question_close(question, actor=it_editor)
    entries = marketer_api.get(f"/api/requests/{filed.pk}/timeline").json()
    assert [e["kind"] for e in entries] == ["transition", "question", "answer", "question_closed"]
    assert entries[-1]["summary"] == f"Marked question {question.pk} answered"
    assert entries[-1]["question_status"] == "answered"


# Backlog items ---------------------------------------------------------------------------------


def test_create_backlog_item_with_references_and_score_parts(it_editor, it_api, filed, marketer):
    component = ComponentFactory(slug="cms")
    first = BacklogItemFactory()
    response = it_api.post_json("/api/backlog-items", {
        "title": "Webinar form", "kind": "feature_idea", "components": ["cms"], "request": filed.pk,
        "effort_days": "2", "value": 7, "assignee": "iteditor@example.com", "depends_on": [first.pk]})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["components"] == [{"slug": "cms", "name": component.name}]
    assert body["request"] == {"id": filed.pk, "title": filed.title, "status": "submitted"}
    assert body["assignee"]["email"] == "iteditor@example.com"
    assert body["depends_on"] == [{"id": first.pk, "title": first.title, "status": "new"}]
    assert body["effective_needed_by"] == iso(filed.needed_by)
    parts = body["score_parts"]
    # 800 a week → 3 cost points; about 42 working days left → 3 urgency points; value 7
    assert (parts["value_points"], parts["cost_points"], parts["urgency_points"]) == (7, 3, 3)
    assert parts["cost_of_delay"] == 13 and parts["effort_days"] == "2.0" and parts["score"] == "6.50"
    assert body["score"] == body["computed_score"] == "6.50" and body["is_overridden"] is False
    entry = audit_entries(BacklogItem, body["id"]).get()
    assert (entry.source, entry.actor) == ("api", it_editor)


def test_create_backlog_item_as_viewer_403_nothing_written(marketer_api):
    response = marketer_api.post_json("/api/backlog-items", {"title": "Mine first"})
    assert response.status_code == 403
    assert not BacklogItem.objects.exists()


@pytest.mark.parametrize(("change", "field"), [
    ({"effort_days": "-1"}, "effort_days"),
    ({"value": 11}, "value"),
    ({"priority_override": "9"}, "override_reason"),
    ({"request": 999999}, "request"),
    ({"depends_on": [999999]}, "depends_on"),
    ({"assignee": 999999}, "assignee"),
], ids=["negative-effort", "value", "override-without-reason", "request", "depends-on", "assignee"])
def test_create_backlog_item_bad_input_422_nothing_written(change, field, it_api):
    response = it_api.post_json("/api/backlog-items", {"title": "Fix the form", **change})
    assert response.status_code == 422 and error_fields(response) == [field]
    assert not BacklogItem.objects.exists()


def test_patch_backlog_item_cycle_in_depends_on_422_nothing_written(it_editor, it_api):
    a, b, c = BacklogItemFactory(), BacklogItemFactory(), BacklogItemFactory()
    b.depends_on.add(a)
    c.depends_on.add(b)
    response = it_api.patch_json(f"/api/backlog-items/{a.pk}", {"version": 1, "depends_on": [c.pk]})
    assert response.status_code == 422 and error_fields(response) == ["depends_on"]
    assert "cycle" in response.json()["errors"][0]["message"]
    itself = it_api.patch_json(f"/api/backlog-items/{a.pk}", {"version": 1, "depends_on": [a.pk]})
    assert itself.status_code == 422 and error_fields(itself) == ["depends_on"]
    a.refresh_from_db()
    assert a.version == 1 and not a.depends_on.exists()


def test_patch_backlog_item_override_and_stale_version(it_api):
    item = BacklogItemFactory(effort_days=None)
    ok = it_api.patch_json(f"/api/backlog-items/{item.pk}", {
        "version": 1, "priority_override": "42", "override_reason": "CEO's launch blocker."})
    assert ok.status_code == 200, ok.json()
    assert (ok.json()["score"], ok.json()["computed_score"], ok.json()["is_overridden"]) == ("42.00", None, True)
    stale = it_api.patch_json(f"/api/backlog-items/{item.pk}", {"version": 1, "title": "Late edit"})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    item.refresh_from_db()
    assert item.title != "Late edit" and item.score == 42


def test_start_before_dependencies_done_422(it_api):
    first = BacklogItemFactory()
    second = BacklogItemFactory()
    second.depends_on.add(first)
    response = it_api.patch_json(f"/api/backlog-items/{second.pk}", {"version": 1, "status": "in_progress"})
    assert response.status_code == 422 and error_fields(response) == ["status"]


def test_list_backlog_items_by_score_nulls_last_constant_queries(it_api, filed, django_assert_max_num_queries):
    unscored = BacklogItemFactory(effort_days=None, title="needs estimate")
    low = BacklogItemFactory(effort_days=10, value=1)
    high = BacklogItemFactory(effort_days=1, value=10)
    for item in (unscored, low, high):
        services.rescore_items(BacklogItem.objects.filter(pk=item.pk))
    ids = [row["id"] for row in it_api.get("/api/backlog-items").json()["items"]]
    assert ids == [high.pk, low.pk, unscored.pk]
    iteration = IterationFactory()

    def make():
        item = BacklogItemFactory(request=filed, iteration=iteration, assignee=PersonFactory())
        item.components.add(ComponentFactory())
        item.depends_on.add(low)

    assert_constant_queries(it_api, "/api/backlog-items?open=true", make, django_assert_max_num_queries)


# Planning and bumping --------------------------------------------------------------------------


def test_plan_backlog_item_as_marketer_403(marketer_api):
    item, iteration = BacklogItemFactory(), IterationFactory()
    response = marketer_api.post_json(f"/api/backlog-items/{item.pk}/plan", {"iteration": iteration.pk,
                                                                             "version": 1})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.iteration is None


def test_plan_then_bump_needs_reason_and_tells_the_requester(filed, it_api, marketer_api):
    item = BacklogItemFactory(request=filed)
    first, second = IterationFactory(name="Sprint 1"), IterationFactory(name="Sprint 2", start=in_days(15),
                                                                        end=in_days(28))
    url = f"/api/backlog-items/{item.pk}/plan"
    planned_in = it_api.post_json(url, {"iteration": first.pk, "version": 1})
    assert planned_in.status_code == 200, planned_in.json()
    assert planned_in.json()["status"] == "planned" and planned_in.json()["iteration"]["name"] == "Sprint 1"
    Notification.objects.all().delete()

    no_reason = it_api.post_json(url, {"iteration": second.pk, "version": 2})
    assert no_reason.status_code == 422 and error_fields(no_reason) == ["reason"]
    item.refresh_from_db()
    assert (item.iteration, item.version) == (first, 2)
    assert not ScheduleChange.objects.exists() and not Notification.objects.exists()

    bumped = it_api.post_json(url, {"iteration": second.pk, "reason": "The checkout bug comes first.",
                                    "version": 2})
    assert bumped.status_code == 200, bumped.json()
    change = ScheduleChange.objects.get(backlog_item=item)
    assert (change.field, change.old_date, change.new_date) == ("iteration", first.end, second.end)
    [note] = inbox(marketer_api)
    assert note["kind"] == "schedule_changed" and note["body"] == "The checkout bug comes first."
    assert "Sprint 1" in note["title"] and "Sprint 2" in note["title"]

    unknown = it_api.post_json(url, {"iteration": 999999, "version": 3})
    assert unknown.status_code == 422 and error_fields(unknown) == ["iteration"]


def test_patch_iteration_of_item_without_schedule_reason_422(it_api):
    item = BacklogItemFactory(iteration=IterationFactory(), status="planned")
    response = it_api.patch_json(f"/api/backlog-items/{item.pk}", {"version": 1, "iteration": None})
    assert response.status_code == 422 and error_fields(response) == ["schedule_reason"]
    ok = it_api.patch_json(f"/api/backlog-items/{item.pk}", {"version": 1, "iteration": None,
                                                            "schedule_reason": "Descoped."})
    assert ok.status_code == 200 and ok.json()["iteration"] is None and ok.json()["status"] == "ready"
    assert ScheduleChange.objects.get(backlog_item=item).reason == "Descoped."


def test_delete_backlog_item(it_api, marketer_api):
    item = BacklogItemFactory()
    assert marketer_api.delete(f"/api/backlog-items/{item.pk}").status_code == 403
    assert it_api.delete(f"/api/backlog-items/{item.pk}").status_code == 204
    assert not BacklogItem.objects.filter(pk=item.pk).exists()


# Roadmaps, iterations, milestones --------------------------------------------------------------


def test_roadmap_crud(it_api, marketer_api, it_department):
    created = it_api.post_json("/api/roadmaps", {"name": "Customer data 2027", "vision": "One view.",
                                                 "department": "it"})
    assert created.status_code == 201, created.json()
    assert created.json()["slug"] == "customer-data-2027"
    assert marketer_api.post_json("/api/roadmaps", {"name": "Mine"}).status_code == 403
    assert marketer_api.get("/api/roadmaps/customer-data-2027").json()["department"]["slug"] == "it"
    patched = it_api.patch_json("/api/roadmaps/customer-data-2027", {"version": 1, "vision": "One customer view."})
    assert patched.status_code == 200 and patched.json()["version"] == 2
    IterationFactory(roadmap=Roadmap.objects.get(slug="customer-data-2027"))
    assert it_api.delete("/api/roadmaps/customer-data-2027").status_code == 422  # still has iterations
    assert marketer_api.get("/api/roadmaps/no-such").status_code == 404


def test_iteration_create_and_date_move_needs_reason(it_api, marketer_api, filed):
    roadmap = RoadmapFactory(slug="web")
    bad = it_api.post_json("/api/iterations", {"roadmap": "web", "name": "S1", "start": iso(in_days(10)),
                                               "end": iso(in_days(2))})
    assert bad.status_code == 422 and error_fields(bad) == ["end"]
    created = it_api.post_json("/api/iterations", {"roadmap": "web", "name": "S1", "start": iso(in_days(1)),
                                                   "end": iso(in_days(14)), "goal": "MVP"})
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["roadmap"] == {"slug": "web", "name": roadmap.name} and body["item_count"] == 0
    iteration = Iteration.objects.get(pk=body["id"])
    BacklogItemFactory(request=filed, iteration=iteration, status="planned")

    url = f"/api/iterations/{iteration.pk}"
    moved = it_api.patch_json(url, {"version": 1, "end": iso(in_days(21))})
    assert moved.status_code == 422 and error_fields(moved) == ["schedule_reason"]
    iteration.refresh_from_db()
    assert iteration.end == in_days(14) and not ScheduleChange.objects.exists()

    ok = it_api.patch_json(url, {"version": 1, "end": iso(in_days(21)), "schedule_reason": "Holidays."})
    assert ok.status_code == 200, ok.json()
    assert ok.json()["end"] == iso(in_days(21)) and ok.json()["item_count"] == 1
    change = ScheduleChange.objects.get(iteration=iteration)
    assert (change.field, change.reason) == ("end", "Holidays.")
    assert [n["body"] for n in inbox(marketer_api, kind="schedule_changed")] == ["Holidays."]
    assert marketer_api.patch_json(url, {"version": 2, "name": "Mine"}).status_code == 403


def test_milestone_with_requests_and_due_move(it_api, marketer_api, filed):
    RoadmapFactory(slug="web")
    created = it_api.post_json("/api/milestones", {"roadmap": "web", "name": "Launch", "due": iso(in_days(30)),
                                                   "requests": [filed.pk]})
    assert created.status_code == 201, created.json()
    assert created.json()["requests"] == [{"id": filed.pk, "title": filed.title, "status": "submitted"}]
    url = f"/api/milestones/{created.json()['id']}"
    unknown = it_api.patch_json(url, {"version": 1, "requests": [filed.pk, 999999]})
    assert unknown.status_code == 422 and error_fields(unknown) == ["requests"]
    moved = it_api.patch_json(url, {"version": 1, "due": iso(in_days(45))})
    assert moved.status_code == 422 and error_fields(moved) == ["schedule_reason"]
    ok = it_api.patch_json(url, {"version": 1, "due": iso(in_days(45)), "schedule_reason": "Agency is late."})
    assert ok.status_code == 200 and ok.json()["due"] == iso(in_days(45))
    assert [n["body"] for n in inbox(marketer_api, kind="schedule_changed")] == ["Agency is late."]
    milestone = Milestone.objects.get(pk=created.json()["id"])
    assert it_api.delete(f"{url}?version=1").status_code == 409
    assert it_api.delete(f"{url}?version={milestone.version}").status_code == 204


def test_roadmap_lists_constant_queries(it_api, filed, django_assert_max_num_queries):
    roadmap = RoadmapFactory()

    def make_milestone():
        milestone = MilestoneFactory(roadmap=roadmap)
        milestone.requests.add(RequestFactory())

    def make_iteration():
        iteration = IterationFactory(roadmap=roadmap)
        BacklogItemFactory(iteration=iteration)

    assert_constant_queries(it_api, "/api/roadmaps", RoadmapFactory, django_assert_max_num_queries)
    assert_constant_queries(it_api, f"/api/iterations?roadmap={roadmap.slug}", make_iteration,
                            django_assert_max_num_queries)
    assert_constant_queries(it_api, f"/api/milestones?roadmap={roadmap.slug}", make_milestone,
                            django_assert_max_num_queries)


def test_schedule_changes_list_subjects_and_constant_queries(it_editor, it_api, filed,
                                                             django_assert_max_num_queries):
    kinds = iter(range(1000))

    def make():
        n = next(kinds)
        if n % 3 == 0:
            item = BacklogItemFactory(iteration=IterationFactory(), status="planned")
            services.backlog_item_plan(item, actor=it_editor, iteration=None, reason="Bumped.")
        elif n % 3 == 1:
            iteration = IterationFactory()
            services.iteration_update(iteration, actor=it_editor, data={"end": in_days(20), "schedule_reason": "x"},
                                      expected_version=None)
        else:
            milestone = MilestoneFactory()
            services.milestone_update(milestone, actor=it_editor, data={"due": in_days(40), "schedule_reason": "y"},
                                      expected_version=None)

    assert_constant_queries(it_api, "/api/schedule-changes", make, django_assert_max_num_queries)
    rows = it_api.get("/api/schedule-changes?field=due&limit=500").json()["items"]
    assert rows and {r["subject_type"] for r in rows} == {"milestone"}
    milestone = Milestone.objects.get(pk=rows[0]["subject_id"])
    assert rows[0]["subject_label"] == milestone.name and rows[0]["slip_days"] == 10
    items = it_api.get("/api/schedule-changes?field=iteration").json()["items"]
    assert {r["subject_type"] for r in items} == {"backlog_item"} and items[0]["new_label"] == "back to the backlog"
