import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stacksteward.catalog.tests.factories import ComponentFactory
from stacksteward.core.exceptions import StaleVersionError
from stacksteward.core.models import AuditEntry, Notification, Transition
from stacksteward.intake import services
from stacksteward.intake.leadtime import MIN_HISTORY, lead_time_check
from stacksteward.intake.models import BacklogItem, Request, ScheduleChange
from stacksteward.intake.workdays import add_working_days
from stacksteward.org.tests.factories import PersonFactory

from .factories import (
    BacklogItemFactory,
    IterationFactory,
    MilestoneFactory,
    RequestFactory,
    in_days,
)


def _filing(capability, **overrides):
    return {"title": "Spring campaign landing page", "objective": "A page for the spring campaign.",
            "why": "Paid traffic has nowhere to land.", "lost_cost_amount": Decimal(2000),
            "needed_by": in_days(60), "capability": capability, **overrides}


def _accepted(request, actor):
    return services.request_transition(request, actor=actor, to_status="accepted")


def _answered(request, actor):
    return services.request_respond(request, actor=actor, expected_version=request.version, data={
        "approach": "Built in the CMS from the campaign template.", "estimate_days": Decimal(5),
        "feasibility": "feasible"})


# Filing -----------------------------------------------------------------------------------

def test_request_file_by_marketer_is_submitted_audited_and_told_to_delivering_side(marketer, it_editor, capability):
    request, check = services.request_file(actor=marketer, data=_filing(capability))
    assert request.status == "submitted"
    assert request.requester.user == marketer
    assert request.delivering_department == capability.department
    assert list(request.transitions.values_list("from_status", "to_status")) == [("", "submitted")]
    assert AuditEntry.objects.filter(object_id=str(request.pk), content_type__model="request", action="create").exists()
    assert Notification.objects.filter(recipient=it_editor, object_id=str(request.pk)).count() == 1
    assert not Notification.objects.filter(recipient=marketer).exists()
    assert check.ok


@pytest.mark.parametrize(("overrides", "field"), [
    ({"why": "  "}, "why"),
    ({"objective": ""}, "objective"),
    ({"needed_by": datetime.date(2020, 1, 1)}, "needed_by"),
    ({"lost_cost_amount": Decimal(-1)}, "lost_cost_amount"),
    ({"lost_cost_amount": None}, "lost_cost_amount"),
    ({"lost_cost_amount": Decimal(10), "lost_cost_unquantifiable": "Brand damage"}, "lost_cost_unquantifiable"),
    ({"lost_cost_currency": "EURO"}, "lost_cost_currency"),
])
def test_request_file_with_bad_input_names_the_field_and_writes_nothing(marketer, capability, overrides, field):
    with pytest.raises(ValidationError) as exc:
        services.request_file(actor=marketer, data=_filing(capability, **overrides))
    assert field in exc.value.message_dict
    assert not Request.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="request").exists()


def test_request_file_unquantifiable_cost_needs_only_the_reason(marketer, capability):
    request, _ = services.request_file(actor=marketer, data=_filing(
        capability, lost_cost_amount=None, lost_cost_unquantifiable="A legal duty: the cookie banner must change."))
    assert request.weekly_lost_cost is None


def test_request_file_without_a_person_must_name_the_requester(editor, capability):
    with pytest.raises(ValidationError) as exc:
        services.request_file(actor=editor, data=_filing(capability))
    assert "requester" in exc.value.message_dict
    person = PersonFactory()
    request, _ = services.request_file(actor=editor, data=_filing(capability, requester=person))
    assert request.requester == person


def test_monthly_lost_cost_is_normalised_per_week():
    request = Request(lost_cost_amount=Decimal(5200), lost_cost_period="month")
    assert request.weekly_lost_cost == Decimal("1200.00")


# Lead time --------------------------------------------------------------------------------

def test_lead_time_warns_at_filing_with_the_numbers(marketer, capability):
    _, check = services.request_file(actor=marketer, data=_filing(capability, needed_by=in_days(7)))
    assert not check.ok
    assert check.standard_days == 15
    assert check.working_days_available < 15
    assert "takes 15 working days as standard" in check.warnings[0]
    assert check.observed_median_days is None  # no history yet


def test_lead_time_uses_observed_median_once_enough_history(marketer, capability):
    filed = datetime.date(2026, 1, 5)  # a Monday
    for days in (20, 25, 30):
        done = RequestFactory(capability=capability, status="delivered",
                              delivered_on=add_working_days(filed, days))
        Request.objects.filter(pk=done.pk).update(created_at=datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC))
    check = lead_time_check(capability, add_working_days(filed, 22), filed)
    assert check.history_count == MIN_HISTORY
    assert check.observed_median_days == 25
    assert len(check.warnings) == 1  # 22 ≥ the standard 15, but < the observed median 25
    assert "median of 25 working days" in check.warnings[0]


