"""API for what every area shares: tags, the audit log, questions and answers on any object, and
each user's notifications."""

import django_filters
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from ninja import Query, Router, Status

from stacksteward.org.models import Department, Person

from . import notifications
from . import questions as qa
from .api_support import (
    CREATE_ERRORS,
    GET_BY_ID_ERRORS,
    LIST_ERRORS,
    PageParams,
    Refs,
    apply_filters,
    errors,
    fetch_or_404,
    filter_schema,
    page_schema,
    paginate,
)
from .audit import readable_by
from .choices import AuditActionChoices, AuditSourceChoices, NotificationKindChoices, QuestionStatusChoices
from .models import Answer, AuditEntry, Notification, Question, Tag
from .permissions import require_perm
from .schemas import (
    AnswerIn,
    AnswerOut,
    AuditEntryOut,
    NotificationOut,
    NotificationReadIn,
    NotificationReadOut,
    QuestionDetailOut,
    QuestionIn,
    QuestionOut,
    TagOut,
)

router = Router(tags=["core"])



class AuditEntryFilterSet(django_filters.FilterSet):
    object_type = django_filters.CharFilter(
        method="filter_object_type", label="Object type (app_label.model, e.g. catalog.component)",
        validators=[RegexValidator(r"^[a-z_]+\.[a-z_]+$", "Use app_label.model, e.g. catalog.component.")],
    )
    object_id = django_filters.CharFilter(field_name="object_id", label="Object id")
    actor = django_filters.CharFilter(method="filter_actor", label="Actor (username, or a name such as cli or system)")
    action = django_filters.MultipleChoiceFilter(choices=AuditActionChoices.choices)
    source = django_filters.MultipleChoiceFilter(choices=AuditSourceChoices.choices)
    since = django_filters.IsoDateTimeFilter(field_name="timestamp", lookup_expr="gte",
                                             label="Since (ISO 8601 date-time, inclusive)")
    until = django_filters.IsoDateTimeFilter(field_name="timestamp", lookup_expr="lt",
                                             label="Before (ISO 8601 date-time)")

    class Meta:
        model = AuditEntry
        fields = ["object_type", "object_id", "actor", "action", "source", "since", "until"]

    def filter_object_type(self, queryset, name, value):
        app_label, model = value.split(".", 1)
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)

    def filter_actor(self, queryset, name, value):
        return queryset.filter(Q(actor__username=value) | Q(actor_name=value))


def visible_audit_entries(user, queryset=None):
    """Audit entries the user may read, with what an entry row shows in one query."""
    queryset = (AuditEntry.objects.all() if queryset is None else queryset).select_related(
        "content_type", "related_content_type", "actor"
    )
    return readable_by(queryset, user)


AuditEntryFilters = filter_schema(AuditEntryFilterSet)


@router.get("/audit", response={200: page_schema(AuditEntryOut), **errors(*LIST_ERRORS)})
def list_audit_entries(request, filters: Query[AuditEntryFilters], page: Query[PageParams]):
    """Every recorded change, newest first: who, when, from where, before and after."""
    queryset = apply_filters(AuditEntryFilterSet, request, visible_audit_entries(request.auth))
    return paginate(queryset, page)


@router.get("/tags", response={200: page_schema(TagOut), **errors(*LIST_ERRORS)})
def list_tags(request, page: Query[PageParams]):
    """Tags in use on components (created by naming them on a component)."""
    return paginate(Tag.objects.restrict(request.auth, "view"), page)


# Questions and answers -------------------------------------------------------------------------

API = AuditSourceChoices.API
OBJECT_TYPE = RegexValidator(r"^[a-z_]+\.[a-z_]+$", "Use app_label.model, e.g. intake.request.")


def _caller(filterset):
    return getattr(filterset.request, "auth", None) or filterset.request.user


class QuestionFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=QuestionStatusChoices.choices)
    target_type = django_filters.CharFilter(method="filter_target_type", validators=[OBJECT_TYPE],
                                            label="About objects of this type (app_label.model, e.g. intake.request)")
    target_id = django_filters.CharFilter(field_name="object_id", label="About the object with this id")
    waiting_for_me = django_filters.BooleanFilter(
        method="filter_waiting_for_me", label="Open and addressed to you or to your department")
    asked_by_me = django_filters.BooleanFilter(method="filter_asked_by_me", label="Asked by you")
    ordering = django_filters.OrderingFilter(fields=(("created_at", "asked"), ("updated_at", "updated")))

    class Meta:
        model = Question
        fields = ["status", "target_type", "target_id", "waiting_for_me", "asked_by_me"]

    def filter_target_type(self, queryset, name, value):
        app_label, model = value.split(".", 1)
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)

    def filter_waiting_for_me(self, queryset, name, value):
        mine = Q(pk__in=qa.waiting_for(_caller(self)).values("pk"))
        return queryset.filter(mine) if value else queryset.exclude(mine)

    def filter_asked_by_me(self, queryset, name, value):
        mine = Q(asked_by=_caller(self))
        return queryset.filter(mine) if value else queryset.exclude(mine)


