"""Plans and scope changes reach the request: an iteration's moved end moves the planned delivery of the
requests planned in it (with a timeline entry and the reason), and a scope change by the requester after the
delivering side answered or planned is a change order (back to "needs re-estimate", the diff shown, counted)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stacksteward.core.models import AuditEntry, Notification, Transition
from stacksteward.core.tests.api_helpers import error_fields
from stacksteward.intake import services
from stacksteward.intake.choices import RequestStatusChoices as S
from stacksteward.intake.models import ChangeOrder, ScheduleChange
from stacksteward.intake.timeline import request_timeline
from stacksteward.org.models import Person
from stacksteward.org.tests.factories import PersonFactory

from .conftest import _member
from .factories import BacklogItemFactory, IterationFactory, RequestFactory, in_days

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def _filed(marketer, capability, **overrides):
    request, _check = services.request_file(actor=marketer, data={
        "title": "Spring landing page", "objective": "Visitors from the spring ads can book a demo.",
        "why": "Paid traffic has nowhere to land.", "lost_cost_amount": Decimal(2000), "needed_by": in_days(60),
        "success_kpis": "60 demo bookings in the first month", "capability": capability, **overrides})
    return _fresh(request)


def _answered(request, actor, days=5):
    return services.request_respond(request, actor=actor, expected_version=_fresh(request).version, data={
        "approach": "Built in the CMS from the campaign template.", "estimate_days": Decimal(days),
        "feasibility": "feasible"})


def _planned(request, actor, on):
    _answered(request, actor)
    accepted = services.request_transition(_fresh(request), actor=actor, to_status=S.ACCEPTED)
    return services.request_transition(accepted, actor=actor, to_status=S.PLANNED, planned_delivery=on)


@pytest.fixture
def iteration():
    return IterationFactory(name="MVP 1", start=in_days(1), end=in_days(14))


@pytest.fixture
def planned_in_it(marketer, it_editor, capability, iteration):
    """A request planned for the iteration's end, its backlog item planned in the iteration."""
    request = _planned(_filed(marketer, capability), it_editor, iteration.end)
    services.backlog_item_create(actor=it_editor, data={"title": "Build the page", "request": request,
                                                        "effort_days": Decimal(3), "iteration": iteration})
    return _fresh(request)


def _move_end(iteration, actor, days, reason="Two people out sick."):
    return services.iteration_update(iteration, actor=actor, expected_version=_fresh(iteration).version,
                                     data={"end": iteration.end + days * DAY, "schedule_reason": reason})


# Iteration moves: services --------------------------------------------------------------------------

def test_moving_an_iteration_end_moves_the_planned_delivery_with_a_timeline_entry(planned_in_it, iteration,
                                                                                  it_editor, marketer):
    version = planned_in_it.version
    _move_end(iteration, it_editor, 7)
    request = _fresh(planned_in_it)
    assert request.planned_delivery == iteration.end + 7 * DAY
    assert request.version == version + 1
    entry = AuditEntry.objects.get(object_id=str(request.pk), content_type__model="request", action="update",
                                   after__planned_delivery=(iteration.end + 7 * DAY).isoformat())
    assert entry.before["planned_delivery"] == iteration.end.isoformat()
    change = ScheduleChange.objects.get(request=request)
    assert (change.field, change.old_date, change.new_date) == ("planned_delivery", iteration.end,
                                                                iteration.end + 7 * DAY)
    new_end = iteration.end + 7 * DAY
    assert change.reason == (f"MVP 1 now ends {new_end.day} {new_end:%b %Y} (was {iteration.end.day} "
                             f"{iteration.end:%b %Y}): Two people out sick.")
    timeline = [e for e in request_timeline(request) if e.kind == "schedule_change"]
    assert [e.obj for e in timeline] == [change]
    # The requester is told once (by the iteration's move), not twice.
    told = Notification.objects.filter(recipient=marketer, kind="schedule_changed")
    assert told.count() == 1 and told.get().body == "Two people out sick."


def test_a_margin_left_before_the_iteration_end_is_kept(marketer, it_editor, capability, iteration):
    request = _planned(_filed(marketer, capability), it_editor, iteration.end + 5 * DAY)
    BacklogItemFactory(request=request, iteration=iteration, status="planned")
    _move_end(iteration, it_editor, -3)
    assert _fresh(request).planned_delivery == iteration.end + 2 * DAY  # 5 days after the new end, still


