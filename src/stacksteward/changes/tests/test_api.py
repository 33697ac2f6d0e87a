"""The change-control API end to end: token client → handler → service → database, audit, notifications, errors.

Roles (see conftest): ``ivan`` IT editor, ``maria`` Marketing editor, ``lena`` Legal editor, ``vic`` Marketing
viewer (owner of the web forms); ``admin_user`` (root conftest) may do everything. The stack: CRM → marketing
automation (contact data) and web forms → CRM; Marketing is Accountable for the CRM's configuration.
"""

import datetime

import icalendar
import pytest
from django.test import Client

from stacksteward.catalog.tests.factories import ComponentFactory, RelationFactory
from stacksteward.changes import meetings, services
from stacksteward.changes.models import (
    CalendarEvent,
    CalendarFeedToken,
    ChangeApproval,
    ChangeRequest,
    Meeting,
    MeetingDecision,
    MeetingSeries,
)
from stacksteward.core.choices import AuditSourceChoices
from stacksteward.core.tests.api_helpers import assert_constant_queries, audit_entries, error_fields
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory

from .factories import CalendarEventFactory, ChangeRequestFactory, at

pytestmark = pytest.mark.django_db


# Helpers ---------------------------------------------------------------------------------------


def iso(value: datetime.datetime) -> str:
    return value.isoformat()


def change_body(**overrides) -> dict:
    body = {
        "title": "Rename the CRM's lead source field",
        "description": "The field becomes 'Lead channel'.",
        "components": ["crm"],
        "window_start": iso(at(7, 10)),
        "window_end": iso(at(7, 12)),
        "rollback_plan": "Rename it back; the automation mapping is exported first.",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not ...}


@pytest.fixture
def apis(people, api_as):
    return {name: api_as(user) for name, user in people.items()}


def draft(people, stack, **overrides) -> ChangeRequest:
    data = {"title": "CRM field rename", "components": [stack["crm"]], "window_start": at(7, 10),
            "window_end": at(7, 12), "rollback_plan": "Rename back.", **overrides}
    return services.change_create(actor=people["ivan"], data=data)


def submitted(people, stack, **overrides) -> ChangeRequest:
    return services.change_submit(draft(people, stack, **overrides), actor=people["ivan"])


def awaiting(people, stack) -> ChangeRequest:
    change = submitted(people, stack)
    return services.change_transition(change, actor=people["ivan"], to_status="awaiting_approval")


def approvals_of(change) -> dict[str, ChangeApproval]:
    return {a.department.slug: a for a in change.approvals.select_related("department")}


def inbox(api) -> list[str]:
    response = api.get("/api/notifications")
    assert response.status_code == 200, response.json()
    return [n["title"] for n in response.json()["items"]]


# Change requests: create, read, edit, delete ---------------------------------------------------


def test_create_change_as_editor_201_draft_audited_from_api(people, stack, apis):
    response = apis["ivan"].post_json("/api/change-requests", change_body(implementer="maria@example.com"))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["type"] == "normal"
    assert body["components"] == [{"slug": "crm", "name": "CRM"}]
    assert body["requester"]["email"] == "ivan@example.com"
    assert body["implementer"]["email"] == "maria@example.com"
    assert body["next_steps"] == ["submitted"]
    assert (body["risk"], body["risk_reasons"], body["approvals"], body["conflicts"]) == ("", [], [], [])
    change = ChangeRequest.objects.get(pk=body["id"])
    assert change.requester == people["ivan"].person and change.implementer == people["maria"].person
    assert audit_entries(ChangeRequest, change.pk).get().source == AuditSourceChoices.API


def test_create_change_as_viewer_403_writes_nothing(people, stack, apis):
    response = apis["vic"].post_json("/api/change-requests", change_body())
    assert response.status_code == 403
    assert not ChangeRequest.objects.exists()


def test_admin_files_a_change_for_a_requester_by_id(people, stack, admin_api):
    response = admin_api.post_json("/api/change-requests",
                                   change_body(requester=people["maria"].person.pk, type="standard",
                                               rollback_plan=""))
    assert response.status_code == 201, response.json()
    assert ChangeRequest.objects.get().requester == people["maria"].person


@pytest.mark.parametrize(("overrides", "field"), [
    ({"components": []}, "components"),
    ({"components": ["crm", "no-such-tool"]}, "components"),
    ({"rollback_plan": ""}, "rollback_plan"),
    ({"type": "emergency", "rollback_plan": "  "}, "rollback_plan"),
    ({"window_end": iso(at(7, 9))}, "window_end"),
    ({"window_end": iso(at(7, 10))}, "window_end"),
    ({"requester": "nobody@example.com"}, "requester"),
    ({"request": 999999}, "request"),
    ({"type": "weekly"}, "type"),
    ({"title": ...}, "title"),
    ({"colour": "red"}, "colour"),
])
def test_create_change_bad_input_422_names_the_field_writes_nothing(people, stack, apis, overrides, field):
    response = apis["ivan"].post_json("/api/change-requests", change_body(**overrides))
    assert response.status_code == 422, response.json()
    assert field in error_fields(response)
    assert not ChangeRequest.objects.exists()