QuestionFilters = filter_schema(QuestionFilterSet)


def _questions(user):
    answers = (Answer.objects.filter(question=OuterRef("pk")).order_by().values("question")
               .annotate(n=Count("id")).values("n"))
    return (Question.objects.restrict(user, "view")
            .select_related("content_type", "asked_by", "addressed_person", "addressed_department")
            .annotate(answer_count=Coalesce(Subquery(answers, output_field=IntegerField()), Value(0))))


def _question_detail(user, id: int) -> Question:
    return fetch_or_404(_questions(user).prefetch_related("answers__author"), pk=id)


@router.get("/questions", response={200: page_schema(QuestionOut), **errors(*LIST_ERRORS)})
def list_questions(request, filters: Query[QuestionFilters], page: Query[PageParams]):
    """Questions on any object, newest first; ``waiting_for_me=true`` is your list of questions to answer."""
    return paginate(apply_filters(QuestionFilterSet, request, _questions(request.auth)), page)


@router.post("/questions", response={201: QuestionDetailOut, **errors(*CREATE_ERRORS)})
def create_question(request, payload: QuestionIn):
    """Ask a person or a department a question about an object (anyone signed in who can see it).
    The addressee is notified; the question stays open until you mark it answered."""
    require_perm(request.auth, "add", Question)
    refs = Refs()
    try:
        target = qa.target_of(payload.target_type, payload.target_id, request.auth)
    except ValidationError as exc:  # reported with any bad addressee below
        target, refs.errors = None, exc.message_dict
    person = refs.person(Person.objects.restrict(request.auth, "view"), "addressed_person", payload.addressed_person)
    department = refs.one(Department.objects.restrict(request.auth, "view"), "addressed_department",
                          payload.addressed_department)
    refs.check()
    question = qa.question_ask(actor=request.auth, target=target, text=payload.text, addressed_person=person,
                               addressed_department=department, source=API)
    return Status(201, _question_detail(request.auth, question.pk))


@router.get("/questions/{id}", response={200: QuestionDetailOut, **errors(*GET_BY_ID_ERRORS)})
def get_question(request, id: int):
    """The question with its answers, oldest first."""
    return _question_detail(request.auth, id)


@router.post("/questions/{id}/answers", response={201: AnswerOut, **errors(401, 403, 404, 422)})
def answer_question(request, id: int, payload: AnswerIn):
    """Answer an open question (refused once it is marked answered). The asker is notified."""
    question = fetch_or_404(Question.objects.restrict(request.auth, "view"), pk=id)
    require_perm(request.auth, "add", Answer)
    answer = qa.question_answer(question, actor=request.auth, text=payload.text, source=API)
    return Status(201, answer)


@router.post("/questions/{id}/close", response={200: QuestionDetailOut, **errors(401, 403, 404, 422)})
def close_question(request, id: int):
    """Mark the question answered (its asker, or an admin). The addressee is notified."""
    question = fetch_or_404(Question.objects.restrict(request.auth, "view"), pk=id)
    qa.question_close(question, actor=request.auth, source=API)
    return _question_detail(request.auth, id)


# Notifications ---------------------------------------------------------------------------------


class NotificationFilterSet(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label="Not read yet")
    kind = django_filters.MultipleChoiceFilter(choices=NotificationKindChoices.choices)

    class Meta:
        model = Notification
        fields = ["unread", "kind"]


NotificationFilters = filter_schema(NotificationFilterSet)


@router.get("/notifications", response={200: page_schema(NotificationOut), **errors(*LIST_ERRORS)})
def list_notifications(request, filters: Query[NotificationFilters], page: Query[PageParams]):
    """Your in-app notifications, newest first (nobody sees anyone else's)."""
    queryset = Notification.objects.restrict(request.auth, "view").select_related("content_type")
    return paginate(apply_filters(NotificationFilterSet, request, queryset), page)


@router.post("/notifications/read", response={200: NotificationReadOut, **errors(401, 403, 422)})
def mark_notifications_read(request, payload: NotificationReadIn):
    """Mark your notifications read: those in ``ids``, or all of them when ``ids`` is left out."""
    marked = notifications.mark_read(request.auth, payload.ids)
    return {"marked": marked, "unread": notifications.unread_count(request.auth)}
