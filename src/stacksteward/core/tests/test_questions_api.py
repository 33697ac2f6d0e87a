"""Questions, answers and notifications through the API, on any askable object (a component here)."""

import pytest

from stacksteward.catalog.tests.factories import ComponentFactory
from stacksteward.core import notifications
from stacksteward.core import questions as qa
from stacksteward.core.models import Answer, Notification, Question
from stacksteward.core.roles import set_role
from stacksteward.core.tests.api_helpers import assert_constant_queries, audit_entries, error_fields
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def member(username: str, role: str, department):
    user = UserFactory(username=username)
    set_role(user, role)
    PersonFactory(name=username.capitalize(), email=f"{username}@example.com", department=department, user=user)
    return user


@pytest.fixture
def it(db):
    return DepartmentFactory(slug="it", name="IT")


@pytest.fixture
def asker(db):
    return member("asker", "viewer", DepartmentFactory(slug="marketing", name="Marketing"))


@pytest.fixture
def answerer(it):
    return member("answerer", "editor", it)


@pytest.fixture
def colleague(it):
    """Another IT member: the IT department's questions wait for them too."""
    return member("colleague", "viewer", it)


@pytest.fixture
def asker_api(asker, api_as):
    return api_as(asker)


@pytest.fixture
def answerer_api(answerer, api_as):
    return api_as(answerer)


@pytest.fixture
def component(db):
    return ComponentFactory(slug="crm", name="CRM")


def ask(api, **overrides):
    body = {"target_type": "catalog.component", "target_id": overrides.pop("target_id", None),
            "text": "Who approves new CRM fields?", "addressed_department": "it", **overrides}
    return api.post_json("/api/questions", body)


def test_ask_question_201_audited_and_department_notified(asker, asker_api, answerer_api, colleague, api_as,
                                                          component):
    response = ask(asker_api, target_id=component.pk)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["target_type"], body["target_id"], body["target_repr"]) == ("catalog.component", str(component.pk),
                                                                             "CRM")
    assert body["status"] == "open" and body["asked_by"] == "asker" and body["asker_name"]
    assert body["addressed_department"] == {"slug": "it", "name": "IT"} and body["addressed_person"] is None
    assert (body["answers"], body["answer_count"], body["age_days"]) == ([], 0, 0)
    question = Question.objects.get(pk=body["id"])
    entry = audit_entries(Question, question.pk).get()
    assert (entry.source, entry.actor) == ("api", asker)
    for api in (answerer_api, api_as(colleague)):  # every member of the department hears about it
        [note] = api.get("/api/notifications").json()["items"]
        assert note["kind"] == "question_asked" and note["body"] == "Who approves new CRM fields?"
        assert (note["target_type"], note["target_id"]) == ("catalog.component", str(component.pk))
    assert asker_api.get("/api/notifications").json()["count"] == 0


def test_ask_question_addressed_to_person_by_email(asker_api, answerer_api, colleague, api_as, component):
    response = ask(asker_api, target_id=component.pk, addressed_department=None,
                   addressed_person="ANSWERER@example.com")
    assert response.status_code == 201, response.json()
    assert response.json()["addressed_person"]["email"] == "answerer@example.com"
    assert answerer_api.get("/api/notifications").json()["count"] == 1
    assert api_as(colleague).get("/api/notifications").json()["count"] == 0


@pytest.mark.parametrize(("change", "fields"), [
    ({"target_type": "org.apitoken"}, {"target_type"}),
    ({"target_id": 999999}, {"target_id"}),
    ({"addressed_department": None}, {"addressed_person"}),
    ({"text": "  "}, {"text"}),
    ({"addressed_department": "nope", "addressed_person": "ghost@example.com"},
     {"addressed_department", "addressed_person"}),
    ({"target_id": 999999, "addressed_department": "nope"}, {"target_id", "addressed_department"}),
    ({"target_id": "abc"}, {"target_id"}),
], ids=["not-askable", "unknown-target", "no-addressee", "blank", "unknown-addressees", "all-named", "bad-id"])
def test_ask_question_bad_input_422_names_fields_nothing_written(change, fields, asker_api, component, it):
    response = ask(asker_api, **{"target_id": component.pk, **change})
    assert response.status_code == 422
    assert set(error_fields(response)) == fields
    assert not Question.objects.exists() and not Notification.objects.exists()