def test_a_later_iteration_holding_the_request_work_keeps_the_date(marketer, it_editor, capability, iteration):
    later = IterationFactory(roadmap=iteration.roadmap, start=in_days(15), end=in_days(28))
    request = _planned(_filed(marketer, capability), it_editor, later.end)
    BacklogItemFactory(request=request, iteration=iteration, status="planned")
    BacklogItemFactory(request=request, iteration=later, status="planned")
    _move_end(iteration, it_editor, 7)  # still ends before the later one
    assert _fresh(request).planned_delivery == later.end
    assert not ScheduleChange.objects.filter(request=request).exists()
    _move_end(_fresh(iteration), it_editor, 17)  # ends on day 21 + 17 = 38, 10 days after the later one
    assert _fresh(request).planned_delivery == later.end + 10 * DAY


def test_requests_not_following_the_iteration_keep_their_dates(marketer, it_editor, capability, iteration):
    delivered = _planned(_filed(marketer, capability), it_editor, iteration.end)
    services.request_transition(services.request_transition(_fresh(delivered), actor=it_editor,
                                                            to_status=S.IN_PROGRESS),
                                actor=it_editor, to_status=S.DELIVERED)
    BacklogItemFactory(request=delivered, iteration=iteration, status="planned")
    done_work = _planned(_filed(marketer, capability), it_editor, iteration.end)
    BacklogItemFactory(request=done_work, iteration=iteration, status="done")
    unplanned = _answered(_filed(marketer, capability), it_editor)  # answered, no planned date
    BacklogItemFactory(request=unplanned, iteration=iteration, status="planned")
    _move_end(iteration, it_editor, 7)
    assert _fresh(delivered).planned_delivery == iteration.end
    assert _fresh(done_work).planned_delivery == iteration.end
    assert _fresh(unplanned).planned_delivery is None
    assert not ScheduleChange.objects.filter(request__isnull=False).exists()


def test_moving_only_the_start_leaves_the_planned_delivery(planned_in_it, iteration, it_editor):
    services.iteration_update(iteration, actor=it_editor, expected_version=iteration.version,
                              data={"start": iteration.start + DAY, "schedule_reason": "Kick-off a day later."})
    assert _fresh(planned_in_it).planned_delivery == iteration.end
    assert not ScheduleChange.objects.filter(request=planned_in_it).exists()


def test_moving_without_a_reason_names_the_field_and_the_requests_and_writes_nothing(planned_in_it, iteration,
                                                                                    it_editor):
    audits = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.iteration_update(iteration, actor=it_editor, expected_version=iteration.version,
                                  data={"end": iteration.end + 7 * DAY, "schedule_reason": "  "})
    assert caught.value.message_dict == {"reason": [
        f"Say why the dates move: the planned delivery of 1 request planned in it (R-{planned_in_it.pk}) moves "
        "with its end, and their requesters read this reason."]}
    assert _fresh(iteration).end == iteration.end and _fresh(planned_in_it).planned_delivery == iteration.end
    assert not ScheduleChange.objects.exists() and AuditEntry.objects.count() == audits


def test_an_editor_of_another_department_moving_the_iteration_moves_the_requests(planned_in_it, iteration,
                                                                                 other_editor):
    _move_end(iteration, other_editor, 7)  # may move iterations, so the plans follow
    assert _fresh(planned_in_it).planned_delivery == iteration.end + 7 * DAY


def test_a_viewer_cannot_move_an_iteration(planned_in_it, iteration, marketer):
    with pytest.raises(PermissionDenied):
        _move_end(iteration, marketer, 7)
    assert _fresh(planned_in_it).planned_delivery == iteration.end


def test_every_request_in_the_iteration_moves_in_one_transaction(marketer, it_editor, capability, iteration):
    requests = [_planned(_filed(marketer, capability, title=f"Page {n}"), it_editor, iteration.end)
                for n in range(3)]
    for request in requests:
        BacklogItemFactory(request=request, iteration=iteration, status="planned")
    _move_end(iteration, it_editor, 7)
    assert {_fresh(r).planned_delivery for r in requests} == {iteration.end + 7 * DAY}
    assert ScheduleChange.objects.filter(request__in=requests).count() == 3


