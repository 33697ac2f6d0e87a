"""Intake web pages: capabilities, requests (filing, answer, workflow, reschedule), backlog and roadmap."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stacksteward.catalog.tests.factories import ComponentFactory
from stacksteward.core import questions as qa
from stacksteward.intake import services
from stacksteward.intake.models import BacklogItem, Capability, Iteration, Milestone, Request, ScheduleChange
from stacksteward.org.models import Person
from stacksteward.org.tests.factories import PersonFactory

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


def filing(capability, **overrides):
    data = {
        "title": "Spring campaign landing page", "objective": "Visitors from the spring ads can book a demo.",
        "why": "Paid traffic starts on the 1st and has nowhere to land.", "capability": str(capability.pk),
        "delivering_department": "", "cost_kind": "amount", "lost_cost_amount": "2000",
        "lost_cost_currency": "EUR", "lost_cost_period": "week", "lost_cost_unquantifiable": "",
        "needed_by": in_days(90).isoformat(), "success_kpis": "+10 % demo requests",
    }
    data.update(overrides)
    return data


def answered(request_obj, actor, **data):
    return services.request_respond(request_obj, actor=actor, expected_version=request_obj.version, data={
        "approach": "Built in the CMS from the campaign template.", "estimate_days": Decimal(5),
        "feasibility": "feasible", **data})


@pytest.fixture
def marketer_person(marketer):
    return Person.objects.get(user=marketer)


@pytest.fixture
def filed(marketer, capability):
    request_obj, _check = services.request_file(actor=marketer, data={
        "title": "Landing page", "objective": "A page.", "why": "Traffic has nowhere to land.",
        "lost_cost_amount": Decimal(1500), "needed_by": in_days(60), "capability": capability})
    return request_obj


@pytest.fixture
def accepted(filed, it_editor):
    answered(filed, it_editor)
    fresh = Request.objects.get(pk=filed.pk)
    return services.request_transition(fresh, actor=it_editor, to_status="accepted")


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# Pages render for every role ----------------------------------------------------------------

@pytest.fixture
def world(filed, it_editor, capability):
    roadmap = RoadmapFactory(name="Customer data", slug="customer-data", vision="One view of every customer.")
    iteration = IterationFactory(roadmap=roadmap, name="MVP 1")
    milestone = MilestoneFactory(roadmap=roadmap, name="Launch")
    milestone.requests.add(filed)
    item = services.backlog_item_create(actor=it_editor, data={"title": "Build the page", "request": filed,
                                                               "effort_days": Decimal(3), "iteration": iteration})
    return {"request": filed, "roadmap": roadmap, "iteration": iteration, "milestone": milestone, "item": item,
            "capability": capability}


PAGES = [
    ("intake:capability_list", None), ("intake:capability", "capability"), ("intake:request_list", None),
    ("intake:request_mine", None), ("intake:request_add", None), ("intake:request", "request"),
    ("intake:backlog_item_list", None), ("intake:backlog_item", "item"), ("intake:roadmap", "roadmap"),
    ("intake:iteration", "iteration"), ("intake:milestone", "milestone"), ("intake:schedule_change_list", None),
    ("question_list", None), ("notification_list", None), ("dashboard", None),
]


def _url(name, key, world):
    if key is None:
        return reverse(name)
    obj = world[key]
    return reverse(name, args=[obj.slug if hasattr(obj, "slug") else obj.pk])


@pytest.mark.parametrize("role", ["marketer", "it_editor", "viewer", "admin_user"])
def test_every_intake_page_renders_for_every_role(request, world, role):
    from stacksteward.intake.tests.conftest import login_client

    client = login_client(request.getfixturevalue(role))
    for name, key in PAGES:
        response = client.get(_url(name, key, world))
        assert response.status_code == 200, (name, role, response.status_code)
    assert client.get(reverse("intake:roadmap_list"), {"all": "1"}).status_code == 200


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("intake:request", args=[world["request"].pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_roadmap_list_with_one_roadmap_goes_straight_to_it(marketer_client, world):
    response = marketer_client.get(reverse("intake:roadmap_list"))
    assert response.status_code == 302
    assert response["Location"] == world["roadmap"].get_absolute_url()


def test_nav_links_and_unread_badge(marketer_client, marketer, it_editor, filed):
    answered(filed, it_editor)  # tells the requester
    content = marketer_client.get(reverse("dashboard")).content.decode()
    for label in ("Requests", "Backlog", "Roadmap", "Capabilities"):
        assert f">{label}</a>" in content
    assert 'data-testid="unread-count">1<' in content


# Capabilities -------------------------------------------------------------------------------

def test_capability_list_shows_what_is_and_is_not_possible(marketer_client, it_department):
    CapabilityFactory(name="New report", department=it_department, lead_time_days=7, can_do="Dashboards in Looker",
                      cannot_do="Real-time data", offering="partial")
    content = marketer_client.get(reverse("intake:capability_list")).content.decode()
    assert "New report" in content and "Dashboards in Looker" in content and "Real-time data" in content
    assert "7 working days" in content and "Offered partly" in content


def test_capability_detail_shows_observed_median_once_enough_history(marketer_client, capability, it_editor):
    for days in (10, 20, 30):
        r = RequestFactory(capability=capability, status="delivered")
        Request.objects.filter(pk=r.pk).update(created_at=datetime.datetime(2025, 1, 6, tzinfo=datetime.UTC),
                                               delivered_on=datetime.date(2025, 1, 6) + datetime.timedelta(days=days))
    content = marketer_client.get(capability.get_absolute_url()).content.decode()
    assert "Observed median delivery" in content
    assert "14 working days" in content  # 20 calendar days from a Monday = 14 working days


def test_capability_create_by_editor_and_refused_for_viewer(it_editor_client, marketer_client, it_department):
    data = {"name": "Data export", "slug": "", "department": str(it_department.pk), "lead_time_days": "5",
            "offering": "full", "description": "", "can_do": "CSV files", "cannot_do": "", "active": "on"}
    assert marketer_client.post(reverse("intake:capability_add"), data).status_code == 403
    assert not Capability.objects.filter(name="Data export").exists()
    response = it_editor_client.post(reverse("intake:capability_add"), data)
    capability = Capability.objects.get(name="Data export")
    assert response.status_code == 302 and response["Location"] == capability.get_absolute_url()
    assert capability.slug == "data-export"


def test_capability_edit_only_by_offering_department(other_editor, it_editor_client, capability):
    from stacksteward.intake.tests.conftest import login_client

    assert login_client(other_editor).get(reverse("intake:capability_edit", args=[capability.slug])).status_code == 403
    data = {"name": capability.name, "slug": capability.slug, "department": str(capability.department_id),
            "lead_time_days": "20", "offering": "full", "description": "", "can_do": "", "cannot_do": "",
            "active": "on", "version": str(capability.version)}
    response = it_editor_client.post(reverse("intake:capability_edit", args=[capability.slug]), data)
    assert response.status_code == 302
    capability.refresh_from_db()
    assert capability.lead_time_days == 20


# Filing a request ---------------------------------------------------------------------------

def test_request_form_asks_for_the_why_and_the_cost_of_waiting(marketer_client, capability):
    content = marketer_client.get(reverse("intake:request_add")).content.decode()
    assert "Why does it matter?" in content
    assert "What happens" in content  # the help text asks what happens if nothing is done
    assert "Can you put a number on the cost of waiting?" in content
    assert "it cannot be quantified, because" in content
    assert "New landing page — IT, 15 working days" in content
    assert 'id="id_needed_by"' in content and 'type="date"' in content


def test_marketer_files_request_and_sees_lead_time_warning_with_numbers(marketer_client, marketer_person,
                                                                        capability):
    component = ComponentFactory(name="CMS")
    needed_by = in_days(7)
    response = marketer_client.post(reverse("intake:request_add"),
                                    filing(capability, needed_by=needed_by.isoformat(),
                                           components=[str(component.pk)]), follow=True)
    request_obj = Request.objects.get()
    assert response.redirect_chain[-1][0] == request_obj.get_absolute_url()
    assert request_obj.requester == marketer_person
    assert request_obj.status == "submitted"
    assert request_obj.lost_cost_amount == Decimal(2000) and request_obj.lost_cost_currency == "EUR"
    assert list(request_obj.components.all()) == [component]
    assert request_obj.delivering_department == capability.department
    content = response.content.decode()
    assert "Lead time: Needed by" in content
    assert "takes 15 working days as standard" in content
    assert 'data-testid="lead-time-warnings"' in content


def test_filing_with_enough_time_shows_no_warning(marketer_client, marketer_person, capability):
    response = marketer_client.post(reverse("intake:request_add"), filing(capability), follow=True)
    assert Request.objects.count() == 1
    assert "Lead time:" not in " ".join(messages_of(response))
    assert 'data-testid="lead-time-warnings"' not in response.content.decode()


def test_filing_unquantifiable_cost_with_reason(marketer_client, marketer_person, capability):
    response = marketer_client.post(reverse("intake:request_add"), filing(
        capability, cost_kind="unquantifiable", lost_cost_amount="", lost_cost_unquantifiable="Legal duty (GDPR)"))
    assert response.status_code == 302
    request_obj = Request.objects.get()
    assert request_obj.lost_cost_amount is None and request_obj.lost_cost_unquantifiable == "Legal duty (GDPR)"


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"why": ""}, "why", "Say why it matters"),
    ({"why": "   "}, "why", "Say why it matters"),
    ({"needed_by": ""}, "needed_by", "Give the date it is needed by."),
    ({"needed_by": "2020-01-01"}, "needed_by", "is in the past"),
    ({"lost_cost_amount": "-5"}, "lost_cost_amount", "cannot be negative"),
    ({"lost_cost_amount": ""}, "lost_cost_amount", "Give the cost of waiting"),
    ({"cost_kind": "unquantifiable", "lost_cost_amount": ""}, "lost_cost_unquantifiable", "cannot be put in numbers"),
    ({"lost_cost_currency": "EURO"}, "lost_cost_currency", "Ensure this value has at most 3 characters"),
])
def test_filing_bad_input_shows_field_message_and_writes_nothing(marketer_client, marketer_person, capability,
                                                                 overrides, field, message):
    response = marketer_client.post(reverse("intake:request_add"), filing(capability, **overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message in " ".join(form.errors[field])
    assert 'data-testid="form-errors"' in response.content.decode()
    assert not Request.objects.exists()


def test_filing_without_linked_person_asks_for_requester(admin_client, capability):
    content = admin_client.get(reverse("intake:request_add")).content.decode()
    assert 'name="requester"' in content
    someone = PersonFactory(name="Sam Requester")
    response = admin_client.post(reverse("intake:request_add"), filing(capability, requester=str(someone.pk)))
    assert response.status_code == 302
    assert Request.objects.get().requester == someone


def test_live_lead_time_check_fragment(marketer_client, capability):
    response = marketer_client.get(reverse("intake:request_lead_time"),
                                   {"capability": capability.pk, "needed_by": in_days(3).isoformat()})
    content = response.content.decode()
    assert 'id="lead-time-check"' in content
    assert "15 working days" in content and "Lead time: Needed by" in content
    past = marketer_client.get(reverse("intake:request_lead_time"), {"needed_by": "2020-01-01"}).content.decode()
    assert "in the past" in past


def test_request_lists_filter_and_my_requests(marketer_client, marketer_person, filed, capability):
    RequestFactory(title="Someone else's request", capability=capability)
    content = marketer_client.get(reverse("intake:request_mine")).content.decode()
    assert "Landing page" in content and "Someone else&#x27;s request" not in content
    everything = marketer_client.get(reverse("intake:request_list")).content.decode()
    assert "Landing page" in everything and "Someone else&#x27;s request" in everything
    filtered = marketer_client.get(reverse("intake:request_list"), {"status": "declined"}).content.decode()
    assert "Landing page" not in filtered


def test_request_list_htmx_returns_only_results(marketer_client, filed):
    response = marketer_client.get(reverse("intake:request_list"), {"q": "Landing"},
                                   headers={"HX-Request": "true", "HX-Target": "results"})
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="results"') and "Landing page" in content


# The delivering side's answer ----------------------------------------------------------------

RESPOND = {"feasibility": "partly", "approach": "A CMS template page.", "estimate_days": "4", "estimate_cost": "",
           "constraints": "No custom forms."}


def test_marketer_cannot_respond(marketer_client, filed):
    url = reverse("intake:request_respond", args=[filed.pk])
    assert marketer_client.get(url).status_code == 403
    assert marketer_client.post(url, {**RESPOND, "version": filed.version}).status_code == 403
    filed.refresh_from_db()
    assert filed.feasibility == "" and filed.responder is None


def test_other_department_editor_cannot_respond(other_editor, filed):
    from stacksteward.intake.tests.conftest import login_client

    response = login_client(other_editor).post(reverse("intake:request_respond", args=[filed.pk]),
                                               {**RESPOND, "version": filed.version})
    assert response.status_code == 403
    filed.refresh_from_db()
    assert filed.feasibility == ""


def test_it_editor_responds_and_the_answer_shows(it_editor_client, it_editor, marketer_client, filed):
    detail = it_editor_client.get(filed.get_absolute_url()).content.decode()
    assert 'data-testid="respond-form"' in detail
    response = it_editor_client.post(reverse("intake:request_respond", args=[filed.pk]),
                                     {**RESPOND, "version": filed.version})
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.feasibility == "partly" and filed.estimate_days == Decimal(4)
    assert filed.responder.user == it_editor
    content = marketer_client.get(filed.get_absolute_url()).content.decode()
    assert "Partly feasible" in content and "No custom forms." in content and "Iteditor" in content
    assert 'data-testid="respond-form"' not in content


def test_respond_needs_constraints_when_partly_feasible(it_editor_client, filed):
    response = it_editor_client.post(reverse("intake:request_respond", args=[filed.pk]),
                                     {**RESPOND, "constraints": "", "version": filed.version})
    assert response.status_code == 200
    assert "constraints" in response.context["form"].errors
    filed.refresh_from_db()
    assert filed.feasibility == ""


def test_stale_answer_shows_merge_view_with_409(it_editor_client, it_editor, filed):
    old_version = filed.version
    answered(filed, it_editor)
    response = it_editor_client.post(reverse("intake:request_respond", args=[filed.pk]),
                                     {**RESPOND, "version": old_version})
    assert response.status_code == 409
    assert 'data-testid="conflict"' in response.content.decode()
    filed.refresh_from_db()
    assert filed.feasibility == "feasible"


# Workflow ---------------------------------------------------------------------------------

def test_transition_buttons_follow_permissions(marketer_client, it_editor_client, filed):
    marketer_page = marketer_client.get(filed.get_absolute_url()).content.decode()
    assert 'data-testid="transition-withdrawn"' in marketer_page
    assert 'data-testid="transition-accepted"' not in marketer_page
    it_page = it_editor_client.get(filed.get_absolute_url()).content.decode()
    assert 'data-testid="transition-accepted"' in it_page and 'data-testid="transition-declined"' in it_page
    assert 'data-testid="transition-withdrawn"' not in it_page


def test_it_editor_plans_request(it_editor_client, accepted):
    date = in_days(30)
    response = it_editor_client.post(reverse("intake:request_transition", args=[accepted.pk]), {
        "to_status": "planned", "planned_delivery": date.isoformat(), "note": "Into MVP 1",
        "version": accepted.version})
    assert response.status_code == 302
    accepted.refresh_from_db()
    assert accepted.status == "planned" and accepted.planned_delivery == date
    content = it_editor_client.get(accepted.get_absolute_url()).content.decode()
    assert "to <strong>planned</strong>" in content and "Into MVP 1" in content


def test_marketer_gets_403_on_plan(marketer_client, accepted):
    response = marketer_client.post(reverse("intake:request_transition", args=[accepted.pk]), {
        "to_status": "planned", "planned_delivery": in_days(30).isoformat(), "version": accepted.version})
    assert response.status_code == 403
    accepted.refresh_from_db()
    assert accepted.status == "accepted"


def test_transition_not_allowed_from_current_state_writes_nothing(it_editor_client, filed):
    response = it_editor_client.post(reverse("intake:request_transition", args=[filed.pk]), {
        "to_status": "delivered", "version": filed.version})
    assert response.status_code == 200
    content = response.content.decode()
    assert "cannot move to “delivered”" in content and 'data-testid="form-errors"' in content
    filed.refresh_from_db()
    assert filed.status == "submitted"
    assert filed.transitions.count() == 1


def test_decline_without_reason_is_refused(it_editor_client, filed):
    response = it_editor_client.post(reverse("intake:request_transition", args=[filed.pk]), {
        "to_status": "declined", "note": "", "version": filed.version})
    assert response.status_code == 200
    assert "Say why the request is declined." in response.content.decode()
    filed.refresh_from_db()
    assert filed.status == "submitted"


def test_plan_without_date_asks_for_it(it_editor_client, accepted):
    response = it_editor_client.post(reverse("intake:request_transition", args=[accepted.pk]), {
        "to_status": "planned", "version": accepted.version})
    assert "Give the planned delivery date." in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.status == "accepted"


def test_stale_transition_is_409(it_editor_client, it_editor, filed):
    old = filed.version
    services.request_transition(filed, actor=it_editor, to_status="clarifying")
    response = it_editor_client.post(reverse("intake:request_transition", args=[filed.pk]), {
        "to_status": "accepted", "version": old})
    assert response.status_code == 409
    filed.refresh_from_db()
    assert filed.status == "clarifying"


def test_marketer_withdraws_own_request(marketer_client, filed):
    response = marketer_client.post(reverse("intake:request_transition", args=[filed.pk]), {
        "to_status": "withdrawn", "note": "Campaign cancelled", "version": filed.version})
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.status == "withdrawn"


# Reschedule -------------------------------------------------------------------------------

@pytest.fixture
def planned(accepted, it_editor):
    return services.request_transition(accepted, actor=it_editor, to_status="planned", planned_delivery=in_days(20))


def test_reschedule_without_reason_writes_nothing(it_editor_client, planned):
    response = it_editor_client.post(reverse("intake:request_reschedule", args=[planned.pk]), {
        "planned_delivery": in_days(40).isoformat(), "reason": "", "version": planned.version})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert not ScheduleChange.objects.exists()
    planned.refresh_from_db()
    assert planned.planned_delivery == in_days(20)


def test_reschedule_with_reason_is_recorded_and_shown_to_marketer(it_editor_client, marketer_client, marketer,
                                                                  planned):
    response = it_editor_client.post(reverse("intake:request_reschedule", args=[planned.pk]), {
        "planned_delivery": in_days(40).isoformat(), "reason": "The CMS upgrade comes first",
        "version": planned.version})
    assert response.status_code == 302
    change = ScheduleChange.objects.get()
    assert change.new_date == in_days(40) and change.notified_count >= 1
    content = marketer_client.get(planned.get_absolute_url()).content.decode()
    assert "The CMS upgrade comes first" in content
    assert marketer.notifications.filter(kind="schedule_changed").exists()


def test_marketer_gets_403_on_reschedule(marketer_client, planned):
    response = marketer_client.post(reverse("intake:request_reschedule", args=[planned.pk]), {
        "planned_delivery": in_days(40).isoformat(), "reason": "x", "version": planned.version})
    assert response.status_code == 403
    assert not ScheduleChange.objects.exists()


# Edit, watch, timeline ----------------------------------------------------------------------

def test_requester_edits_request_and_past_date_is_refused(marketer_client, filed, capability):
    url = reverse("intake:request_edit", args=[filed.pk])
    data = filing(capability, title="Landing page v2", version=str(filed.version))
    bad = marketer_client.post(url, {**data, "needed_by": "2020-01-01"})
    assert bad.status_code == 200 and "needed_by" in bad.context["form"].errors
    filed.refresh_from_db()
    assert filed.title == "Landing page"
    assert marketer_client.post(url, data).status_code == 302
    filed.refresh_from_db()
    assert filed.title == "Landing page v2"


def test_stale_request_edit_is_409_with_merge(marketer_client, marketer, filed, capability):
    old = filed.version
    services.request_update(filed, actor=marketer, data={"title": "Changed meanwhile"}, expected_version=old)
    response = marketer_client.post(reverse("intake:request_edit", args=[filed.pk]),
                                    filing(capability, why="A better why", version=str(old)))
    assert response.status_code == 409
    filed.refresh_from_db()
    assert filed.title == "Changed meanwhile" and filed.why != "A better why"


def test_other_viewer_cannot_edit_request(viewer_client, filed):
    assert viewer_client.get(reverse("intake:request_edit", args=[filed.pk])).status_code == 403


def test_watch_and_unwatch(viewer_client, viewer, filed):
    url = reverse("intake:request_watch", args=[filed.pk])
    assert viewer_client.post(url, {"watch": "1"}).status_code == 302
    assert filed.watchers.filter(pk=viewer.pk).exists()
    assert "Stop watching" in viewer_client.get(filed.get_absolute_url()).content.decode()
    viewer_client.post(url, {"watch": "0"})
    assert not filed.watchers.filter(pk=viewer.pk).exists()


def test_timeline_merges_transitions_questions_and_answers(marketer_client, marketer, it_editor, filed):
    question = qa.question_ask(actor=it_editor, target=filed, text="Which campaign?",
                               addressed_person=filed.requester)
    qa.question_answer(question, actor=marketer, text="The spring one.")
    services.request_transition(filed, actor=it_editor, to_status="accepted")
    content = marketer_client.get(filed.get_absolute_url()).content.decode()
    timeline = content[content.index('data-testid="timeline"'):content.index('data-testid="questions"')]
    assert timeline.index("filed it") < timeline.index("Which campaign?") < timeline.index("The spring one.") \
        < timeline.index("to <strong>accepted</strong>")
    assert "1 open" in content  # the open question with its age in the Q&A block


# Backlog ----------------------------------------------------------------------------------

def test_backlog_sorted_by_score_with_override_and_needs_estimate(viewer_client, it_editor):
    services.backlog_item_create(actor=it_editor, data={"title": "Low", "effort_days": Decimal(10), "value": 1})
    services.backlog_item_create(actor=it_editor, data={"title": "High", "effort_days": Decimal(1), "value": 9})
    services.backlog_item_create(actor=it_editor, data={"title": "Unestimated", "value": 9})
    services.backlog_item_create(actor=it_editor, data={"title": "Forced", "effort_days": Decimal(10), "value": 1,
                                                        "priority_override": Decimal(99),
                                                        "override_reason": "CEO promise"})
    content = viewer_client.get(reverse("intake:backlog_item_list")).content.decode()
    order = [content.index(t) for t in ("Forced", "High", "Low", "Unestimated")]
    assert order == sorted(order)
    assert 'data-testid="overridden"' in content and "Set by hand: CEO promise" in content
    assert 'data-testid="needs-estimate"' in content


def test_backlog_item_detail_explains_the_score(viewer_client, it_editor, filed):
    item = services.backlog_item_create(actor=it_editor, data={"title": "Page", "request": filed, "value": 5,
                                                               "effort_days": Decimal(2)})
    content = viewer_client.get(item.get_absolute_url()).content.decode()
    assert "Value points" in content and "Lost-cost points" in content and "Urgency points" in content
    assert "1,500 USD per week" in content
    assert "Cost of delay" in content and str(item.score) in content


def test_backlog_item_create_with_dependency_and_override(it_editor_client):
    base = BacklogItemFactory(title="Base")
    response = it_editor_client.post(reverse("intake:backlog_item_add"), {
        "title": "Next", "kind": "enhancement", "description": "", "value": "5", "effort_days": "2",
        "needed_by": "", "priority_override": "7", "override_reason": "Promised", "status": "new",
        "depends_on": [str(base.pk)]})
    assert response.status_code == 302
    item = BacklogItem.objects.get(title="Next")
    assert list(item.depends_on.all()) == [base] and item.score == Decimal(7)


def test_backlog_override_without_reason_writes_nothing(it_editor_client):
    response = it_editor_client.post(reverse("intake:backlog_item_add"), {
        "title": "Next", "kind": "enhancement", "value": "5", "effort_days": "2", "status": "new",
        "priority_override": "7", "override_reason": ""})
    assert response.status_code == 200
    assert "override_reason" in response.context["form"].errors
    assert not BacklogItem.objects.exists()


def test_marketer_gets_403_on_backlog_plan_and_edit(marketer_client, world):
    item = world["item"]
    assert marketer_client.post(reverse("intake:backlog_item_plan", args=[item.pk]), {
        "iteration": "", "reason": "x", "version": item.version}).status_code == 403
    assert marketer_client.get(reverse("intake:backlog_item_edit", args=[item.pk])).status_code == 403
    item.refresh_from_db()
    assert item.iteration == world["iteration"]


def test_bump_without_reason_is_refused_then_with_reason_is_shown(it_editor_client, marketer_client, world):
    item = world["item"]
    url = reverse("intake:backlog_item_plan", args=[item.pk])
    response = it_editor_client.post(url, {"iteration": "", "reason": "", "version": item.version})
    assert response.status_code == 200
    assert "Say why the date moves" in response.content.decode()
    item.refresh_from_db()
    assert item.iteration == world["iteration"] and not ScheduleChange.objects.exists()
    response = it_editor_client.post(url, {"iteration": "", "reason": "Security fix first",
                                           "version": item.version})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.iteration is None
    content = marketer_client.get(item.get_absolute_url()).content.decode()
    assert "bumped from MVP 1" in content and "Security fix first" in content
    roadmap = marketer_client.get(world["roadmap"].get_absolute_url()).content.decode()
    assert "Security fix first" in roadmap
    request_page = marketer_client.get(world["request"].get_absolute_url()).content.decode()
    assert "bumped from MVP 1" in request_page and "Security fix first" in request_page


def test_edit_form_moving_item_out_needs_reason(it_editor_client, world):
    item = world["item"]
    url = reverse("intake:backlog_item_edit", args=[item.pk])
    page = it_editor_client.get(url).content.decode()
    assert "Reason for the move" in page
    data = {"title": item.title, "kind": item.kind, "description": "", "request": str(item.request_id),
            "value": str(item.value), "effort_days": "3", "needed_by": "", "priority_override": "",
            "override_reason": "", "status": "planned", "assignee": "", "iteration": "", "schedule_reason": "",
            "version": str(item.version)}
    response = it_editor_client.post(url, data)
    assert response.status_code == 200 and "Say why the date moves" in response.content.decode()
    item.refresh_from_db()
    assert item.iteration_id == world["iteration"].pk
    response = it_editor_client.post(url, {**data, "schedule_reason": "Waiting for the vendor"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.iteration is None and ScheduleChange.objects.get().reason == "Waiting for the vendor"


def test_dependency_cycle_is_refused_in_the_form(it_editor_client, it_editor):
    a = services.backlog_item_create(actor=it_editor, data={"title": "A", "effort_days": Decimal(1)})
    b = services.backlog_item_create(actor=it_editor, data={"title": "B", "effort_days": Decimal(1),
                                                            "depends_on": [a]})
    response = it_editor_client.post(reverse("intake:backlog_item_edit", args=[a.pk]), {
        "title": "A", "kind": "enhancement", "value": "5", "effort_days": "1", "status": "new",
        "depends_on": [str(b.pk)], "version": str(a.version)})
    assert response.status_code == 200
    assert "would make a cycle" in response.content.decode()
    assert not a.depends_on.exists()


# Roadmap ----------------------------------------------------------------------------------

def test_roadmap_shows_vision_timeline_items_and_requests(viewer_client, world):
    content = viewer_client.get(world["roadmap"].get_absolute_url()).content.decode()
    assert "One view of every customer." in content
    assert 'data-testid="iteration-bar"' in content and 'data-testid="milestone-marker"' in content
    assert "Build the page" in content
    assert f"R-{world['request'].pk} Landing page" in content


def test_iteration_date_move_needs_reason(it_editor_client, world):
    iteration = world["iteration"]
    url = reverse("intake:iteration_edit", args=[iteration.pk])
    data = {"roadmap": str(iteration.roadmap_id), "name": iteration.name, "goal": "",
            "start": iteration.start.isoformat(), "end": (iteration.end + datetime.timedelta(days=7)).isoformat(),
            "status": "planned", "schedule_reason": "", "version": str(iteration.version)}
    response = it_editor_client.post(url, data)
    assert response.status_code == 200 and "Say why the date moves" in response.content.decode()
    iteration.refresh_from_db()
    assert not ScheduleChange.objects.exists()
    response = it_editor_client.post(url, {**data, "schedule_reason": "Holidays"})
    assert response.status_code == 302
    assert ScheduleChange.objects.get().reason == "Holidays"
    assert Iteration.objects.get(pk=iteration.pk).end == iteration.end + datetime.timedelta(days=7)


def test_milestone_create_and_move(it_editor_client, world):
    roadmap = world["roadmap"]
    response = it_editor_client.post(reverse("intake:milestone_add"), {
        "roadmap": str(roadmap.pk), "name": "Beta", "due": in_days(40).isoformat(), "description": "",
        "requests": [str(world["request"].pk)]})
    assert response.status_code == 302
    milestone = Milestone.objects.get(name="Beta")
    assert list(milestone.requests.all()) == [world["request"]]
    response = it_editor_client.post(reverse("intake:milestone_edit", args=[milestone.pk]), {
        "roadmap": str(roadmap.pk), "name": "Beta", "due": in_days(50).isoformat(), "description": "",
        "requests": [str(world["request"].pk)], "schedule_reason": "", "version": str(milestone.version)})
    assert response.status_code == 200
    assert Milestone.objects.get(pk=milestone.pk).due == in_days(40)


def test_viewer_cannot_add_iteration(marketer_client, world):
    assert marketer_client.get(reverse("intake:iteration_add")).status_code == 403


# Query counts -----------------------------------------------------------------------------

def _requests(n, capability):
    for _ in range(n):
        r = RequestFactory(capability=capability, requester=PersonFactory())
        r.components.add(ComponentFactory())


def _items(n):
    roadmap = RoadmapFactory()
    iteration = IterationFactory(roadmap=roadmap)
    for _ in range(n):
        item = BacklogItemFactory(request=RequestFactory(), iteration=iteration, assignee=PersonFactory(),
                                  score=Decimal(3))
        item.components.add(ComponentFactory())
        item.depends_on.add(BacklogItemFactory())


def _schedule_changes(n):
    for _ in range(n):
        ScheduleChange.objects.create(backlog_item=BacklogItemFactory(), field="iteration", reason="Because",
                                      actor_name="x", old_label="A", new_label="B")


@pytest.mark.parametrize(("url_name", "make", "bound"), [
    ("intake:capability_list", lambda n, cap, person: CapabilityFactory.create_batch(n), 10),
    ("intake:request_list", lambda n, cap, person: _requests(n, cap), 14),
    ("intake:request_mine", lambda n, cap, person: [RequestFactory(capability=cap, requester=person)
                                                    for _ in range(n)], 14),
    ("intake:backlog_item_list", lambda n, cap, person: _items(n), 14),
    ("intake:roadmap_list", lambda n, cap, person: RoadmapFactory.create_batch(n), 10),
    ("intake:schedule_change_list", lambda n, cap, person: _schedule_changes(n), 10),
])
def test_list_pages_use_constant_queries(marketer_client, marketer_person, capability, django_assert_max_num_queries,
                                         url_name, make, bound):
    url = reverse(url_name)
    params = {"all": "1"} if url_name == "intake:roadmap_list" else {}
    make(3, capability, marketer_person)
    marketer_client.get(url, params)  # warm up caches
    with CaptureQueriesContext(connection) as few:
        marketer_client.get(url, params)
    make(12, capability, marketer_person)
    with CaptureQueriesContext(connection) as many:
        response = marketer_client.get(url, params)
    with django_assert_max_num_queries(bound):
        marketer_client.get(url, params)
    assert response.status_code == 200
    assert len(many) == len(few)


def test_request_list_counts_open_questions_in_one_query(marketer_client, marketer, capability,
                                                         django_assert_max_num_queries):
    requests = [RequestFactory(capability=capability) for _ in range(5)]
    for r in requests:
        qa.question_ask(actor=marketer, target=r, text="When?", addressed_department=capability.department)
    with django_assert_max_num_queries(14):
        content = marketer_client.get(reverse("intake:request_list")).content.decode()
    assert content.count('<span class="pill">1</span>') == 5
