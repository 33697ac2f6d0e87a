"""Questions and answers on any object: ask, answer, mark answered.

A question is addressed to a person or a department and stays open until the person who
asked it marks it answered. Every write is authorized by the policies of ``core.policies``
(``QUESTIONS``, ``ANSWERS``; asking also needs the right to see the object), goes through core's
versioned, locked and audited path (the question's entries also show on the object it is about),
and the people concerned are notified in the same transaction.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from . import audit
from .actors import user_of
from .choices import AuditSourceChoices, NotificationKindChoices, QuestionStatusChoices
from .models import Answer, Question
from .notifications import notify
from .policies import ANSWERS, QUESTIONS, policy_for
from .services import object_create, object_update

UI = AuditSourceChoices.UI

# Models whose objects can carry questions, by label ("intake.request"); apps add theirs in ready().
_askable: set[str] = set()


def register_askable(*labels: str) -> None:
    _askable.update(label.lower() for label in labels)


def is_askable(model) -> bool:
    return model._meta.label_lower in _askable


def askable_labels() -> list[str]:
    return sorted(_askable)


def target_of(label: str, object_id, user):
    """The object a question is about, by model label and id, if the user may see it; else ValidationError."""
    label = (label or "").lower()
    if label not in _askable:
        raise ValidationError({"target_type": f"Questions cannot be asked about '{label}'; "
                                              f"one of: {', '.join(askable_labels())}."})
    app_label, model_name = label.split(".", 1)
    model = ContentType.objects.get_by_natural_key(app_label, model_name).model_class()
    obj = model.objects.restrict(user, "view").filter(pk=object_id).first() if str(object_id).isdigit() else None
    if obj is None:
        raise ValidationError({"target_id": f"No {model._meta.verbose_name} with id '{object_id}'."})
    return obj


def questions_about(obj):
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return (Question.objects.filter(content_type=content_type, object_id=str(obj.pk))
            .select_related("addressed_person", "addressed_department", "asked_by")
            .prefetch_related("answers"))


def waiting_for(user):
    """Open questions addressed to the user's person or to the user's department."""
    person = getattr(user, "person", None) if user is not None and user.is_authenticated else None
    if person is None:
        return Question.objects.none()
    mine = models.Q(addressed_person=person)
    if person.department_id:
        mine |= models.Q(addressed_person__isnull=True, addressed_department_id=person.department_id)
    return Question.objects.filter(mine, status=QuestionStatusChoices.OPEN)


def _audience_of_question(question: Question) -> list:
    return [question.addressed_person or question.addressed_department]


@transaction.atomic
def question_ask(*, actor, target, text: str, addressed_person=None, addressed_department=None,
                 source=UI) -> Question:
    QUESTIONS.require(actor, "add")
    if not is_askable(type(target)):
        raise ValidationError({"target_type": f"Questions cannot be asked about {target._meta.verbose_name}."})
    if not policy_for(target).allows(actor, "view", target):
        raise PermissionDenied("You may not see this object.")
    question = object_create(Question, actor=actor, source=source, related_attr="target", data={
        "content_type": ContentType.objects.get_for_model(target, for_concrete_model=True),
        "object_id": str(target.pk),
        "target_repr": str(target)[:200],
        "text": (text or "").strip(),
        "asked_by": user_of(actor),
        "asker_name": audit.actor_name(actor)[:150],
        "addressed_person": addressed_person,
        "addressed_department": addressed_department,
    })
    notify(_audience_of_question(question), kind=NotificationKindChoices.QUESTION_ASKED, actor=actor,
           title=f"Question about {question.target_repr}", body=question.text, url=_url_of(target),
           target=target)
    return question


@transaction.atomic
def question_answer(question: Question, *, actor, text: str, source=UI) -> Answer:
    ANSWERS.require(actor, "add")
    current = Question.objects.select_for_update().get(pk=question.pk)
    if not current.is_open:
        raise ValidationError({"question": f"Question {current.pk} was marked answered on "
                                           f"{timezone.localtime(current.closed_at):%Y-%m-%d}; "
                                           "ask a new question instead."})
    answer = object_create(Answer, actor=actor, source=source, related_attr="target", data={
        "question": current,
        "text": (text or "").strip(),
        "author": user_of(actor),
        "author_name": audit.actor_name(actor)[:150],
    })
    target = _target_or_none(current)
    recipients = [current.asked_by] if current.asked_by_id else []
    notify(recipients, kind=NotificationKindChoices.QUESTION_ANSWERED, actor=actor,
           title=f"Answer to your question about {current.target_repr}", body=answer.text,
           url=_url_of(target), target=target)
    return answer


def can_close(user, question: Question) -> bool:
    """The asker (or an admin, or a system actor) may mark the question answered."""
    return user is not None and QUESTIONS.allows(user, "close", question)


@transaction.atomic
def question_close(question: Question, *, actor, source=UI) -> Question:
    """The asker (or an admin) marks the question answered."""
    current = Question.objects.select_for_update().get(pk=question.pk)
    if not can_close(actor, current):
        raise PermissionDenied("Only the person who asked can mark a question answered.")
    if not current.is_open:
        raise ValidationError({"status": "The question is already marked answered."})
    current = object_update(current, actor=actor, source=source, related_attr="target", rule="close",
                            expected_version=current.version,
                            data={"status": QuestionStatusChoices.ANSWERED, "closed_at": timezone.now()})
    target = _target_or_none(current)
    notify(_audience_of_question(current), kind=NotificationKindChoices.QUESTION_CLOSED, actor=actor,
           title=f"Question about {current.target_repr} marked answered", body=current.text,
           url=_url_of(target), target=target)
    return current


def _target_or_none(question: Question):
    model = question.content_type.model_class()
    return model.objects.filter(pk=question.object_id).first() if model else None


def _url_of(obj) -> str:
    return obj.get_absolute_url() if obj is not None and hasattr(obj, "get_absolute_url") else ""