# Iteration moves: API and pages ----------------------------------------------------------------------

def test_api_patch_iteration_without_schedule_reason_is_422_naming_it(planned_in_it, iteration, api_as, it_editor):
    api = api_as(it_editor)
    url = f"/api/iterations/{iteration.pk}"
    body = {"version": iteration.version, "end": (iteration.end + 7 * DAY).isoformat()}
    refused = api.patch_json(url, body)
    assert refused.status_code == 422 and error_fields(refused) == ["schedule_reason"]
    assert f"R-{planned_in_it.pk}" in refused.json()["errors"][0]["message"]
    assert _fresh(planned_in_it).planned_delivery == iteration.end
    moved = api.patch_json(url, {**body, "schedule_reason": "Vendor API late."})
    assert moved.status_code == 200, moved.json()
    request = api.get(f"/api/requests/{planned_in_it.pk}").json()
    assert request["planned_delivery"] == (iteration.end + 7 * DAY).isoformat()
    timeline = api.get(f"/api/requests/{planned_in_it.pk}/timeline").json()
    entry = next(e for e in timeline if e["kind"] == "schedule_change")
    assert entry["old_date"] == iteration.end.isoformat() and entry["new_date"] == request["planned_delivery"]
    assert entry["text"].endswith(": Vendor API late.")


def test_iteration_edit_page_asks_the_reason_and_the_request_page_shows_the_new_date(planned_in_it, iteration,
                                                                                     it_editor_client,
                                                                                     marketer_client):
    url = reverse("intake:iteration_edit", args=[iteration.pk])
    form = it_editor_client.get(url).content.decode()
    assert "Reason for the move" in form and f"R-{planned_in_it.pk}" in form
    new_end = iteration.end + 7 * DAY
    data = {"roadmap": str(iteration.roadmap_id), "name": iteration.name, "goal": "",
            "start": iteration.start.isoformat(), "end": new_end.isoformat(), "status": "planned",
            "schedule_reason": "", "version": str(iteration.version)}
    refused = it_editor_client.post(url, data)
    assert refused.status_code == 200 and "Say why the dates move" in refused.content.decode()
    assert it_editor_client.post(url, {**data, "schedule_reason": "Holidays"}).status_code == 302
    page = marketer_client.get(planned_in_it.get_absolute_url()).content.decode()
    assert f'data-testid="planned-delivery">{new_end.day} {new_end:%b %Y}<' in page
    assert "Holidays" in page
    assert (f"planned delivery from {iteration.end.day} {iteration.end:%b %Y} to {new_end.day} {new_end:%b %Y} "
            "because") in page


# Change orders: services ------------------------------------------------------------------------------

@pytest.fixture
def accepted(marketer, it_editor, capability):
    request = _filed(marketer, capability)
    _answered(request, it_editor)
    return services.request_transition(_fresh(request), actor=it_editor, to_status=S.ACCEPTED)


def _edit(request, actor, **data):
    return services.request_update(_fresh(request), actor=actor, data=data,
                                   expected_version=_fresh(request).version)


def test_edits_before_the_estimate_are_not_change_orders(marketer, capability, it_editor):
    request = _filed(marketer, capability)
    edited = _edit(request, marketer, needed_by=in_days(70), success_kpis="80 demo bookings")
    assert edited.status == S.SUBMITTED and not ChangeOrder.objects.exists()
    assert not Notification.objects.filter(recipient=it_editor, title__startswith="Change order").exists()


