"""Intake in headless Chromium: a marketer files a request, IT asks a question, the marketer answers,
IT answers feasibility and plans it into an iteration; the item is bumped and the marketer sees why."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from stacksteward.core.roles import set_role
from stacksteward.intake.models import BacklogItem, Request
from stacksteward.intake.tests.factories import CapabilityFactory, IterationFactory, RoadmapFactory
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PASSWORD = "a-long-pass-phrase"


@pytest.fixture
def teams(django_db_serialized_rollback, transactional_db):
    marketing = DepartmentFactory(name="Marketing", slug="marketing", kind="marketing")
    it = DepartmentFactory(name="IT", slug="it", kind="it")
    people = {}
    for username, first, role, department in (("mia", "Mia", "viewer", marketing), ("ian", "Ian", "editor", it)):
        user = UserFactory(username=username, first_name=first, password=PASSWORD)
        set_role(user, role)
        PersonFactory(name=f"{first} Example", department=department, user=user, email=f"{username}@example.com")
        people[username] = user
    CapabilityFactory(name="New landing page", slug="new-landing-page", department=it, lead_time_days=10,
                      can_do="Pages on the CMS from approved templates.", cannot_do="Custom JavaScript.")
    roadmap = RoadmapFactory(name="Web 2027", slug="web-2027")
    today = datetime.date.today()
    first = IterationFactory(roadmap=roadmap, name="Sprint 1", start=today, end=today + datetime.timedelta(days=13))
    second = IterationFactory(roadmap=roadmap, name="Sprint 2", start=today + datetime.timedelta(days=14),
                              end=today + datetime.timedelta(days=27))
    return {"first": first, "second": second, **people}


def choose(select, text: str) -> None:
    """Pick the option whose label contains ``text``."""
    select.select_option(select.locator("option", has_text=text).first.get_attribute("value"))


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


def test_request_question_answer_plan_and_bump(browser, live_server, teams):
    # The marketer files the request, with the why and the cost of waiting.
    mia_context, mia = log_in(browser, live_server, "mia")
    mia.goto(f"{live_server.url}/intake/requests/add/")
    mia.get_by_label("Title").fill("Landing page for the spring campaign")
    mia.get_by_label("What should be possible when this is done?").fill("Visitors can register for the demo day.")
    mia.get_by_label("Why does it matter?").fill("Paid social traffic starts in March and has nowhere to land.")
    choose(mia.get_by_label("What kind of work is it?"), "New landing page")
    mia.get_by_label("Cost of waiting (amount)").fill("2500")
    mia.get_by_label("Needed by").fill((datetime.date.today() + datetime.timedelta(days=60)).isoformat())
    mia.get_by_role("button", name="Save").click()
    expect(mia.get_by_test_id("request-status")).to_have_text("Submitted")
    request = Request.objects.get()
    assert request.requester.user == teams["mia"]

    # IT asks a question, addressed to the marketer.
    ian_context, ian = log_in(browser, live_server, "ian")
    ian.goto(f"{live_server.url}/intake/requests/{request.pk}/")
    ask = ian.get_by_test_id("ask-form")
    if not ask.is_visible():
        ian.get_by_text("Ask a question").click()
    ask.get_by_label("Your question").fill("Which regions does the page target?")
    ask.get_by_label("Addressed to").select_option(label="Mia Example (Marketing)")
    ask.get_by_role("button", name="Ask").click()
    expect(ian.get_by_test_id("question")).to_contain_text("Which regions")

    # The marketer sees it waiting for an answer and answers.
    mia.goto(f"{live_server.url}/questions/")
    expect(mia.locator("main")).to_contain_text("Which regions does the page target?")
    mia.goto(f"{live_server.url}/intake/requests/{request.pk}/")
    question = mia.get_by_test_id("question")
    question.get_by_label(re.compile("Your answer")).fill("EMEA and North America.")
    question.get_by_role("button", name="Post answer").click()
    expect(mia.get_by_test_id("answer")).to_contain_text("EMEA and North America.")
    expect(mia.get_by_test_id("question").get_by_role("button", name="Mark answered")).to_have_count(0)

    # Only the asker marks the question answered; then IT answers feasibility, accepts and plans.
    ian.reload()
    ian.get_by_test_id("question").get_by_role("button", name="Mark answered").click()
    expect(ian.get_by_test_id("question-status")).to_have_text("Answered")
    respond = ian.get_by_test_id("respond-form")
    respond.get_by_label("Feasible", exact=True).check()
    respond.get_by_label("Approach (how it will be done)").fill("CMS landing template with the events form.")
    respond.get_by_role("button", name="Save the answer").click()
    expect(ian.get_by_test_id("feasibility")).to_have_text("Feasible")
    ian.get_by_test_id("transition-accepted").get_by_role("button").click()
    expect(ian.get_by_test_id("request-status")).to_have_text("Accepted")
    plan = ian.get_by_test_id("transition-planned")
    plan.get_by_label(re.compile("Planned delivery date")).fill(teams["second"].end.isoformat())
    plan.get_by_role("button").click()
    expect(ian.get_by_test_id("request-status")).to_have_text("Planned")

    # IT plans the work into the first iteration, then bumps it to the second with a reason.
    ian.goto(f"{live_server.url}/intake/backlog/add/")
    ian.get_by_label("Title").fill("Build the spring landing page")
    choose(ian.get_by_label("Came from request"), "Landing page for the spring campaign")
    choose(ian.get_by_label("Iteration"), "Sprint 1")
    ian.get_by_role("button", name="Save").click()
    expect(ian.get_by_test_id("object-title")).to_contain_text("Build the spring landing page")
    item = BacklogItem.objects.get()
    assert item.iteration == teams["first"]
    plan_form = ian.get_by_test_id("plan-form")
    choose(plan_form.get_by_label("Iteration"), "Sprint 2")
    plan_form.get_by_label("Reason for the move").fill("The cookie-banner fix for Legal goes first.")
    plan_form.get_by_role("button", name="Save the plan").click()
    expect(ian.get_by_test_id("schedule-change").first).to_contain_text("cookie-banner fix")
    item.refresh_from_db()
    assert item.iteration == teams["second"]

    # The marketer is told, and sees why on the request.
    mia.goto(f"{live_server.url}/notifications/")
    expect(mia.locator("main")).to_contain_text("The cookie-banner fix for Legal goes first.")
    mia.goto(f"{live_server.url}/intake/requests/{request.pk}/")
    expect(mia.get_by_test_id("timeline")).to_contain_text("cookie-banner fix for Legal goes first")
    mia_context.close()
    ian_context.close()