def test_lead_time_ignores_history_below_the_minimum(capability):
    filed = datetime.date(2026, 1, 5)
    done = RequestFactory(capability=capability, status="delivered", delivered_on=add_working_days(filed, 40))
    Request.objects.filter(pk=done.pk).update(created_at=datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC))
    check = lead_time_check(capability, add_working_days(filed, 20), filed)
    assert check.history_count == 1
    assert check.observed_median_days is None
    assert check.ok


# Workflow ---------------------------------------------------------------------------------

def test_full_workflow_by_the_allowed_people(marketer, it_editor, capability):
    request, _ = services.request_file(actor=marketer, data=_filing(capability))
    request = services.request_transition(request, actor=it_editor, to_status="clarifying", note="Which audience?")
    request = services.request_transition(request, actor=marketer, to_status="submitted", note="EMEA only.")
    request = _accepted(request, it_editor)
    request = _answered(request, it_editor)
    assert request.responder.user == it_editor
    request = services.request_transition(request, actor=it_editor, to_status="planned", planned_delivery=in_days(30))
    request = services.request_transition(request, actor=it_editor, to_status="in_progress")
    request = services.request_transition(request, actor=it_editor, to_status="delivered")
    assert request.delivered_on == datetime.date.today()
    request = services.request_transition(request, actor=marketer, to_status="measured",
                                          note="Demo requests +12 % in four weeks.")
    assert request.measured_outcome.startswith("Demo requests")
    steps = list(Transition.objects.about(request).values_list("to_status", flat=True))
    assert steps == ["submitted", "clarifying", "submitted", "accepted", "planned", "in_progress", "delivered",
                     "measured"]
    # the five steps IT took; the marketer is not told of their own steps
    assert Notification.objects.filter(recipient=marketer, kind="status_changed").count() == 5


def test_transition_not_allowed_from_current_state_is_refused(marketer, it_editor, capability):
    request, _ = services.request_file(actor=marketer, data=_filing(capability))
    with pytest.raises(ValidationError) as exc:
        services.request_transition(request, actor=it_editor, to_status="delivered")
    assert "from here it can go to" in exc.value.message_dict["status"][0]
    request.refresh_from_db()
    assert request.status == "submitted"


def test_marketer_cannot_accept_and_other_department_editor_cannot_plan(marketer, other_editor, capability):
    request, _ = services.request_file(actor=marketer, data=_filing(capability))
    with pytest.raises(PermissionDenied):
        services.request_transition(request, actor=marketer, to_status="accepted")
    with pytest.raises(PermissionDenied):
        services.request_transition(request, actor=other_editor, to_status="accepted")
    with pytest.raises(PermissionDenied):
        services.request_respond(request, actor=other_editor, expected_version=request.version,
                                 data={"approach": "x", "feasibility": "feasible"})


def test_admin_may_take_any_allowed_step(marketer, admin_user, capability):
    request, _ = services.request_file(actor=marketer, data=_filing(capability))
    request = services.request_transition(request, actor=admin_user, to_status="withdrawn")
    assert request.status == "withdrawn"


def test_decline_needs_a_reason(marketer, it_editor, capability):
    request, _ = services.request_file(actor=marketer, data=_filing(capability))
    with pytest.raises(ValidationError) as exc:
        services.request_transition(request, actor=it_editor, to_status="declined")
    assert "note" in exc.value.message_dict
    request = services.request_transition(request, actor=it_editor, to_status="declined",
                                          note="The CMS cannot host forms; use the events platform.")
    assert request.decline_reason.startswith("The CMS")


def test_plan_needs_an_answer_and_a_future_date(marketer, it_editor, capability):
    request, _ = services.request_file(actor=marketer, data=_filing(capability))
    request = _accepted(request, it_editor)
    with pytest.raises(ValidationError) as exc:
        services.request_transition(request, actor=it_editor, to_status="planned", planned_delivery=in_days(-1))
    assert {"status", "planned_delivery"} <= set(exc.value.message_dict)


def test_respond_partly_feasible_needs_constraints(marketer, it_editor, capability):
    request, _ = services.request_file(actor=marketer, data=_filing(capability))
    with pytest.raises(ValidationError) as exc:
        services.request_respond(request, actor=it_editor, expected_version=request.version,
                                 data={"approach": "Only the form part.", "feasibility": "partly"})
    assert "constraints" in exc.value.message_dict