def test_a_scope_change_after_the_estimate_is_a_change_order(accepted, marketer, it_editor):
    old_needed_by = accepted.needed_by
    new_needed_by = in_days(45)
    version = accepted.version
    edited = _edit(accepted, marketer, needed_by=new_needed_by, success_kpis="80 demo bookings",
                   lost_cost_amount=Decimal(2500))
    assert edited.status == S.NEEDS_REESTIMATE and edited.version == version + 1  # one write: scope and status
    order = ChangeOrder.objects.get(request=accepted)
    assert (order.number, order.from_status, order.estimate_days, order.actor) == (1, S.ACCEPTED, Decimal(5),
                                                                                   marketer)
    assert order.changes == [
        {"field": "needed_by", "label": "needed by", "before": f"{old_needed_by.day} {old_needed_by:%b %Y}",
         "after": f"{new_needed_by.day} {new_needed_by:%b %Y}"},
        {"field": "success_kpis", "label": "success KPIs", "before": "60 demo bookings in the first month",
         "after": "80 demo bookings"},
    ]
    assert order.summary == "Needed by and success KPIs changed"
    transition = Transition.objects.about(accepted).last()
    assert (transition.step, transition.from_status, transition.to_status) == ("change_scope", S.ACCEPTED,
                                                                               S.NEEDS_REESTIMATE)
    entry = AuditEntry.objects.filter(object_id=str(accepted.pk), content_type__model="request").latest("id")
    assert entry.before["status"] == S.ACCEPTED and entry.after["status"] == S.NEEDS_REESTIMATE
    assert entry.after["needed_by"] == new_needed_by.isoformat()
    assert AuditEntry.objects.filter(content_type__model="changeorder", object_id=str(order.pk)).exists()
    note = Notification.objects.get(recipient=it_editor, title__startswith="Change order")
    assert note.title == f"Change order 1 on {edited} — Needed by and success KPIs changed"
    assert note.body.splitlines() == [
        f"Needed by: {old_needed_by.day} {old_needed_by:%b %Y} → {new_needed_by.day} {new_needed_by:%b %Y}",
        "Success KPIs: 60 demo bookings in the first month → 80 demo bookings",
        "The estimate of 5.0 days was given before this change: estimate it again."]
    assert order.notified_count == 1
    assert not Notification.objects.filter(recipient=marketer, title__startswith="Change order").exists()
    assert [e.kind for e in request_timeline(edited)][-2:] == ["transition", "change_order"]


def test_a_change_order_on_a_planned_request_keeps_the_plan_it_made_stale(marketer, it_editor, capability):
    request = _planned(_filed(marketer, capability), it_editor, in_days(30))
    edited = _edit(request, marketer, objective="Visitors can book a demo and download the spec sheet.")
    assert edited.status == S.NEEDS_REESTIMATE and edited.planned_delivery == in_days(30)
    order = edited.change_orders.get()
    assert (order.from_status, order.planned_delivery) == (S.PLANNED, in_days(30))
    assert order.changes[0]["label"] == "business objective"


def test_edits_that_do_not_change_the_scope_are_not_change_orders(accepted, marketer):
    edited = _edit(accepted, marketer, lost_cost_amount=Decimal(3000), why="  Paid traffic has nowhere to land. ")
    assert edited.status == S.ACCEPTED and not ChangeOrder.objects.exists()


def test_edits_by_the_delivering_side_are_not_change_orders(accepted, it_editor):
    edited = _edit(accepted, it_editor, needed_by=in_days(75))
    assert edited.status == S.ACCEPTED and edited.needed_by == in_days(75)
    assert not ChangeOrder.objects.exists()


def test_an_admin_outside_the_delivering_department_makes_a_change_order(accepted, admin_user):
    edited = _edit(accepted, admin_user, title="Spring and summer landing page")
    assert edited.status == S.NEEDS_REESTIMATE
    assert edited.change_orders.get().changes == [{"field": "title", "label": "title",
                                                   "before": "Spring landing page",
                                                   "after": "Spring and summer landing page"}]


def test_a_further_change_before_the_re_estimate_is_counted_without_moving(accepted, marketer):
    _edit(accepted, marketer, needed_by=in_days(45))
    transitions = Transition.objects.about(accepted).count()
    edited = _edit(accepted, marketer, why="Paid traffic and the trade show have nowhere to land.")
    assert edited.status == S.NEEDS_REESTIMATE
    assert list(edited.change_orders.order_by("number").values_list("number", "from_status")) == [
        (1, S.ACCEPTED), (2, S.NEEDS_REESTIMATE)]
    assert Transition.objects.about(accepted).count() == transitions