def test_get_missing_change_404(people, apis):
    response = apis["vic"].get("/api/change-requests/999999")
    assert response.status_code == 404
    assert "999999" in response.json()["detail"]


def test_patch_change_with_stale_version_409_keeps_the_first_edit(people, stack, apis):
    change = draft(people, stack)
    first = apis["ivan"].patch_json(f"/api/change-requests/{change.pk}",
                                    {"title": "First", "components": ["crm", "automation"], "version": 1})
    assert first.status_code == 200, first.json()
    assert first.json()["version"] == 2
    assert [c["slug"] for c in first.json()["components"]] == ["automation", "crm"] or \
        {c["slug"] for c in first.json()["components"]} == {"crm", "automation"}
    stale = apis["maria"].patch_json(f"/api/change-requests/{change.pk}", {"title": "Second", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    change.refresh_from_db()
    assert (change.title, change.version) == ("First", 2)


def test_patch_change_as_viewer_403(people, stack, apis):
    change = draft(people, stack)
    response = apis["vic"].patch_json(f"/api/change-requests/{change.pk}", {"title": "Mine", "version": 1})
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.title == "CRM field rename"


def test_patch_window_end_before_start_422(people, stack, apis):
    change = draft(people, stack)
    response = apis["ivan"].patch_json(f"/api/change-requests/{change.pk}",
                                       {"window_end": iso(at(6, 10)), "version": 1})
    assert response.status_code == 422
    assert error_fields(response) == ["window_end"]
    change.refresh_from_db()
    assert change.window_end == at(7, 12) and change.version == 1


def test_delete_draft_stale_409_then_204_viewer_403_submitted_422(people, stack, apis):
    change = draft(people, stack)
    assert apis["vic"].delete(f"/api/change-requests/{change.pk}").status_code == 403
    services.change_update(change, actor=people["ivan"], data={"title": "Edited"}, expected_version=1)
    assert apis["ivan"].delete(f"/api/change-requests/{change.pk}?version=1").status_code == 409
    assert apis["ivan"].delete(f"/api/change-requests/{change.pk}?version=2").status_code == 204
    assert not ChangeRequest.objects.filter(pk=change.pk).exists()
    live = submitted(people, stack, window_start=at(30, 10), window_end=at(30, 11))
    response = apis["ivan"].delete(f"/api/change-requests/{live.pk}")
    assert response.status_code == 422
    assert error_fields(response) == ["status"]
    assert ChangeRequest.objects.filter(pk=live.pk).exists()


# Workflow --------------------------------------------------------------------------------------


def test_submit_computes_impact_risk_and_approvals(people, stack, apis):
    change = draft(people, stack)
    response = apis["ivan"].post_json(f"/api/change-requests/{change.pk}/submit", {"version": 1})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "submitted"
    assert body["risk"] in ("medium", "high") and any("personal data" in r for r in body["risk_reasons"])
    assert {a["department"]["slug"] for a in body["approvals"]} == {"marketing", "legal"}
    assert all(a["decision"] == "pending" for a in body["approvals"])
    assert body["next_steps"] == ["assessing", "awaiting_approval"]
    assert body["impact_computed_at"] is not None
    impact = apis["vic"].get(f"/api/change-requests/{change.pk}/impact").json()
    assert impact["computed_at"] is not None
    assert [c["slug"] for c in impact["impact"]["components"]] == ["automation", "web-forms"]
    assert impact["impact"]["components"][0]["path"] == ["crm", "automation"]
    departments = {d["slug"]: d for d in impact["impact"]["departments"]}
    assert departments["marketing"]["must_approve"] and departments["legal"]["must_approve"]
    assert not departments["it"]["must_approve"]
    assert impact["impact"]["personal_data"] is True
    change.refresh_from_db()
    assert change.status == "submitted" and set(approvals_of(change)) == {"marketing", "legal"}


def test_impact_of_a_draft_is_null(people, stack, apis):
    change = draft(people, stack)
    assert apis["vic"].get(f"/api/change-requests/{change.pk}/impact").json() == {"computed_at": None,
                                                                                  "impact": None}


def test_submit_with_conflict_needs_justification_writes_nothing_without(people, stack, apis):
    event = CalendarEventFactory(name="Spring launch", kind="campaign_launch", start=at(7, 0), end=at(8, 0),
                                 components=[stack["automation"]])
    change = draft(people, stack)
    refused = apis["ivan"].post_json(f"/api/change-requests/{change.pk}/submit", {"version": 1})
    assert refused.status_code == 422
    assert error_fields(refused) == ["conflict_justification"]
    assert "Spring launch" in refused.json()["errors"][0]["message"]
    change.refresh_from_db()
    assert (change.status, change.version, change.impact_snapshot) == ("draft", 1, None)
    assert not change.approvals.exists()
    accepted = apis["ivan"].post_json(f"/api/change-requests/{change.pk}/submit", {
        "version": 1, "conflict_justification": "The launch uses the old field until noon; we start at 10."})
    assert accepted.status_code == 200, accepted.json()
    body = accepted.json()
    assert body["status"] == "submitted"
    assert [(c["kind"], c["other_id"]) for c in body["conflicts"]] == [("event", event.pk)]
    assert any("conflict" in r for r in body["risk_reasons"])


def test_submit_with_stale_version_409(people, stack, apis):
    change = draft(people, stack)
    services.change_update(change, actor=people["ivan"], data={"title": "Edited"}, expected_version=1)
    response = apis["ivan"].post_json(f"/api/change-requests/{change.pk}/submit", {"version": 1})
    assert response.status_code == 409
    change.refresh_from_db()
    assert change.status == "draft"


def test_transition_out_of_order_422_names_to(people, stack, apis):
    change = draft(people, stack)
    response = apis["ivan"].post_json(f"/api/change-requests/{change.pk}/transitions",
                                      {"to": "scheduled", "version": 1})
    assert response.status_code == 422
    assert error_fields(response) == ["to"]
    change.refresh_from_db()
    assert change.status == "draft" and change.version == 1
    unknown = apis["ivan"].post_json(f"/api/change-requests/{change.pk}/transitions", {"to": "done", "version": 1})
    assert unknown.status_code == 422 and error_fields(unknown) == ["to"]


def test_transition_as_viewer_403(people, stack, apis):
    change = submitted(people, stack)
    response = apis["vic"].post_json(f"/api/change-requests/{change.pk}/transitions",
                                     {"to": "assessing", "version": change.version})
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.status == "submitted"


def test_standard_change_runs_to_review_and_informs_owners(people, stack, apis):
    change = draft(people, stack, type="standard", rollback_plan="")
    api = apis["ivan"]
    body = api.post_json(f"/api/change-requests/{change.pk}/submit", {"version": 1}).json()
    assert body["status"] == "approved" and body["next_steps"] == ["scheduled"]
    body = api.post_json(f"/api/change-requests/{change.pk}/transitions",
                         {"to": "scheduled", "version": body["version"]}).json()
    assert body["next_steps"] == ["implemented", "failed", "rolled_back"]
    no_note = api.post_json(f"/api/change-requests/{change.pk}/transitions",
                            {"to": "rolled_back", "version": body["version"]})
    assert no_note.status_code == 422 and error_fields(no_note) == ["note"]
    body = api.post_json(f"/api/change-requests/{change.pk}/transitions",
                         {"to": "implemented", "note": "Done at 10:40.", "version": body["version"]}).json()
    assert body["status"] == "implemented"
    empty = api.post_json(f"/api/change-requests/{change.pk}/review", {"outcome": " ", "version": body["version"]})
    assert empty.status_code == 422 and error_fields(empty) == ["outcome"]
    reviewed = api.post_json(f"/api/change-requests/{change.pk}/review", {
        "outcome": "Field renamed; mappings intact.", "went_well": "Export first.", "went_badly": "",
        "version": body["version"]})
    assert reviewed.status_code == 200, reviewed.json()
    assert reviewed.json()["status"] == "reviewed" and reviewed.json()["next_steps"] == []
    change.refresh_from_db()
    assert change.status == "reviewed" and change.outcome == "Field renamed; mappings intact."
    assert list(change.transitions.values_list("to_status", flat=True)) == [
        "draft", "submitted", "approved", "scheduled", "implemented", "reviewed"]
    # Vic owns the web forms (impacted): told of the approval and the implementation
    titles = inbox(apis["vic"])
    assert any(t.endswith("is implemented") for t in titles)
    assert any("is approved" in t for t in titles)


def test_emergency_change_going_ahead_before_approval_requires_review(people, stack, apis):
    change = submitted(people, stack, type="emergency")
    response = apis["ivan"].post_json(f"/api/change-requests/{change.pk}/transitions",
                                      {"to": "implemented", "note": "Hotfix.", "version": change.version})
    assert response.status_code == 200, response.json()
    assert response.json()["review_required"] is True
    change.refresh_from_db()
    assert change.review_required and change.status == "implemented"


# Approvals -------------------------------------------------------------------------------------


def test_only_the_approving_departments_editors_decide(people, stack, apis):
    change = awaiting(people, stack)
    listed = apis["vic"].get(f"/api/change-requests/{change.pk}/approvals").json()
    assert listed["count"] == 2
    by_dept = {a["department"]["slug"]: a for a in listed["items"]}
    assert not any(a["can_decide"] for a in listed["items"])  # a viewer decides nothing
    assert {a["department"]["slug"]: a["can_decide"]
            for a in apis["maria"].get(f"/api/change-requests/{change.pk}/approvals").json()["items"]} == {
        "legal": False, "marketing": True}
    marketing, legal = by_dept["marketing"]["id"], by_dept["legal"]["id"]
    url = f"/api/change-approvals/{marketing}/decision"
    assert apis["lena"].post_json(url, {"decision": "approved"}).status_code == 403  # Legal, not Marketing
    assert apis["vic"].post_json(url, {"decision": "approved"}).status_code == 403  # Marketing, but a viewer
    assert ChangeApproval.objects.get(pk=marketing).decision == "pending"
    ok = apis["maria"].post_json(url, {"decision": "approved", "comment": "Campaign mapping updated."})
    assert ok.status_code == 200, ok.json()
    assert ok.json()["decision"] == "approved" and ok.json()["decided_by_name"]
    assert ok.json()["can_decide"] is False
    change.refresh_from_db()
    assert change.status == "awaiting_approval"
    again = apis["maria"].post_json(url, {"decision": "rejected", "comment": "Changed my mind."})
    assert again.status_code == 422 and error_fields(again) == ["decision"]
    no_reason = apis["lena"].post_json(f"/api/change-approvals/{legal}/decision", {"decision": "rejected"})
    assert no_reason.status_code == 422 and error_fields(no_reason) == ["comment"]
    assert ChangeApproval.objects.get(pk=legal).decision == "pending"
    assert apis["lena"].post_json(f"/api/change-approvals/{legal}/decision",
                                  {"decision": "approved"}).status_code == 200
    change.refresh_from_db()
    assert change.status == "approved"
    assert any(t.endswith("is approved") for t in inbox(apis["vic"]))


def test_rejection_rejects_the_change_with_its_reason(people, stack, apis):
    change = awaiting(people, stack)
    legal = approvals_of(change)["legal"]
    response = apis["lena"].post_json(f"/api/change-approvals/{legal.pk}/decision",
                                      {"decision": "rejected", "comment": "No DPA for the new field."})
    assert response.status_code == 200
    body = apis["ivan"].get(f"/api/change-requests/{change.pk}").json()
    assert body["status"] == "rejected" and body["reject_reason"] == "Legal: No DPA for the new field."
    assert body["next_steps"] == []


def test_admin_decides_any_approval(people, stack, admin_api):
    change = awaiting(people, stack)
    for approval in approvals_of(change).values():
        response = admin_api.post_json(f"/api/change-approvals/{approval.pk}/decision", {"decision": "approved"})
        assert response.status_code == 200, response.json()
    change.refresh_from_db()
    assert change.status == "approved"


def test_decision_on_missing_approval_404_bad_decision_422(people, stack, apis):
    assert apis["maria"].post_json("/api/change-approvals/999999/decision",
                                   {"decision": "approved"}).status_code == 404
    change = awaiting(people, stack)
    marketing = approvals_of(change)["marketing"]
    response = apis["maria"].post_json(f"/api/change-approvals/{marketing.pk}/decision", {"decision": "maybe"})
    assert response.status_code == 422 and error_fields(response) == ["decision"]


# Impact preview and recompute ------------------------------------------------------------------


def test_impact_preview_for_unsaved_components_writes_nothing(people, stack, apis):
    CalendarEventFactory(name="Freeze", kind="freeze", start=at(7, 0), end=at(8, 0), all_components=True)
    response = apis["vic"].post_json("/api/change-requests/impact-preview", {
        "components": ["crm"], "window_start": iso(at(7, 10)), "window_end": iso(at(7, 11)), "type": "normal"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [c["slug"] for c in body["impact"]["components"]] == ["automation", "web-forms"]
    assert {d["slug"] for d in body["impact"]["departments"] if d["must_approve"]} == {"marketing", "legal"}
    assert [c["kind"] for c in body["conflicts"]] == ["freeze"]
    assert body["risk"] == "high" and body["risk_points"] >= 6
    assert any("conflict" in r for r in body["risk_reasons"])
    assert not ChangeRequest.objects.exists()
    assert not audit_entries(ChangeRequest).exists()


def test_impact_preview_of_a_saved_change_ignores_itself(people, stack, apis):
    change = submitted(people, stack, type="standard")
    body = {"components": ["crm"], "window_start": iso(at(7, 10)), "window_end": iso(at(7, 11))}
    assert [c["other_id"] for c in apis["ivan"].post_json("/api/change-requests/impact-preview", body)
            .json()["conflicts"]] == [change.pk]
    mine = apis["ivan"].post_json("/api/change-requests/impact-preview", {**body, "change": change.pk}).json()
    assert mine["conflicts"] == []


@pytest.mark.parametrize(("overrides", "field"), [
    ({"components": []}, "components"),
    ({"components": ["ghost"]}, "components"),
    ({"window_end": iso(at(7, 9))}, "window_end"),
    ({"window_start": "next tuesday"}, "window_start"),
])
def test_impact_preview_bad_input_422(people, stack, apis, overrides, field):
    body = {"components": ["crm"], "window_start": iso(at(7, 10)), "window_end": iso(at(7, 11)), **overrides}
    response = apis["ivan"].post_json("/api/change-requests/impact-preview", body)
    assert response.status_code == 422
    assert field in error_fields(response)


def test_recompute_returns_the_diff_and_keeps_the_new_snapshot(people, stack, apis):
    change = submitted(people, stack)
    url = f"/api/change-requests/{change.pk}/recompute"
    assert apis["vic"].post_json(url).status_code == 403
    unchanged = apis["ivan"].post_json(url)
    assert unchanged.status_code == 200, unchanged.json()
    assert unchanged.json()["diff"]["changed"] is False
    RelationFactory(source=stack["automation"], target=ComponentFactory(name="Webinar tool", slug="webinar"))
    response = apis["ivan"].post_json(url)
    body = response.json()
    assert body["diff"]["changed"] is True
    assert body["diff"]["components"] == {"added": ["Webinar tool"], "removed": []}
    assert "webinar" in [c["slug"] for c in body["impact"]["components"]]
    kept = apis["ivan"].get(f"/api/change-requests/{change.pk}/impact").json()
    assert "webinar" in [c["slug"] for c in kept["impact"]["components"]]


def test_recompute_keeps_a_new_conflict_even_when_the_risk_level_stays(people, stack, apis):
    """Regression: the snapshot used to be kept only when the diff's summary or the risk level changed, so a
    conflict arising for an already high-risk change never showed."""
    change = submitted(people, stack)
    assert change.risk == "high"
    event = CalendarEventFactory(name="Webinar", kind="webinar", start=at(7, 0), end=at(8, 0),
                                 components=[stack["automation"]])
    body = apis["ivan"].post_json(f"/api/change-requests/{change.pk}/recompute").json()
    assert body["diff"]["changed"] is False and body["risk"] == "high"
    assert [c["other_id"] for c in body["impact"]["conflicts"]] == [event.pk]
    shown = apis["ivan"].get(f"/api/change-requests/{change.pk}").json()
    assert [c["other_id"] for c in shown["conflicts"]] == [event.pk]
    assert any("conflict" in r for r in shown["risk_reasons"])


def test_recompute_of_a_draft_shows_but_keeps_nothing(people, stack, apis):
    change = draft(people, stack)
    body = apis["ivan"].post_json(f"/api/change-requests/{change.pk}/recompute").json()
    assert [c["slug"] for c in body["impact"]["components"]] == ["automation", "web-forms"]
    assert body["computed_at"] is None
    change.refresh_from_db()
    assert change.impact_snapshot is None and change.version == 1


# Lists and filters -----------------------------------------------------------------------------


def test_list_filters_by_status_type_risk_component_window_and_my_approval(people, stack, apis):
    mine = awaiting(people, stack)  # Marketing and Legal must approve
    forms = ChangeRequestFactory(title="Forms", components=[stack["forms"]], type="standard", risk="low",
                                 status="approved", window_start=at(20, 10), window_end=at(20, 11))
    api = apis["maria"]

    def ids(query: str) -> set[int]:
        response = api.get(f"/api/change-requests?{query}")
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["items"]}

    assert ids("") == {mine.pk, forms.pk}
    assert ids("status=approved") == {forms.pk}
    assert ids("status=approved&status=awaiting_approval") == {mine.pk, forms.pk}
    assert ids("type=standard") == {forms.pk}
    assert ids(f"risk={mine.risk}") == {mine.pk}
    assert ids("component=web-forms") == {forms.pk}
    assert ids(f"window_from={at(15, 0).isoformat().replace('+', '%2B')}") == {forms.pk}
    assert ids(f"window_to={at(15, 0).isoformat().replace('+', '%2B')}") == {mine.pk}
    assert ids("awaiting_my_approval=true") == {mine.pk}
    assert ids("awaiting_my_approval=false") == {forms.pk}
    assert {r["id"] for r in apis["ivan"].get("/api/change-requests?awaiting_my_approval=true").json()["items"]} \
        == set()  # IT need not approve
    services.approval_decide(approvals_of(mine)["marketing"], actor=people["maria"], decision="approved")
    assert ids("awaiting_my_approval=true") == set()
    bad = api.get("/api/change-requests?risk=extreme")
    assert bad.status_code == 422 and error_fields(bad) == ["risk"]
    assert error_fields(api.get("/api/change-requests?window_from=soon")) == ["window_from"]


def test_list_change_requests_constant_queries(people, stack, apis, django_assert_max_num_queries):
    marketing = people["maria"].person.department

    def make():
        change = ChangeRequestFactory(components=[stack["crm"], stack["forms"]], status="awaiting_approval",
                                      implementer=people["ivan"].person, risk="medium", risk_reasons=["+1 x"])
        ChangeApproval.objects.create(change=change, department=marketing, reasons=["Accountable"])

    assert_constant_queries(apis["maria"], "/api/change-requests", make, django_assert_max_num_queries)


def test_list_change_approvals_constant_queries(people, stack, apis, django_assert_max_num_queries):
    change = ChangeRequestFactory(components=[stack["crm"]], status="awaiting_approval")

    def make():
        ChangeApproval.objects.create(change=change, department=DepartmentFactory(), reasons=["Rule"])

    assert_constant_queries(apis["maria"], f"/api/change-requests/{change.pk}/approvals", make,
                            django_assert_max_num_queries)


# Calendar events -------------------------------------------------------------------------------


def test_calendar_event_crud(people, stack, apis):
    api = apis["maria"]
    created = api.post_json("/api/calendar-events", {
        "name": "Spring launch", "kind": "campaign_launch", "start": iso(at(10, 0)), "end": iso(at(11, 0)),
        "components": ["automation", "web-forms"]})
    assert created.status_code == 201, created.json()
    body = created.json()
    assert {c["slug"] for c in body["components"]} == {"automation", "web-forms"}
    event = CalendarEvent.objects.get(pk=body["id"])
    assert audit_entries(CalendarEvent, event.pk).get().source == AuditSourceChoices.API
    patched = api.patch_json(f"/api/calendar-events/{event.pk}", {"kind": "freeze", "all_components": True,
                                                                  "components": [], "version": 1})
    assert patched.status_code == 200, patched.json()
    assert (patched.json()["kind"], patched.json()["all_components"], patched.json()["components"]) == (
        "freeze", True, [])
    stale = api.patch_json(f"/api/calendar-events/{event.pk}", {"name": "Late", "version": 1})
    assert stale.status_code == 409
    assert apis["vic"].delete(f"/api/calendar-events/{event.pk}").status_code == 403
    assert api.delete(f"/api/calendar-events/{event.pk}?version=1").status_code == 409
    assert api.delete(f"/api/calendar-events/{event.pk}?version=2").status_code == 204
    assert not CalendarEvent.objects.exists()


@pytest.mark.parametrize(("overrides", "field"), [
    ({"end": iso(at(9, 0))}, "end"),
    ({"components": ["ghost"]}, "components"),
    ({"kind": "party"}, "kind"),
])
def test_create_calendar_event_bad_input_422(people, stack, apis, overrides, field):
    body = {"name": "Launch", "start": iso(at(10, 0)), "end": iso(at(11, 0)), **overrides}
    response = apis["maria"].post_json("/api/calendar-events", body)
    assert response.status_code == 422
    assert field in error_fields(response)
    assert not CalendarEvent.objects.exists()


def test_create_calendar_event_as_viewer_403(people, apis):
    response = apis["vic"].post_json("/api/calendar-events", {"name": "Launch", "start": iso(at(10, 0)),
                                                              "end": iso(at(11, 0))})
    assert response.status_code == 403
    assert not CalendarEvent.objects.exists()


def test_calendar_events_filter_by_component_and_kind(people, stack, apis):
    freeze = CalendarEventFactory(kind="freeze", all_components=True)
    launch = CalendarEventFactory(components=[stack["crm"]])
    CalendarEventFactory(components=[stack["forms"]])
    items = apis["vic"].get("/api/calendar-events?component=crm").json()["items"]
    assert {e["id"] for e in items} == {freeze.pk, launch.pk}
    assert [e["id"] for e in apis["vic"].get("/api/calendar-events?kind=freeze").json()["items"]] == [freeze.pk]


def test_list_calendar_events_constant_queries(people, stack, apis, django_assert_max_num_queries):
    assert_constant_queries(apis["vic"], "/api/calendar-events",
                            lambda: CalendarEventFactory(components=[stack["crm"], stack["forms"]]),
                            django_assert_max_num_queries)


# Meeting series and meetings -------------------------------------------------------------------


def test_meeting_series_create_schedules_meetings_and_schedule_adds_only_missing(people, apis):
    api = apis["ivan"]
    response = api.post_json("/api/meeting-series", {
        "name": "Weekly change control", "weekday": datetime.date.today().weekday(), "time": "10:00",
        "timezone": "Europe/Berlin", "starts_on": datetime.date.today().isoformat(), "location": "Room 4"})
    assert response.status_code == 201, response.json()
    series = MeetingSeries.objects.get(pk=response.json()["id"])
    count = series.meetings.count()
    assert count in (12, 13)
    again = api.post_json(f"/api/meeting-series/{series.pk}/schedule", {})
    assert again.status_code == 200 and again.json() == []
    later = (datetime.date.today() + datetime.timedelta(weeks=20)).isoformat()
    more = api.post_json(f"/api/meeting-series/{series.pk}/schedule", {"until": later}).json()
    assert len(more) >= 7 and all(m["series"]["id"] == series.pk for m in more)
    assert series.meetings.count() == count + len(more)
    assert api.delete(f"/api/meeting-series/{series.pk}").status_code == 422  # it has meetings
    patched = api.patch_json(f"/api/meeting-series/{series.pk}", {"location": "Room 5", "version": 1})
    assert patched.status_code == 200 and patched.json()["location"] == "Room 5"


@pytest.mark.parametrize(("overrides", "field"), [
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"weekday": 7}, "weekday"),
    ({"time": "25:00"}, "time"),
    ({"ends_on": "2020-01-01"}, "ends_on"),
])
def test_meeting_series_bad_input_422_writes_nothing(people, apis, overrides, field):
    body = {"name": "CAB", "weekday": 1, "time": "10:00", "starts_on": datetime.date.today().isoformat(),
            **overrides}
    response = apis["ivan"].post_json("/api/meeting-series", body)
    assert response.status_code == 422
    assert field in error_fields(response)
    assert not MeetingSeries.objects.exists() and not Meeting.objects.exists()


def test_meeting_series_as_viewer_403(people, apis):
    response = apis["vic"].post_json("/api/meeting-series", {
        "name": "CAB", "weekday": 1, "time": "10:00", "starts_on": datetime.date.today().isoformat()})
    assert response.status_code == 403
    assert not MeetingSeries.objects.exists()


def test_list_meeting_series_constant_queries(people, apis, django_assert_max_num_queries):
    counter = iter(range(1000))

    def make():
        MeetingSeries.objects.create(name=f"Series {next(counter)}", weekday=1, time=datetime.time(10),
                                     starts_on=datetime.date.today())

    assert_constant_queries(apis["vic"], "/api/meeting-series", make, django_assert_max_num_queries)


def test_meeting_crud_with_attendees_and_minutes(people, apis):
    api = apis["ivan"]
    created = api.post_json("/api/meetings", {
        "title": "Extra CAB", "starts_at": iso(at(2, 10)), "ends_at": iso(at(2, 11)),
        "attendees": ["maria@example.com", people["lena"].person.pk]})
    assert created.status_code == 201, created.json()
    body = created.json()
    assert {p["email"] for p in body["attendees"]} == {"maria@example.com", "lena@example.com"}
    assert body["series"] is None and body["status"] == "planned" and body["decisions"] == []
    bad = api.post_json("/api/meetings", {"title": "X", "starts_at": iso(at(2, 10)), "ends_at": iso(at(2, 9))})
    assert bad.status_code == 422 and error_fields(bad) == ["ends_at"]
    unknown = api.post_json("/api/meetings", {"title": "X", "starts_at": iso(at(2, 10)), "ends_at": iso(at(2, 11)),
                                              "attendees": ["ghost@example.com"]})
    assert unknown.status_code == 422 and error_fields(unknown) == ["attendees"]
    assert Meeting.objects.count() == 1
    minutes = api.patch_json(f"/api/meetings/{body['id']}", {"notes": "All present.", "status": "held",
                                                             "version": 1})
    assert minutes.status_code == 200 and minutes.json()["notes"] == "All present."
    assert api.patch_json(f"/api/meetings/{body['id']}", {"notes": "Late", "version": 1}).status_code == 409
    early = api.patch_json(f"/api/meetings/{body['id']}", {"ends_at": iso(at(2, 9)), "version": 2})
    assert early.status_code == 422 and error_fields(early) == ["ends_at"]
    assert apis["vic"].patch_json(f"/api/meetings/{body['id']}", {"notes": "x", "version": 2}).status_code == 403
    assert api.delete(f"/api/meetings/{body['id']}?version=2").status_code == 204


def test_agenda_orders_changes_by_risk_with_invitees(people, stack, apis):
    meeting = Meeting.objects.create(title="CAB", starts_at=at(1, 10), ends_at=at(1, 11))
    Meeting.objects.create(title="CAB", starts_at=at(8, 10), ends_at=at(8, 11))  # the horizon
    real = awaiting(people, stack)  # high risk, with a snapshot: Marketing and Legal approve, IT informed
    low = ChangeRequestFactory(title="Low", components=[stack["forms"]], risk="low", status="submitted",
                               window_start=at(30, 10), window_end=at(30, 11))
    medium = ChangeRequestFactory(title="Medium", components=[stack["forms"]], risk="medium",
                                  status="awaiting_approval", window_start=at(31, 10), window_end=at(31, 11))
    soon = ChangeRequestFactory(title="Soon", components=[stack["forms"]], risk="high", status="scheduled",
                                window_start=at(5, 10), window_end=at(5, 11))
    ChangeRequestFactory(title="Later", components=[stack["forms"]], risk="high", status="scheduled",
                         window_start=at(20, 10), window_end=at(20, 11))
    response = apis["vic"].get(f"/api/meetings/{meeting.pk}/agenda")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [(i["change"]["id"], i["section"]) for i in body["items"]] == [
        (real.pk, "decide"), (medium.pk, "decide"), (low.pk, "decide"), (soon.pk, "upcoming")]
    first = body["items"][0]
    assert first["risk"] == "high" and first["risk_reasons"]
    assert first["impacted_count"] == 2 and first["personal_data"] is True
    assert set(first["must_approve"]) == {"Marketing", "Legal"} and "IT" in first["informed"]
    assert {a["department"]["slug"] for a in first["pending_approvals"]} == {"marketing", "legal"}
    assert first["decided_approvals"] == []
    invitees = [(i["department"]["slug"], i["must_approve"]) for i in body["invitees"]]
    assert invitees[:2] == [("legal", True), ("marketing", True)] and ("it", False) in invitees
    assert body["meeting"]["id"] == meeting.pk


def test_meeting_decisions_update_approvals_by_role(people, stack, apis):
    meeting = Meeting.objects.create(title="CAB", starts_at=at(1, 10), ends_at=at(1, 11))
    change = awaiting(people, stack)
    url = f"/api/meetings/{meeting.pk}/decisions"
    approve = {"change": change.pk, "decision": "approve", "department": "marketing"}
    assert apis["vic"].post_json(url, approve).status_code == 403
    assert apis["lena"].post_json(url, approve).status_code == 403  # not her department
    no_comment = apis["maria"].post_json(url, {"change": change.pk, "decision": "defer"})
    assert no_comment.status_code == 422 and error_fields(no_comment) == ["comment"]
    unknown = apis["maria"].post_json(url, {"change": 999999, "decision": "approve"})
    assert unknown.status_code == 422 and error_fields(unknown) == ["change"]
    assert not MeetingDecision.objects.exists()
    response = apis["maria"].post_json(url, {**approve, "comment": "Agreed in the meeting."})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["decision"] == "approve" and body["department"]["slug"] == "marketing"
    assert body["change"]["id"] == change.pk
    marketing = approvals_of(change)["marketing"]
    assert (marketing.decision, marketing.meeting_id) == ("approved", meeting.pk)
    deferred = apis["lena"].post_json(url, {"change": change.pk, "decision": "defer", "comment": "DPA first."})
    assert deferred.status_code == 201
    assert approvals_of(change)["legal"].decision == "pending"
    shown = apis["vic"].get(f"/api/meetings/{meeting.pk}").json()
    assert [d["decision"] for d in shown["decisions"]] == ["approve", "defer"]
    assert apis["lena"].post_json(url, {"change": change.pk, "decision": "approve"}).status_code == 201
    change.refresh_from_db()
    assert change.status == "approved"


def test_list_meetings_constant_queries(people, stack, apis, django_assert_max_num_queries):
    change = ChangeRequestFactory(components=[stack["crm"]])
    marketing = people["maria"].person.department
    counter = iter(range(1000))

    def make():
        n = next(counter)
        meeting = Meeting.objects.create(title=f"CAB {n}", starts_at=at(n, 10), ends_at=at(n, 11))
        meeting.attendees.set([people["maria"].person, PersonFactory()])
        MeetingDecision.objects.create(meeting=meeting, change=change, department=marketing, decision="defer",
                                       comment="Later.", actor_name="Maria")

    assert_constant_queries(apis["vic"], "/api/meetings", make, django_assert_max_num_queries)


def test_meetings_filter_by_series_and_status(people, apis):
    series = meetings.series_create(actor=people["ivan"], data={
        "name": "CAB", "weekday": datetime.date.today().weekday(), "time": datetime.time(10), "timezone": "UTC",
        "starts_on": datetime.date.today()})
    single = Meeting.objects.create(title="Extra", starts_at=at(2, 15), ends_at=at(2, 16), status="cancelled")
    by_series = apis["vic"].get(f"/api/meetings?series={series.pk}").json()
    assert by_series["count"] == series.meetings.count()
    assert [m["id"] for m in apis["vic"].get("/api/meetings?status=cancelled").json()["items"]] == [single.pk]


# Calendar feed ---------------------------------------------------------------------------------


def test_rotate_calendar_feed_returns_a_working_url_once(people, stack, apis):
    Meeting.objects.create(title="CAB", starts_at=at(1, 10), ends_at=at(1, 11))
    submitted(people, stack)
    response = apis["vic"].post_json("/api/calendar-feed")
    assert response.status_code == 201, response.json()
    url = response.json()["url"]
    assert url.startswith("http://testserver/") and url.endswith(".ics")
    assert CalendarFeedToken.objects.get(user=people["vic"]).key_hash not in url  # only the hash is kept
    feed = Client().get(url.removeprefix("http://testserver"))
    assert feed.status_code == 200
    calendar = icalendar.Calendar.from_ical(feed.content)
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert any(s.startswith("Change-control meeting") for s in summaries)
    assert any(s.startswith("Change window") for s in summaries)  # Vic owns the impacted web forms
    rotated = apis["vic"].post_json("/api/calendar-feed").json()["url"]
    assert rotated != url
    assert Client().get(url.removeprefix("http://testserver")).status_code == 404
