"""The page shell: grouped navigation (who sees what, where you are), one palette of status badges
for every workflow, list tables with optional columns."""

import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from stacksteward.catalog.tests.factories import ComponentFactory
from stacksteward.changes.choices import ApprovalDecisionChoices, ChangeStatusChoices, MeetingStatusChoices
from stacksteward.core.choices import QuestionStatusChoices
from stacksteward.core.navigation import NAVIGATION, main_nav
from stacksteward.core.status import Tone, declared, tone_named, tone_of
from stacksteward.core.workflow import registered
from stacksteward.finance.choices import ContractStatusChoices, SelectionStatusChoices
from stacksteward.intake.choices import (
    BacklogItemStatusChoices,
    CapabilityOfferingChoices,
    FeasibilityChoices,
    IterationStatusChoices,
    RequestStatusChoices,
)

pytestmark = pytest.mark.django_db


# Navigation ------------------------------------------------------------------------------------

def labels(groups):
    return {g["label"]: [e["label"] for e in g["entries"]] for g in groups}


def test_navigation_groups_pages_by_what_people_do(editor):
    groups = labels(main_nav(editor, "dashboard"))
    assert list(groups) == ["Stack", "Work", "Money", "People", "Admin"]
    assert groups["Stack"] == ["Components", "Vendors", "Categories", "Relations", "Graph", "Health"]
    assert groups["Work"][:5] == ["Requests", "Backlog", "Roadmap", "Capabilities", "Changes"]
    assert groups["Money"][0] == "Contracts" and "KPIs" in groups["Money"] and "Budget" in groups["Money"]
    assert groups["People"] == ["People", "Departments"]
    assert groups["Admin"] == ["Import and export", "Audit log", "My API tokens"]


def test_navigation_shows_only_what_the_user_may_use(viewer, admin_user):
    assert labels(main_nav(viewer, "dashboard"))["Admin"] == ["Export", "Audit log", "My API tokens"]
    admin_user.is_staff = True
    assert "Site administration" in labels(main_nav(admin_user, "dashboard"))["Admin"]
    assert "Site administration" not in labels(main_nav(viewer, "dashboard"))["Admin"]


def test_every_navigation_entry_opens_a_page(admin_client):
    for group in NAVIGATION:
        for entry in group.entries:
            if entry.url_name == "admin:index":
                continue
            response = admin_client.get(reverse(entry.url_name))
            assert response.status_code == 200, entry.label


@pytest.mark.parametrize(("view_name", "group", "entry"), [
    ("intake:request_list", "Work", "Requests"),
    ("intake:request", "Work", "Requests"),
    ("intake:request_transition", "Work", "Requests"),
    ("intake:iteration", "Work", "Roadmap"),
    ("catalog:component_edit", "Stack", "Components"),
    ("finance:contract_brief", "Money", "Contracts"),
    ("org:department", "People", "Departments"),
    ("org:token_list", "Admin", "My API tokens"),
    ("stackcode:import_confirm", "Admin", "Import and export"),
])
def test_navigation_marks_the_current_section_and_page(editor, view_name, group, entry):
    groups = main_nav(editor, view_name)
    current = [g for g in groups if g["current"]]
    assert [g["label"] for g in current] == [group]
    assert [e["label"] for e in current[0]["entries"] if e["current"]] == [entry]


def test_header_renders_the_menus_as_details_with_the_current_one_marked(viewer_client):
    html = viewer_client.get(reverse("intake:request_list")).content.decode()
    assert html.count("<details class=\"nav-group") == 5
    assert '<details class="nav-group current" data-nav-group>' in html
    assert re.search(r'data-testid="nav-requests" aria-current="page"', html)
    for testid in ("site-search", "menu-button", "logout", "nav-money", "nav-changes", "nav-questions"):
        assert f'data-testid="{testid}"' in html
    # A viewer cannot import: the menu offers the export only.
    assert 'data-testid="nav-export"' in html and 'data-testid="nav-import-and-export"' not in html


def test_signed_out_pages_have_no_menu(client):
    html = client.get(reverse("login")).content.decode()
    assert "nav-group" not in html and "menu-button" not in html


# Status badges ------------------------------------------------------------------------------------

def test_every_workflow_state_has_a_declared_tone():
    for workflow in registered():
        declared_tones = declared()[workflow.states]
        assert set(declared_tones) == set(workflow.states.values), workflow.model