def test_accepting_or_planning_again_needs_a_fresh_answer(accepted, marketer, it_editor):
    _edit(accepted, marketer, needed_by=in_days(45))
    for to in (S.ACCEPTED, S.PLANNED):
        with pytest.raises(ValidationError) as caught:
            services.request_transition(_fresh(accepted), actor=it_editor, to_status=to, planned_delivery=in_days(40))
        verb = "accepting" if to == S.ACCEPTED else "planning"
        today = datetime.date.today()
        assert caught.value.message_dict == {"status": [
            f"The scope changed after the last answer (needed by changed on {today.day} {today:%b %Y}): answer "
            f"again — approach, estimate and feasibility — before {verb} it."]}
    assert _fresh(accepted).status == S.NEEDS_REESTIMATE
    _answered(accepted, it_editor, days=8)
    planned = services.request_transition(_fresh(accepted), actor=it_editor, to_status=S.PLANNED,
                                          planned_delivery=in_days(40))
    assert planned.status == S.PLANNED and planned.estimate_days == Decimal(8)


def test_the_requester_may_still_withdraw_and_the_delivering_side_decline(accepted, marketer, it_editor):
    _edit(accepted, marketer, needed_by=in_days(45))
    assert services.request_transition(_fresh(accepted), actor=it_editor, to_status=S.DECLINED,
                                       note="Cannot be done by then.").status == S.DECLINED


def test_a_stale_edit_writes_no_change_order(accepted, marketer):
    from stacksteward.core.exceptions import StaleVersionError

    with pytest.raises(StaleVersionError):
        services.request_update(accepted, actor=marketer, data={"needed_by": in_days(45)},
                                expected_version=accepted.version - 1)
    assert not ChangeOrder.objects.exists() and _fresh(accepted).status == S.ACCEPTED


# Change orders: API ------------------------------------------------------------------------------------

def test_api_edit_after_the_estimate_is_a_change_order_shown_with_its_diff(accepted, api_as, marketer, it_editor):
    api = api_as(marketer)
    old = accepted.needed_by
    response = api.patch_json(f"/api/requests/{accepted.pk}", {"version": accepted.version,
                                                               "needed_by": in_days(45).isoformat()})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "reestimate" and body["change_order_count"] == 1
    orders = api.get(f"/api/requests/{accepted.pk}/change-orders").json()
    new = in_days(45)
    assert orders == [{
        "number": 1, "summary": "Needed by changed", "from_status": "accepted",
        "changes": [{"field": "needed_by", "label": "needed by", "before": f"{old.day} {old:%b %Y}",
                     "after": f"{new.day} {new:%b %Y}"}],
        "estimate_days": "5.0", "planned_delivery": None, "actor_name": "Marketer", "notified_count": 1,
        "created_at": orders[0]["created_at"]}]
    timeline = api.get(f"/api/requests/{accepted.pk}/timeline").json()
    entry = next(e for e in timeline if e["kind"] == "change_order")
    assert entry["summary"] == "Change order 1: Needed by changed" and entry["change_order"] == 1
    assert entry["text"] == f"needed by: {old.day} {old:%b %Y} → {new.day} {new:%b %Y}"
    listed = api.get("/api/requests").json()["items"]
    assert [r["change_order_count"] for r in listed if r["id"] == accepted.pk] == [1]
    # The delivering side cannot accept again before answering again: 422 naming ``to``.
    it_api = api_as(it_editor)
    refused = it_api.post_json(f"/api/requests/{accepted.pk}/transitions", {"to": "accepted", "version": 99})
    assert refused.status_code in (409, 422)
    refused = it_api.post_json(f"/api/requests/{accepted.pk}/transitions",
                               {"to": "accepted", "version": body["version"]})
    assert refused.status_code == 422 and error_fields(refused) == ["to"]


def test_api_backlog_items_carry_their_request_change_orders(accepted, marketer, api_as, it_editor):
    item = services.backlog_item_create(actor=it_editor, data={"title": "Build it", "request": accepted,
                                                               "effort_days": Decimal(2)})
    _edit(accepted, marketer, needed_by=in_days(45))
    _edit(accepted, marketer, needed_by=in_days(50))
    listed = api_as(it_editor).get("/api/backlog-items").json()["items"]
    assert [i["request_change_orders"] for i in listed if i["id"] == item.pk] == [2]


def test_api_change_orders_of_a_request_the_caller_cannot_see_is_404(api_as, viewer):
    assert api_as(viewer).get("/api/requests/999999/change-orders").status_code == 404


