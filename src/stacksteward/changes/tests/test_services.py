import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stacksteward.changes import services
from stacksteward.changes.models import ChangeRequest
from stacksteward.core.actors import SystemActor
from stacksteward.core.exceptions import StaleVersionError
from stacksteward.core.models import AuditEntry, Notification, Transition

from .factories import CalendarEventFactory, ChangeRequestFactory, at


def _draft(actor, stack, **overrides):
    data = {"title": "Rename the CRM's lead source field", "components": [stack["crm"]],
            "window_start": at(7, 10), "window_end": at(7, 12),
            "rollback_plan": "Rename it back; the automation mapping is exported first.", **overrides}
    return services.change_create(actor=actor, data=data)


def _approvals(change):
    return {a.department.slug: a for a in change.approvals.select_related("department")}


def test_create_draft_needs_components_and_rollback_plan(people, stack):
    with pytest.raises(ValidationError) as exc:
        _draft(people["ivan"], stack, components=[])
    assert "components" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _draft(people["ivan"], stack, rollback_plan="")
    assert "rollback_plan" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _draft(people["ivan"], stack, window_end=at(7, 9))
    assert "window_end" in exc.value.message_dict
    assert not ChangeRequest.objects.exists()
    standard = _draft(people["ivan"], stack, type="standard", rollback_plan="")
    assert standard.status == "draft"


def test_viewer_cannot_file_a_change(people, stack):
    with pytest.raises(PermissionDenied):
        _draft(people["vic"], stack)


def test_submit_computes_impact_risk_and_required_approvals(people, stack):
    change = services.change_submit(_draft(people["ivan"], stack), actor=people["ivan"])
    assert change.status == "submitted"
    impacted = [c["slug"] for c in change.impact_snapshot["components"]]
    assert impacted == ["automation", "web-forms"]
    assert change.impact_snapshot["personal_data"] is True
    assert set(_approvals(change)) == {"marketing", "legal"}  # Accountable for the CRM; personal data
    assert change.risk in ("medium", "high")
    assert any("personal data" in r for r in change.risk_reasons)
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"maria", "lena"} <= told
    assert list(change.transitions.values_list("to_status", flat=True)) == ["draft", "submitted"]


def test_all_approvals_approve_any_rejection_rejects(people, stack):
    change = services.change_submit(_draft(people["ivan"], stack), actor=people["ivan"])
    change = services.change_transition(change, actor=people["ivan"], to_status="awaiting_approval")
    approvals = _approvals(change)
    with pytest.raises(PermissionDenied):
        services.approval_decide(approvals["marketing"], actor=people["lena"], decision="approved")
    with pytest.raises(PermissionDenied):
        services.approval_decide(approvals["marketing"], actor=people["vic"], decision="approved")
    services.approval_decide(approvals["marketing"], actor=people["maria"], decision="approved", comment="Fine.")
    change.refresh_from_db()
    assert change.status == "awaiting_approval"
    services.approval_decide(approvals["legal"], actor=people["lena"], decision="approved")
    change.refresh_from_db()
    assert change.status == "approved"
    assert Notification.objects.filter(recipient=people["vic"], title__endswith="is approved").exists()


def test_rejection_needs_a_comment_and_rejects_the_change(people, stack):
    change = services.change_submit(_draft(people["ivan"], stack), actor=people["ivan"])
    legal = _approvals(change)["legal"]
    with pytest.raises(ValidationError) as exc:
        services.approval_decide(legal, actor=people["lena"], decision="rejected")
    assert "comment" in exc.value.message_dict
    services.approval_decide(legal, actor=people["lena"], decision="rejected", comment="No DPA for the new field.")
    change.refresh_from_db()
    assert change.status == "rejected"
    assert change.reject_reason == "Legal: No DPA for the new field."
    with pytest.raises(ValidationError):
        services.approval_decide(_approvals(change)["marketing"], actor=people["maria"], decision="approved")


def test_conflict_needs_a_justification(people, stack):
    launch = CalendarEventFactory(name="Spring campaign launch", components=[stack["forms"]])
    draft = _draft(people["ivan"], stack)
    with pytest.raises(ValidationError) as exc:
        services.change_submit(draft, actor=people["ivan"])
    assert "Spring campaign launch" in exc.value.message_dict["conflict_justification"][0]
    draft.refresh_from_db()
    assert draft.status == "draft"
    change = services.change_submit(draft, actor=people["ivan"], conflict_justification="Security fix; 5 minutes.")
    assert change.impact_snapshot["conflicts"][0]["other_id"] == launch.pk
    assert any("conflict" in r for r in change.risk_reasons)


def test_standard_change_is_pre_approved(people, stack):
    change = services.change_submit(_draft(people["ivan"], stack, type="standard"), actor=people["ivan"])
    assert change.status == "approved"
    assert not change.approvals.exists()


def test_change_without_approvers_is_approved_when_assessed(people, stack):
    change = services.change_submit(_draft(people["ivan"], stack, components=[stack["forms"]]), actor=people["ivan"])
    assert not change.approvals.exists()
    change = services.change_transition(change, actor=people["ivan"], to_status="awaiting_approval")
    assert change.status == "approved"


def test_workflow_refuses_steps_out_of_order(people, stack):
    change = services.change_submit(_draft(people["ivan"], stack), actor=people["ivan"])
    with pytest.raises(ValidationError) as exc:
        services.change_transition(change, actor=people["ivan"], to_status="implemented")
    assert "from here it can go to" in exc.value.message_dict["status"][0]
    with pytest.raises(ValidationError):
        services.change_review(change, actor=people["ivan"], outcome="x")