@pytest.mark.parametrize(("choices", "value", "tone"), [
    (RequestStatusChoices, "delivered", Tone.DONE),
    (RequestStatusChoices, "in_progress", Tone.PROGRESS),
    (RequestStatusChoices, "submitted", Tone.WAITING),
    (RequestStatusChoices, "declined", Tone.STOPPED),
    (RequestStatusChoices, "withdrawn", Tone.NEUTRAL),
    (BacklogItemStatusChoices, "done", Tone.DONE),
    (BacklogItemStatusChoices, "in_progress", Tone.PROGRESS),
    (BacklogItemStatusChoices, "cancelled", Tone.STOPPED),
    (ChangeStatusChoices, "approved", Tone.DONE),
    (ChangeStatusChoices, "awaiting_approval", Tone.WAITING),
    (ChangeStatusChoices, "rejected", Tone.STOPPED),
    (ChangeStatusChoices, "failed", Tone.STOPPED),
    (ChangeStatusChoices, "draft", Tone.NEUTRAL),
    (ApprovalDecisionChoices, "approved", Tone.DONE),
    (ApprovalDecisionChoices, "pending", Tone.WAITING),
    (ApprovalDecisionChoices, "rejected", Tone.STOPPED),
    (CapabilityOfferingChoices, "full", Tone.DONE),
    (CapabilityOfferingChoices, "none", Tone.STOPPED),
    (FeasibilityChoices, "not_feasible", Tone.STOPPED),
    (ContractStatusChoices, "active", Tone.DONE),
    (ContractStatusChoices, "cancelled", Tone.STOPPED),
    (ContractStatusChoices, "draft", Tone.NEUTRAL),
    (SelectionStatusChoices, "abandoned", Tone.STOPPED),
    (MeetingStatusChoices, "cancelled", Tone.STOPPED),
    (IterationStatusChoices, "closed", Tone.NEUTRAL),
    (QuestionStatusChoices, "open", Tone.WAITING),
])
def test_a_tone_means_the_same_in_every_workflow(choices, value, tone):
    assert tone_of(choices, value) == tone


def test_approved_and_rejected_never_share_a_tone():
    """In every declared workflow, a refusal (rejected, declined, cancelled, failed…) is red and a
    success (approved, done, delivered…) is green."""
    stops = {"rejected", "declined", "cancelled", "failed", "rolled_back", "abandoned", "not_feasible", "defunct"}
    goes = {"approved", "done", "delivered", "measured", "implemented", "decided", "full", "feasible", "answered"}
    for choices, mapping in declared().items():
        for value, tone in mapping.items():
            if value in stops:
                assert tone == Tone.STOPPED, (choices.__name__, value)
            if value in goes:
                assert tone == Tone.DONE, (choices.__name__, value)


def test_computed_states_have_tones():
    assert tone_named("deadline", "overdue") == Tone.STOPPED
    assert tone_named("deadline", "due") == Tone.WAITING
    assert tone_named("deadline", "ok") == Tone.DONE
    assert tone_named("kpi_target", "off") == Tone.WAITING  # needs attention, not a refusal
    assert tone_named("kpi_target", "unknown") == Tone.NEUTRAL


def render(text, **context):
    return Template("{% load steward %}" + text).render(Context(context))


def test_status_badge_shows_the_label_and_the_tone():
    from stacksteward.changes.models import ChangeApproval, ChangeRequest
    from stacksteward.intake.models import Request

    html = render("{% status_badge r %}", r=Request(status=RequestStatusChoices.DECLINED))
    assert html == '<span class="badge tone tone-stopped" data-tone="stopped">Declined</span>'
    html = render('{% status_badge c testid="change-status" %}', c=ChangeRequest(status=ChangeStatusChoices.APPROVED))
    assert html == '<span class="badge tone tone-done" data-tone="done" data-testid="change-status">Approved</span>'
    html = render('{% status_badge a "decision" %}', a=ChangeApproval(decision=ApprovalDecisionChoices.PENDING))
    assert 'data-tone="waiting"' in html and ">Pending<" in html
    html = render('{% tone_badge "deadline" "overdue" "Notice deadline missed" %}')
    assert html == '<span class="badge tone tone-stopped" data-tone="stopped">Notice deadline missed</span>'


def test_status_badge_escapes_the_label():
    html = render('{% tone_badge "deadline" "ok" label %}', label="<b>x</b>")
    assert "<b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_list_pages_use_the_shared_badges(admin_client):
    from stacksteward.intake.tests.factories import RequestFactory as IntakeRequestFactory

    IntakeRequestFactory(title="A landing page")
    html = admin_client.get(reverse("intake:request_list")).content.decode()
    assert re.search(r'<span class="badge tone tone-waiting" data-tone="waiting">Submitted</span>', html)


# List tables -------------------------------------------------------------------------------------

def test_list_tables_declare_optional_columns(admin_client):
    ComponentFactory(name="A tool with a rather long name that is cut in the list", slug="long")
    html = admin_client.get(reverse("catalog:component_list")).content.decode()
    assert 'data-columns="components"' in html
    assert re.search(r'<th scope="col" data-optional="hidden" data-col="tags">Tags</th>', html)
    assert 'data-optional="shown" data-col="owners"' in html
    assert 'title="A tool with a rather long name that is cut in the list"' in html


def test_sort_header_marks_optional_columns():
    request = RequestFactory().get("/catalog/components/", {"ordering": "tier"})
    html = render('{% sort_header "tier" "Tier" optional="hidden" %}', request=request)
    assert 'data-optional="hidden"' in html and 'aria-sort="ascending"' in html
    assert "data-optional" not in render('{% sort_header "tier" "Tier" %}', request=request)