# Change orders: pages ----------------------------------------------------------------------------------

def test_requester_edit_page_warns_and_the_request_page_shows_the_diff(accepted, marketer_client, it_editor_client,
                                                                       capability):
    url = reverse("intake:request_edit", args=[accepted.pk])
    assert "is a change order" in marketer_client.get(url).content.decode()
    old = accepted.needed_by
    new = in_days(45)
    response = marketer_client.post(url, {
        "title": accepted.title, "objective": accepted.objective, "why": accepted.why,
        "capability": str(capability.pk), "delivering_department": "", "cost_kind": "amount",
        "lost_cost_amount": "2000", "lost_cost_currency": "USD", "lost_cost_period": "week",
        "lost_cost_unquantifiable": "", "needed_by": new.isoformat(), "success_kpis": accepted.success_kpis,
        "version": str(accepted.version)}, follow=True)
    content = response.content.decode()
    assert "This is change order 1" in content
    assert 'data-testid="request-status">Needs re-estimate<' in content
    assert 'data-testid="change-order-count">1 change order<' in content
    assert 'data-testid="stale-answer"' in content
    assert f"<del aria-label=\"before\">{old.day} {old:%b %Y}</del>" in content
    assert f"<ins aria-label=\"after\">{new.day} {new:%b %Y}</ins>" in content
    assert "<dt><strong>Needed by</strong></dt>" in content and 'id="change-order-1"' in content
    assert "{'" not in content and "{&#x27;" not in content  # no stored dicts, not even in the history
    assert "needed_by" not in content.split('data-testid="change-orders"')[1][:3000]
    assert f"Needed by: {old.day} {old:%b %Y} → {new.day} {new:%b %Y}" in content  # the history, as text
    # The delivering side is offered the way back, labelled as such.
    page = it_editor_client.get(accepted.get_absolute_url()).content.decode()
    assert "Re-estimated: accept again" in page and "Re-estimated: plan again" in page


def test_backlog_and_request_lists_show_the_change_order_count(accepted, marketer, it_editor, viewer_client):
    services.backlog_item_create(actor=it_editor, data={"title": "Build it", "request": accepted,
                                                        "effort_days": Decimal(2)})
    _edit(accepted, marketer, needed_by=in_days(45))
    _edit(accepted, marketer, needed_by=in_days(50))
    backlog = viewer_client.get(reverse("intake:backlog_item_list")).content.decode()
    assert ">2 change orders</small></a>" in backlog
    requests = viewer_client.get(reverse("intake:request_list")).content.decode()
    assert 'data-testid="change-orders">2 change orders</small>' in requests


def _items_with_change_orders(n, marketer_person):
    iteration = IterationFactory()
    for _ in range(n):
        request = RequestFactory(requester=PersonFactory())
        ChangeOrder.objects.create(request=request, number=1, from_status="accepted", actor_name="x",
                                   changes=[{"field": "title", "label": "title", "before": "A", "after": "B"}])
        BacklogItemFactory(request=request, iteration=iteration, score=Decimal(3))


@pytest.mark.parametrize("url_name", ["intake:backlog_item_list", "intake:request_list"])
def test_lists_count_change_orders_in_constant_queries(marketer_client, marketer, url_name,
                                                       django_assert_max_num_queries):
    person = Person.objects.get(user=marketer)
    url = reverse(url_name)
    _items_with_change_orders(3, person)
    marketer_client.get(url)
    with CaptureQueriesContext(connection) as few:
        marketer_client.get(url)
    _items_with_change_orders(12, person)
    with CaptureQueriesContext(connection) as many:
        content = marketer_client.get(url).content.decode()
    assert len(many) == len(few)
    assert content.count("1 change order<") == 15
    with django_assert_max_num_queries(14):
        marketer_client.get(url)


def test_a_delivering_department_person_who_filed_the_request_makes_no_change_order(it_department, capability,
                                                                                   it_editor):
    it_viewer = _member("itviewer", "viewer", it_department)
    request = _filed(it_viewer, capability)
    _answered(request, it_editor)
    assert _edit(request, it_viewer, needed_by=in_days(45)).status == S.SUBMITTED
    assert not ChangeOrder.objects.exists()