def test_emergency_goes_ahead_then_approved_after_the_fact_and_reviewed(people, stack):
    change = services.change_submit(_draft(people["ivan"], stack, type="emergency"), actor=people["ivan"])
    change = services.change_transition(change, actor=people["ivan"], to_status="implemented", note="Hotfix.")
    assert change.review_required
    services.approval_decide(_approvals(change)["marketing"], actor=people["maria"], decision="approved")
    change.refresh_from_db()
    assert change.status == "implemented"  # approval after the fact does not move it back
    with pytest.raises(ValidationError) as exc:
        services.change_review(change, actor=people["ivan"], outcome=" ")
    assert "outcome" in exc.value.message_dict
    change = services.change_review(change, actor=people["ivan"], outcome="Fixed.", went_well="Fast.",
                                    went_badly="Nobody told PR.")
    assert change.status == "reviewed"


def test_rolled_back_needs_a_note_and_tells_everyone(people, stack):
    change = services.change_submit(_draft(people["ivan"], stack, type="standard"), actor=people["ivan"])
    change = services.change_transition(change, actor=people["ivan"], to_status="scheduled")
    with pytest.raises(ValidationError):
        services.change_transition(change, actor=people["ivan"], to_status="rolled_back")
    Notification.objects.all().delete()
    services.change_transition(change, actor=people["ivan"], to_status="rolled_back", note="Sync errors.")
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"maria", "vic"}  # owners of the impacted components; not the actor


def test_reschedule_recomputes_conflicts_and_tells_everyone(people, stack):
    change = services.change_submit(_draft(people["ivan"], stack, type="standard"), actor=people["ivan"])
    CalendarEventFactory(name="Trade show", kind="trade_show", start=at(14, 0), end=at(15, 0),
                         components=[stack["automation"]])
    with pytest.raises(ValidationError) as exc:
        services.change_update(change, actor=people["ivan"], expected_version=change.version,
                               data={"window_start": at(14, 10), "window_end": at(14, 11)})
    assert "conflict_justification" in exc.value.message_dict
    change.refresh_from_db()
    assert change.window_start == at(7, 10)
    Notification.objects.all().delete()
    change = services.change_update(change, actor=people["ivan"], expected_version=change.version,
                                    data={"window_start": at(21, 10), "window_end": at(21, 11)})
    assert Notification.objects.filter(kind="schedule_changed", recipient=people["vic"]).exists()


def test_recompute_reports_the_difference(people, stack):
    from stacksteward.catalog.tests.factories import ComponentFactory, RelationFactory

    change = services.change_submit(_draft(people["ivan"], stack), actor=people["ivan"])
    assert not services.change_recompute(change, actor=people["ivan"])["changed"]
    RelationFactory(source=stack["automation"], target=ComponentFactory(name="Webinar tool"))
    diff = services.change_recompute(change, actor=people["ivan"])
    assert diff["components"]["added"] == ["Webinar tool"]
    change.refresh_from_db()
    assert "Webinar tool" in [c["name"] for c in change.impact_snapshot["components"]]


def test_stale_edit_is_refused(people, stack):
    change = _draft(people["ivan"], stack)
    services.change_update(change, actor=people["ivan"], data={"title": "New"}, expected_version=change.version)
    with pytest.raises(StaleVersionError):
        services.change_update(change, actor=people["ivan"], data={"title": "Mine"}, expected_version=change.version)


def test_every_step_is_audited(people, stack):
    change = services.change_submit(_draft(people["ivan"], stack), actor=people["ivan"])
    entries = AuditEntry.objects.filter(content_type__model="changerequest", object_id=str(change.pk))
    assert entries.filter(action="create").count() == 1
    assert entries.filter(action="update").exists()
    approvals = AuditEntry.objects.filter(content_type__model="changeapproval", related_object_id=str(change.pk))
    assert approvals.count() == 2
    assert Transition.objects.about(change).count() == 2


def test_only_drafts_are_deleted(people, stack):
    change = services.change_submit(_draft(people["ivan"], stack), actor=people["ivan"])
    with pytest.raises(ValidationError):
        services.change_delete(change, actor=people["ivan"])
    draft = _draft(people["ivan"], stack)
    services.change_delete(draft, actor=people["ivan"])
    assert not ChangeRequest.objects.filter(pk=draft.pk).exists()


def test_overlapping_changes_conflict(people, stack):
    ChangeRequestFactory(components=[stack["crm"]], window_start=at(7, 11), window_end=at(7, 13))
    with pytest.raises(ValidationError):
        services.change_submit(_draft(people["ivan"], stack), actor=people["ivan"])


def test_calendar_and_meetings_are_kept_by_editors_only(people):
    import datetime

    from stacksteward.changes import meetings

    viewer = people["vic"]
    with pytest.raises(PermissionDenied):
        services.event_create(actor=viewer, data={"name": "Launch", "kind": "campaign_launch",
                                                  "start": at(3, 0), "end": at(4, 0)})
    with pytest.raises(PermissionDenied):
        meetings.series_create(actor=viewer, data={"name": "CAB", "weekday": 1, "time": datetime.time(10),
                                                   "timezone": "UTC", "starts_on": datetime.date.today()})
    with pytest.raises(PermissionDenied):
        meetings.meeting_create(actor=viewer, data={"title": "CAB", "starts_at": at(1, 10), "ends_at": at(1, 11)})
    event = services.event_create(actor=people["ivan"], data={"name": "Launch", "kind": "campaign_launch",
                                                              "start": at(3, 0), "end": at(4, 0)})
    with pytest.raises(PermissionDenied):
        services.event_delete(event, actor=viewer)
    services.event_delete(event, actor=SystemActor.cli())  # a system actor (the CLI, the demo) is trusted
