"""Questions and answers on any object, "waiting for my answer", notifications and the dashboard inbox."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stacksteward.catalog.tests.factories import ComponentFactory
from stacksteward.core import questions as qa
from stacksteward.core.models import Answer, AuditEntry, Notification, Question
from stacksteward.core.notifications import notify
from stacksteward.intake.tests import conftest as intake_people
from stacksteward.intake.tests.conftest import login_client
from stacksteward.intake.tests.factories import RequestFactory
from stacksteward.org.models import Person

pytestmark = pytest.mark.django_db

# The people of the intake tests: a Marketing viewer and IT editors with their departments.
marketing = intake_people.marketing
it_department = intake_people.it_department
marketer = intake_people.marketer
it_editor = intake_people.it_editor
capability = intake_people.capability
marketer_client = intake_people.marketer_client
it_editor_client = intake_people.it_editor_client


@pytest.fixture
def request_obj(marketer, capability):
    return RequestFactory(capability=capability, requester=Person.objects.get(user=marketer))


def ask_data(target, addressee, text="Which campaign is it for?"):
    return {"text": text, "addressee": addressee, "target_type": target._meta.label_lower,
            "target_id": str(target.pk), "next": target.get_absolute_url()}


# Asking -----------------------------------------------------------------------------------

def test_it_editor_asks_the_requester_on_a_request(it_editor_client, it_editor, marketer, request_obj):
    page = it_editor_client.get(request_obj.get_absolute_url()).content.decode()
    assert 'data-testid="ask-form"' in page
    assert f'value="p{request_obj.requester_id}" selected' in page  # the other side is proposed
    response = it_editor_client.post(reverse("question_ask"), ask_data(request_obj, f"p{request_obj.requester_id}"))
    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{request_obj.get_absolute_url()}#question-{question.pk}"
    assert question.addressed_person_id == request_obj.requester_id and question.asked_by == it_editor
    assert Notification.objects.filter(recipient=marketer, kind="question_asked").count() == 1
    assert AuditEntry.objects.filter(content_type__model="question", action="create").exists()


def test_marketer_asks_a_department_about_a_component(marketer_client, marketer, it_department, it_editor):
    component = ComponentFactory(name="CRM")
    page = marketer_client.get(component.get_absolute_url()).content.decode()
    assert 'data-testid="questions"' in page and "No questions yet." in page
    response = marketer_client.post(reverse("question_ask"), ask_data(component, f"d{it_department.pk}",
                                                                      "Who can give me an export?"))
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.addressed_department == it_department
    assert Notification.objects.filter(recipient=it_editor).count() == 1
    page = marketer_client.get(component.get_absolute_url()).content.decode()
    assert "Who can give me an export?" in page and "Open" in page


@pytest.mark.parametrize(("overrides", "field"), [
    ({"text": "  "}, "text"),
    ({"addressee": ""}, "addressee"),
    ({"addressee": "p999999"}, "addressee"),
])
def test_ask_with_bad_input_shows_message_and_writes_nothing(marketer_client, request_obj, it_department,
                                                             overrides, field):
    data = {**ask_data(request_obj, f"d{it_department.pk}"), **overrides}
    response = marketer_client.post(reverse("question_ask"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'data-testid="form-errors"' in response.content.decode()
    assert not Question.objects.exists()


def test_ask_about_something_not_askable_is_refused(marketer_client, it_department):
    data = {"text": "Hi?", "addressee": f"d{it_department.pk}", "target_type": "org.department",
            "target_id": str(it_department.pk)}
    response = marketer_client.post(reverse("question_ask"), data)
    assert response.status_code == 200
    assert "Questions cannot be asked about" in response.content.decode()
    assert not Question.objects.exists()


# Answering and closing ------------------------------------------------------------------------

@pytest.fixture
def question(it_editor, request_obj):
    return qa.question_ask(actor=it_editor, target=request_obj, text="Which campaign?",
                           addressed_person=request_obj.requester)


def test_marketer_answers_and_asker_is_told(marketer_client, it_editor, question, request_obj):
    response = marketer_client.post(reverse("question_answer", args=[question.pk]),
                                    {"text": "The spring one.", "next": request_obj.get_absolute_url()})
    assert response.status_code == 302
    assert Answer.objects.get().text == "The spring one."
    assert Notification.objects.filter(recipient=it_editor, kind="question_answered").exists()
    page = login_client(it_editor).get(request_obj.get_absolute_url()).content.decode()
    assert "The spring one." in page and 'data-testid="close-question"' in page


def test_empty_answer_is_refused(marketer_client, question):
    response = marketer_client.post(reverse("question_answer", args=[question.pk]), {"text": " "})
    assert response.status_code == 200
    assert "Write the answer." in response.content.decode()
    assert not Answer.objects.exists()


def test_only_the_asker_marks_answered(marketer_client, it_editor, question):
    assert marketer_client.post(reverse("question_close", args=[question.pk])).status_code == 403
    question.refresh_from_db()
    assert question.is_open
    response = login_client(it_editor).post(reverse("question_close", args=[question.pk]))
    assert response.status_code == 302
    question.refresh_from_db()
    assert not question.is_open and question.closed_at is not None


def test_answer_to_closed_question_is_refused_with_clear_message(marketer_client, it_editor, question):
    qa.question_close(question, actor=it_editor)
    response = marketer_client.post(reverse("question_answer", args=[question.pk]), {"text": "Late answer"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "was marked answered on" in content and "ask a new question instead" in content
    assert not Answer.objects.exists()
    page = marketer_client.get(reverse("question", args=[question.pk])).content.decode()
    assert 'data-testid="answer-form"' not in page and "it takes no more answers" in page


def test_question_page_links_to_its_object(marketer_client, question, request_obj):
    content = marketer_client.get(reverse("question", args=[question.pk])).content.decode()
    assert f'href="{request_obj.get_absolute_url()}#question-{question.pk}"' in content
    assert marketer_client.get(reverse("question", args=[999999])).status_code == 404


# Waiting for my answer and the dashboard ----------------------------------------------------------

def test_waiting_for_my_answer_lists_open_questions_with_age(marketer_client, it_editor, question):
    content = marketer_client.get(reverse("question_list")).content.decode()
    assert 'data-testid="waiting-table"' in content and "Which campaign?" in content
    assert 'data-testid="waiting-count">1<' in content
    assert "minute" in content  # its age
    qa.question_close(question, actor=it_editor)
    assert "Which campaign?" not in marketer_client.get(reverse("question_list")).content.decode()


def test_my_open_questions_show_for_the_asker(it_editor_client, question):
    content = it_editor_client.get(reverse("question_list")).content.decode()
    assert 'data-testid="asked-table"' in content and "Which campaign?" in content


def test_dashboard_shows_waiting_questions_and_unread_notifications(marketer_client, question):
    content = marketer_client.get(reverse("dashboard")).content.decode()
    waiting = content[content.index('data-testid="dashboard-waiting"'):]
    assert "Which campaign?" in waiting and "open for" in waiting
    inbox = content[content.index('data-testid="dashboard-notifications"'):]
    assert "Question about" in inbox


def test_question_list_constant_queries(marketer_client, marketer, it_editor, capability,
                                        django_assert_max_num_queries):
    person = Person.objects.get(user=marketer)

    def make(n):
        for _ in range(n):
            r = RequestFactory(capability=capability, requester=person)
            qa.question_ask(actor=it_editor, target=r, text="When?", addressed_person=person)
            qa.question_ask(actor=marketer, target=r, text="Why?", addressed_department=capability.department)

    make(2)
    marketer_client.get(reverse("question_list"))
    with CaptureQueriesContext(connection) as few:
        marketer_client.get(reverse("question_list"))
    make(10)
    with django_assert_max_num_queries(len(few)):
        content = marketer_client.get(reverse("question_list")).content.decode()
    assert content.count("When?") == 12 and content.count("Why?") == 12


def test_dashboard_inbox_constant_queries(marketer_client, marketer, it_editor, capability,
                                          django_assert_max_num_queries):
    person = Person.objects.get(user=marketer)
    r = RequestFactory(capability=capability, requester=person)
    qa.question_ask(actor=it_editor, target=r, text="When?", addressed_person=person)
    marketer_client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as few:
        marketer_client.get(reverse("dashboard"))
    for _ in range(10):
        qa.question_ask(actor=it_editor, target=r, text="When?", addressed_person=person)
    with django_assert_max_num_queries(len(few)):
        marketer_client.get(reverse("dashboard"))


# Notifications ----------------------------------------------------------------------------

def _notify(user, n=1, url="/"):
    for i in range(n):
        notify([user], kind="status_changed", title=f"Thing {i} happened", url=url)


def test_notifications_list_only_own(viewer_client, viewer, editor):
    _notify(viewer)
    notify([editor], kind="status_changed", title="Editor's secret")
    content = viewer_client.get(reverse("notification_list")).content.decode()
    assert "Thing 0 happened" in content and "Editor&#x27;s secret" not in content


def test_mark_one_and_all_read(viewer_client, viewer, editor):
    _notify(viewer, 3)
    notify([editor], kind="status_changed", title="Other")
    first = viewer.notifications.order_by("id").first()
    other = Notification.objects.get(recipient=editor)
    viewer_client.post(reverse("notification_read"), {"id": [first.pk, other.pk]})
    first.refresh_from_db()
    other.refresh_from_db()
    assert first.read_at is not None and other.read_at is None  # someone else's row is untouched
    assert 'data-testid="unread-count">2<' in viewer_client.get(reverse("dashboard")).content.decode()
    viewer_client.post(reverse("notification_read"), {"all": "1"})
    assert not viewer.notifications.filter(read_at__isnull=True).exists()
    content = viewer_client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="unread-count"' not in content
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_open_marks_read_and_redirects(viewer_client, viewer, editor):
    _notify(viewer, url="/intake/requests/")
    note = viewer.notifications.get()
    response = viewer_client.get(reverse("notification_open", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == "/intake/requests/"
    note.refresh_from_db()
    assert note.read_at is not None
    notify([editor], kind="status_changed", title="Not yours")
    theirs = Notification.objects.get(recipient=editor)
    assert viewer_client.get(reverse("notification_open", args=[theirs.pk])).status_code == 404


def test_unread_filter(viewer_client, viewer):
    _notify(viewer, 2)
    viewer.notifications.filter(title="Thing 0 happened").update(read_at="2025-01-01T00:00:00Z")
    content = viewer_client.get(reverse("notification_list"), {"unread": "1"}).content.decode()
    assert "Thing 1 happened" in content and "Thing 0 happened" not in content


def test_notification_list_constant_queries(viewer_client, viewer, django_assert_max_num_queries):
    _notify(viewer, 3)
    viewer_client.get(reverse("notification_list"))
    with CaptureQueriesContext(connection) as few:
        viewer_client.get(reverse("notification_list"))
    _notify(viewer, 20)
    with django_assert_max_num_queries(len(few)):
        content = viewer_client.get(reverse("notification_list")).content.decode()
    assert content.count('data-testid="notification"') == 23


def test_anonymous_cannot_see_notifications(client):
    assert client.get(reverse("notification_list")).status_code == 302
