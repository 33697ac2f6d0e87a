"""Change control in headless Chromium: IT files a change to the CRM, sees the marketing automation and
the web forms among the impacted, Marketing and Legal approve in the meeting page, and the change
appears in the calendar."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from stacksteward.catalog.models import DataCategory
from stacksteward.catalog.tests.factories import ComponentFactory, RaciAssignmentFactory, RelationFactory
from stacksteward.changes.models import ChangeRequest, Meeting
from stacksteward.core.roles import set_role
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PASSWORD = "a-long-pass-phrase"


@pytest.fixture
def stack(django_db_serialized_rollback, transactional_db):
    it = DepartmentFactory(name="IT", slug="it", kind="it")
    marketing = DepartmentFactory(name="Marketing", slug="marketing", kind="marketing")
    legal = DepartmentFactory(name="Legal", slug="legal", kind="legal")
    users = {}
    for username, first, department in (("ivan", "Ivan", it), ("maria", "Maria", marketing),
                                        ("lena", "Lena", legal)):
        user = UserFactory(username=username, first_name=first, password=PASSWORD)
        set_role(user, "editor")
        PersonFactory(name=f"{first} Example", department=department, user=user, email=f"{username}@example.com")
        users[username] = user
    crm = ComponentFactory(name="Northwind CRM", slug="crm", tier=2, business_owner=users["maria"].person,
                           technical_owner=users["ivan"].person)
    automation = ComponentFactory(name="Mailwave Automation", slug="automation", tier=2)
    forms = ComponentFactory(name="Web forms", slug="web-forms", tier=3)
    # Contact data flows from the CRM to the automation: personal data, so Legal must approve.
    contact, _ = DataCategory.objects.get_or_create(key="user.contact.email",
                                                    defaults={"name": "Email address", "is_personal": True})
    assert contact.is_personal
    RelationFactory(source=crm, target=automation).data_categories.set([contact])
    RelationFactory(source=forms, target=crm, type="depends_on")
    RaciAssignmentFactory(component=crm, activity="configuration", role="A", person=None, department=marketing)
    start = timezone.localtime() + datetime.timedelta(days=1)
    Meeting.objects.create(title="Marketing & IT change control", starts_at=start,
                           ends_at=start + datetime.timedelta(hours=1))
    return users


def log_in(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/")
    form = page.get_by_test_id("login-form")
    form.get_by_label("Username").fill(username)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))
    return context, page


def test_file_see_impact_approve_in_meeting_and_find_in_calendar(browser, live_server, stack):
    window = (timezone.localtime() + datetime.timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)

    # IT files the change; the preview shows what else is impacted and who must approve.
    ivan_context, ivan = log_in(browser, live_server, "ivan")
    ivan.goto(f"{live_server.url}/changes/add/")
    ivan.get_by_label("Title").fill("Rename the lead source field")
    ivan.get_by_label("Which components does it change?").select_option(
        ivan.locator("option", has_text="Northwind CRM").first.get_attribute("value"))
    ivan.get_by_label("Normal", exact=False).first.check()
    ivan.get_by_label("Window starts").fill(window.strftime("%Y-%m-%dT%H:%M"))
    ivan.get_by_label("Window ends").fill((window + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    ivan.get_by_label("How do you undo it? (rollback plan)").fill("Rename it back; mappings exported first.")
    preview = ivan.get_by_test_id("impact-preview")
    expect(preview.get_by_test_id("impacted-automation")).to_be_visible()
    expect(preview.get_by_test_id("impacted-web-forms")).to_be_visible()
    expect(preview.get_by_test_id("approver-marketing")).to_be_visible()
    expect(preview.get_by_test_id("approver-legal")).to_be_visible()
    ivan.get_by_role("button", name="Save").click()
    expect(ivan.get_by_test_id("change-status")).to_have_text("Draft")
    ivan.get_by_test_id("submit-button").click()
    expect(ivan.get_by_test_id("change-status")).to_have_text("Submitted")
    change = ChangeRequest.objects.get()
    assert {a.department.slug for a in change.approvals.all()} == {"marketing", "legal"}

    # Marketing and Legal approve in the meeting page.
    meeting = Meeting.objects.get()
    for username, department in (("maria", "marketing"), ("lena", "legal")):
        context, page = log_in(browser, live_server, username)
        page.goto(f"{live_server.url}/changes/meetings/{meeting.pk}/")
        page.get_by_test_id(f"approve-{change.pk}-{department}").click()
        expect(page.get_by_test_id("meeting-decisions")).to_contain_text("Approve")
        context.close()
    change.refresh_from_db()
    assert change.status == "approved"
    assert {a.meeting_id for a in change.approvals.all()} == {meeting.pk}

    # The change shows in the month calendar.
    ivan.goto(f"{live_server.url}/changes/calendar/?month={window:%Y-%m}")
    expect(ivan.get_by_test_id(f"cal-change-{change.pk}").first).to_contain_text("Rename the lead source field")
    ivan.goto(f"{live_server.url}/changes/changes/{change.pk}/")
    expect(ivan.get_by_test_id("change-status")).to_have_text("Approved")
    ivan_context.close()