def test_stale_transition_is_refused(marketer, it_editor, capability):
    request, _ = services.request_file(actor=marketer, data=_filing(capability))
    stale = request.version
    services.request_update(request, actor=marketer, data={"title": "Renamed"}, expected_version=stale)
    with pytest.raises(StaleVersionError):
        services.request_transition(request, actor=it_editor, to_status="accepted", expected_version=stale)


def test_update_refuses_a_needed_by_date_in_the_past(marketer, capability):
    request, _ = services.request_file(actor=marketer, data=_filing(capability))
    with pytest.raises(ValidationError) as exc:
        services.request_update(request, actor=marketer, data={"needed_by": in_days(-2)},
                                expected_version=request.version)
    assert "needed_by" in exc.value.message_dict


# Schedule changes -------------------------------------------------------------------------

def _planned(marketer, it_editor, capability, **filing):
    request, _ = services.request_file(actor=marketer, data=_filing(capability, **filing))
    request = _answered(_accepted(request, it_editor), it_editor)
    return services.request_transition(request, actor=it_editor, to_status="planned", planned_delivery=in_days(20))


def test_reschedule_needs_a_reason_and_tells_everyone_affected(marketer, it_editor, capability, django_user_model):
    owner_user = django_user_model.objects.create(username="owner")
    owner = PersonFactory(user=owner_user)
    watcher = django_user_model.objects.create(username="watcher")
    component = ComponentFactory(business_owner=owner)
    request = _planned(marketer, it_editor, capability, components=[component])
    services.request_watch(request, actor=watcher)
    with pytest.raises(ValidationError) as exc:
        services.request_reschedule(request, actor=it_editor, planned_delivery=in_days(40), reason=" ")
    assert "reason" in exc.value.message_dict
    assert not ScheduleChange.objects.exists()

    change = services.request_reschedule(request, actor=it_editor, planned_delivery=in_days(40),
                                         reason="The CMS upgrade froze releases for two weeks.")
    assert (change.old_date, change.new_date) == (in_days(20), in_days(40))
    told = set(Notification.objects.filter(kind="schedule_changed").values_list("recipient__username", flat=True))
    assert told == {"marketer", "owner", "watcher"}  # requester, component owner, watcher; not the actor
    assert change.notified_count == 3
    request.refresh_from_db()
    assert request.planned_delivery == in_days(40)


def test_bumping_an_item_to_the_next_iteration_records_the_reason(marketer, it_editor, capability):
    request = _planned(marketer, it_editor, capability)
    first = IterationFactory(start=in_days(1), end=in_days(14))
    second = IterationFactory(roadmap=first.roadmap, start=in_days(15), end=in_days(28))
    item = services.backlog_item_create(actor=it_editor, data={"title": "Build the page", "request": request,
                                                               "effort_days": Decimal(3), "iteration": first})
    assert item.status == "planned"
    with pytest.raises(ValidationError) as exc:
        services.backlog_item_plan(item, actor=it_editor, iteration=second)
    assert "reason" in exc.value.message_dict
    item.refresh_from_db()
    assert item.iteration == first

    item = services.backlog_item_plan(item, actor=it_editor, iteration=second, reason="Urgent security fix first.")
    change = item.schedule_changes.get()
    assert (change.old_date, change.new_date, change.reason) == (first.end, second.end, "Urgent security fix first.")
    note = Notification.objects.get(recipient=marketer, kind="schedule_changed")
    assert note.body == "Urgent security fix first."
    assert str(second) in note.title


def test_moving_an_iteration_or_milestone_needs_a_reason(it_editor, marketer, capability):
    request = _planned(marketer, it_editor, capability)
    iteration = IterationFactory()
    services.backlog_item_create(actor=it_editor, data={"title": "Work", "request": request, "iteration": iteration})
    with pytest.raises(ValidationError):
        services.iteration_update(iteration, actor=it_editor, data={"end": in_days(21)},
                                  expected_version=iteration.version)
    services.iteration_update(iteration, actor=it_editor, expected_version=iteration.version,
                              data={"end": in_days(21), "schedule_reason": "Two people out sick."})
    assert Notification.objects.filter(recipient=marketer, kind="schedule_changed").exists()

    milestone = MilestoneFactory(roadmap=iteration.roadmap)
    milestone.requests.add(request)
    with pytest.raises(ValidationError):
        services.milestone_update(milestone, actor=it_editor, data={"due": in_days(45)},
                                  expected_version=milestone.version)
    services.milestone_update(milestone, actor=it_editor, expected_version=milestone.version,
                              data={"due": in_days(45), "schedule_reason": "Trade show moved."})
    assert ScheduleChange.objects.filter(milestone=milestone, reason="Trade show moved.").exists()