def test_answer_close_and_answer_after_close(asker, asker_api, answerer, answerer_api, component, it):
    question = qa.question_ask(actor=asker, target=component, text="Is there a sandbox?", addressed_department=it)
    answered = answerer_api.post_json(f"/api/questions/{question.pk}/answers", {"text": "Yes, crm-sandbox."})
    assert answered.status_code == 201, answered.json()
    assert answered.json()["author"] == "answerer" and answered.json()["question_id"] == question.pk
    assert audit_entries(Answer, answered.json()["id"]).get().source == "api"
    [note] = asker_api.get("/api/notifications?unread=true").json()["items"]
    assert note["kind"] == "question_answered" and note["body"] == "Yes, crm-sandbox."

    detail = asker_api.get(f"/api/questions/{question.pk}").json()
    assert [a["text"] for a in detail["answers"]] == ["Yes, crm-sandbox."] and detail["answer_count"] == 1

    refused = answerer_api.post_json(f"/api/questions/{question.pk}/close")
    assert refused.status_code == 403  # only the asker (or an admin) marks it answered
    closed = asker_api.post_json(f"/api/questions/{question.pk}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "answered" and closed.json()["closed_at"]
    again = asker_api.post_json(f"/api/questions/{question.pk}/close")
    assert again.status_code == 422 and error_fields(again) == ["status"]

    late = answerer_api.post_json(f"/api/questions/{question.pk}/answers", {"text": "Also: a staging org."})
    assert late.status_code == 422 and error_fields(late) == ["question"]
    assert "ask a new question" in late.json()["detail"]
    assert Answer.objects.filter(question=question).count() == 1
    blank = answerer_api.post_json(f"/api/questions/{question.pk}/answers", {})
    assert blank.status_code == 422 and error_fields(blank) == ["text"]
    assert answerer_api.post_json("/api/questions/999999/answers", {"text": "?"}).status_code == 404


def test_admin_may_close_any_question(asker, admin_api, component, it):
    question = qa.question_ask(actor=asker, target=component, text="Owner?", addressed_department=it)
    assert admin_api.post_json(f"/api/questions/{question.pk}/close").status_code == 200


def test_question_filters(asker, asker_api, answerer, answerer_api, component, it):
    other = ComponentFactory()
    waiting = qa.question_ask(actor=asker, target=component, text="Open for IT", addressed_department=it)
    closed = qa.question_ask(actor=asker, target=component, text="Closed", addressed_department=it)
    qa.question_close(closed, actor=asker)
    to_asker = qa.question_ask(actor=answerer, target=other, text="For the asker", addressed_person=asker.person)

    def ids(api, query):
        response = api.get(f"/api/questions?{query}")
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["items"]}

    assert ids(answerer_api, "waiting_for_me=true") == {waiting.pk}
    assert ids(asker_api, "waiting_for_me=true") == {to_asker.pk}
    assert ids(asker_api, "asked_by_me=true") == {waiting.pk, closed.pk}
    assert ids(asker_api, "status=answered") == {closed.pk}
    assert ids(asker_api, f"target_type=catalog.component&target_id={component.pk}") == {waiting.pk, closed.pk}
    assert ids(asker_api, "target_type=intake.request") == set()
    bad = asker_api.get("/api/questions?target_type=component")
    assert bad.status_code == 422 and error_fields(bad) == ["target_type"]
    bad = asker_api.get("/api/questions?waiting_for_me=yes")
    assert bad.status_code == 422 and error_fields(bad) == ["waiting_for_me"]


def test_list_questions_constant_queries(asker, asker_api, it, django_assert_max_num_queries):
    def make():
        question = qa.question_ask(actor=asker, target=ComponentFactory(), text="Why?",
                                   addressed_person=PersonFactory(department=it))
        qa.question_answer(question, actor=asker, text="Because.")

    assert_constant_queries(asker_api, "/api/questions", make, django_assert_max_num_queries)


# Notifications ---------------------------------------------------------------------------------


def test_notifications_are_private_filterable_and_marked_read(asker, asker_api, answerer, answerer_api, component):
    mine = [notifications.notify([asker], kind="assigned", title=f"N{i}", target=component)[0] for i in range(3)]
    notifications.notify([answerer], kind="assigned", title="Not yours")
    body = asker_api.get("/api/notifications").json()
    assert body["count"] == 3 and {n["title"] for n in body["items"]} == {"N0", "N1", "N2"}
    assert all(n["read_at"] is None for n in body["items"])

    marked = asker_api.post_json("/api/notifications/read", {"ids": [mine[0].pk, mine[1].pk]})
    assert marked.status_code == 200 and marked.json() == {"marked": 2, "unread": 1}
    assert [n["title"] for n in asker_api.get("/api/notifications?unread=true").json()["items"]] == ["N2"]
    assert asker_api.get("/api/notifications?unread=false").json()["count"] == 2

    # another user's ids are ignored, not read on their behalf
    other = Notification.objects.get(recipient=answerer)
    assert asker_api.post_json("/api/notifications/read", {"ids": [other.pk]}).json() == {"marked": 0, "unread": 1}
    other.refresh_from_db()
    assert other.read_at is None
    assert asker_api.post_json("/api/notifications/read", {}).json() == {"marked": 1, "unread": 0}
    assert answerer_api.get("/api/notifications?unread=true").json()["count"] == 1
    bad = asker_api.post_json("/api/notifications/read", {"ids": ["all"]})
    assert bad.status_code == 422 and error_fields(bad) == ["ids.0"]


def test_list_notifications_constant_queries(asker, asker_api, django_assert_max_num_queries):
    assert_constant_queries(
        asker_api, "/api/notifications?unread=true",
        lambda: notifications.notify([asker], kind="assigned", title="Hi", target=ComponentFactory()),
        django_assert_max_num_queries)
