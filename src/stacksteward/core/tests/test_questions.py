import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stacksteward.catalog.tests.factories import ComponentFactory
from stacksteward.core import notifications
from stacksteward.core import questions as qa
from stacksteward.core.actors import SystemActor, forget_facts
from stacksteward.core.audit import history_for
from stacksteward.core.models import Answer, AuditEntry, Notification, Question
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory, UserFactory


@pytest.fixture
def it(db):
    return DepartmentFactory(name="IT", slug="it")


@pytest.fixture
def asker(db):
    return UserFactory(username="asker")


@pytest.fixture
def answerer(it):
    user = UserFactory(username="answerer")
    PersonFactory(user=user, department=it)
    return user


@pytest.fixture
def component(db):
    return ComponentFactory(name="HubSpot")


def test_ask_notifies_the_addressee_and_shows_in_the_objects_history(asker, answerer, component):
    question = qa.question_ask(actor=asker, target=component, text="Who can add a custom field?",
                               addressed_person=answerer.person)
    assert question.is_open
    assert question.target == component
    assert question.asker_name == "asker"
    assert Notification.objects.filter(recipient=answerer, kind="question_asked").count() == 1
    assert history_for(component).filter(object_id=str(question.pk), content_type__model="question").exists()


def test_ask_a_department_reaches_its_people_and_waits_for_them(asker, answerer, it, component):
    colleague = UserFactory(username="colleague")
    PersonFactory(user=colleague, department=it)
    question = qa.question_ask(actor=asker, target=component, text="Is the API rate-limited?",
                               addressed_department=it)
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"answerer", "colleague"}
    assert list(qa.waiting_for(answerer)) == [question]
    assert list(qa.waiting_for(asker)) == []


def test_ask_needs_an_addressee_and_text(asker, component):
    with pytest.raises(ValidationError) as exc:
        qa.question_ask(actor=asker, target=component, text="Anyone?")
    assert "addressed_person" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        qa.question_ask(actor=asker, target=component, text=" ", addressed_person=PersonFactory())
    assert "text" in exc.value.message_dict
    assert not Question.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="question").exists()


def test_answer_then_close_then_answers_are_refused(asker, answerer, component):
    question = qa.question_ask(actor=asker, target=component, text="Which plan are we on?",
                               addressed_person=answerer.person)
    qa.question_answer(question, actor=answerer, text="Enterprise, renewed in March.")
    assert Notification.objects.filter(recipient=asker, kind="question_answered").count() == 1
    with pytest.raises(PermissionDenied):
        qa.question_close(question, actor=answerer)  # only the asker marks it answered
    question = qa.question_close(question, actor=asker)
    assert question.status == "answered" and question.closed_at is not None
    assert list(qa.waiting_for(answerer)) == []
    with pytest.raises(ValidationError) as exc:
        qa.question_answer(question, actor=answerer, text="One more thing")
    assert "question" in exc.value.message_dict
    assert Answer.objects.count() == 1
    with pytest.raises(ValidationError):
        qa.question_close(question, actor=asker)


def test_close_is_one_versioned_audited_write_and_refusals_write_nothing(asker, answerer, component):
    question = qa.question_ask(actor=asker, target=component, text="Which plan are we on?",
                               addressed_person=answerer.person)
    entries, notes = AuditEntry.objects.count(), Notification.objects.count()
    asker.is_active = False
    asker.save()
    forget_facts(asker)
    for refused in (answerer, asker):  # not the asker; the asker, deactivated since
        with pytest.raises(PermissionDenied):
            qa.question_close(question, actor=refused)
    with pytest.raises(TypeError):
        qa.question_close(question, actor="system")  # a bare string is not an actor
    question.refresh_from_db()
    assert (question.status, question.version) == ("open", 1)
    assert (AuditEntry.objects.count(), Notification.objects.count()) == (entries, notes)
    closed = qa.question_close(question, actor=SystemActor.cli("admin"))
    assert (closed.status, closed.version) == ("answered", 2)
    assert Question.objects.get(pk=question.pk).version == 2
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.actor_name, entry.before["status"], entry.after["status"]) == (
        "update", "cli:admin", "open", "answered")
    assert entry.related_object_id == str(component.pk)
    assert AuditEntry.objects.count() == entries + 1


def test_ask_and_answer_are_refused_to_inactive_users(asker, answerer, component):
    question = qa.question_ask(actor=asker, target=component, text="Which plan are we on?",
                               addressed_person=answerer.person)
    answerer.is_active = False
    answerer.save()
    forget_facts(answerer)
    with pytest.raises(PermissionDenied):
        qa.question_answer(question, actor=answerer, text="Enterprise.")
    with pytest.raises(PermissionDenied):
        qa.question_ask(actor=answerer, target=component, text="And the renewal?", addressed_person=PersonFactory())
    assert Answer.objects.count() == 0 and Question.objects.count() == 1


def test_target_of_refuses_unknown_types_and_hidden_objects(asker, component):
    assert qa.target_of("catalog.component", component.pk, asker) == component
    with pytest.raises(ValidationError) as exc:
        qa.target_of("auth.user", asker.pk, asker)
    assert "target_type" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        qa.target_of("catalog.component", 999999, asker)
    assert "target_id" in exc.value.message_dict


# Notification service ---------------------------------------------------------------------

def test_notify_resolves_people_departments_and_users_once_each(it, answerer, asker):
    without_login = PersonFactory(department=it)
    rows = notifications.notify([answerer.person, it, asker, without_login, None], kind="assigned", title="Hello")
    assert sorted(n.recipient.username for n in rows) == ["answerer", "asker"]


def test_notify_skips_the_actor_and_inactive_users(asker, answerer):
    answerer.is_active = False
    answerer.save()
    assert notifications.notify([asker, answerer], kind="assigned", title="x", actor=asker) == []


def test_channels_run_after_commit_with_the_message(asker, django_capture_on_commit_callbacks):
    received = []
    notifications.register_channel("test", received.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            notifications.notify([asker], kind="assigned", title="Planned", body="Into iteration 2")
        assert [(m.title, m.body, m.recipient_ids) for m in received] == [("Planned", "Into iteration 2", (asker.pk,))]
    finally:
        notifications.unregister_channel("test")


def test_mark_read_touches_only_the_users_own(asker, answerer):
    notifications.notify([asker, answerer], kind="assigned", title="x")
    assert notifications.unread_count(asker) == 1
    assert notifications.mark_read(asker) == 1
    assert notifications.unread_count(asker) == 0
    assert notifications.unread_count(answerer) == 1