# Backlog ----------------------------------------------------------------------------------

def test_item_score_is_stored_and_override_needs_a_reason(editor, marketer, capability):
    request, _ = services.request_file(actor=marketer, data=_filing(capability, needed_by=add_working_days(
        datetime.date.today(), 5), lost_cost_amount=Decimal(2000)))
    item = services.backlog_item_create(actor=editor, data={"title": "Page", "request": request, "value": 7,
                                                            "effort_days": Decimal(3)})
    assert item.score == item.computed_score == Decimal("7.33")
    with pytest.raises(ValidationError) as exc:
        services.backlog_item_update(item, actor=editor, data={"priority_override": Decimal(50)},
                                     expected_version=item.version)
    assert "override_reason" in exc.value.message_dict
    item = services.backlog_item_update(item, actor=editor, expected_version=item.version,
                                        data={"priority_override": Decimal(50), "override_reason": "CEO promise."})
    assert item.score == Decimal(50)
    assert item.computed_score == Decimal("7.33")


def test_backlog_sorts_by_score_unestimated_last(editor):
    low = services.backlog_item_create(actor=editor, data={"title": "Low", "value": 1, "effort_days": Decimal(10)})
    high = services.backlog_item_create(actor=editor, data={"title": "High", "value": 9, "effort_days": Decimal(1)})
    none = services.backlog_item_create(actor=editor, data={"title": "Unestimated", "value": 9})
    from django.db.models import F

    ordered = list(BacklogItem.objects.order_by(F("score").desc(nulls_last=True), "id"))
    assert ordered == [high, low, none]


def test_dependency_cycles_are_refused(editor):
    a = BacklogItemFactory(title="A")
    b = BacklogItemFactory(title="B")
    c = BacklogItemFactory(title="C")
    b = services.backlog_item_update(b, actor=editor, data={"depends_on": [a]}, expected_version=b.version)
    c = services.backlog_item_update(c, actor=editor, data={"depends_on": [b]}, expected_version=c.version)
    a.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.backlog_item_update(a, actor=editor, data={"depends_on": [c]}, expected_version=a.version)
    assert "cycle" in exc.value.message_dict["depends_on"][0]
    with pytest.raises(ValidationError):
        services.backlog_item_update(a, actor=editor, data={"depends_on": [a]}, expected_version=a.version)
    assert list(a.depends_on.all()) == []


def test_item_cannot_start_before_its_dependencies_are_done(editor):
    first = BacklogItemFactory(title="First")
    then = services.backlog_item_create(actor=editor, data={"title": "Then", "depends_on": [first]})
    with pytest.raises(ValidationError) as exc:
        services.backlog_item_update(then, actor=editor, data={"status": "in_progress"}, expected_version=then.version)
    assert "First" in exc.value.message_dict["status"][0]
    services.backlog_item_update(first, actor=editor, data={"status": "done"}, expected_version=first.version)
    then = services.backlog_item_update(then, actor=editor, data={"status": "in_progress"},
                                        expected_version=then.version)
    assert then.status == "in_progress"


def test_rescore_follows_the_calendar(editor, marketer, capability):
    request, _ = services.request_file(actor=marketer, data=_filing(capability, needed_by=in_days(120)))
    item = services.backlog_item_create(actor=editor, data={"title": "Later", "request": request,
                                                            "effort_days": Decimal(2)})
    before = item.score
    assert services.rescore_items(on=in_days(115)) == 1  # five days before the date: urgency jumps
    item.refresh_from_db()
    assert item.score > before
    assert services.rescore_items(on=in_days(115)) == 0


def test_watching_is_audited_once(marketer, capability, django_user_model):
    request, _ = services.request_file(actor=marketer, data=_filing(capability))
    watcher = django_user_model.objects.create(username="watcher")
    entries = AuditEntry.objects.filter(content_type__model="request", object_id=str(request.pk), action="update")
    services.request_watch(request, actor=watcher)
    services.request_watch(request, actor=watcher)  # already watching: nothing to record
    assert [e.after for e in entries] == [{"watchers": "watcher watching"}]
    services.request_watch(request, actor=watcher, watch=False)
    assert entries.all().count() == 2  # a fresh query: the list above cached the first result
    assert not request.watchers.filter(pk=watcher.pk).exists()
