"""API schemas for tags, the audit log, questions and answers, and notifications."""

from datetime import datetime
from typing import Any

from django.utils import timezone
from ninja import Field, Schema

from stacksteward.core.api_support import InputSchema
from stacksteward.core.audit import conceal
from stacksteward.core.models import AuditEntry, Notification, Question
from stacksteward.org.schemas import PERSON_REF, DepartmentBrief, PersonBrief, PersonRef


class TagBrief(Schema):
    slug: str
    name: str


class TagOut(TagBrief):
    id: int


class AuditChange(Schema):
    field: str
    before: Any = None
    after: Any = None


class AuditEntryOut(Schema):
    id: int
    timestamp: datetime
    actor: str | None = Field(None, description="The username, when the actor was a signed-in user.")
    actor_name: str = Field(..., description="Who made the change, frozen at write time (a name, 'cli', 'system').")
    source: str = Field(..., description="ui, api, import, cli or system.")
    action: str = Field(..., description="create, update or delete.")
    object_type: str = Field(..., description="app_label.model, e.g. catalog.component.")
    object_id: str
    object_repr: str
    related_type: str | None = None
    related_id: str | None = None
    before: dict | None = None
    after: dict | None = None
    changes: list[AuditChange] = Field(..., description="The fields whose value differs between before and after.")
    hidden_fields: list[str] = Field(..., description="Fields left out of before, after and changes: money you "
                                                      "may not see (admins and finance, procurement and legal "
                                                      "people see it).")

    @staticmethod
    def resolve_before(obj: AuditEntry, context) -> dict | None:
        return _concealed(obj, context).before

    @staticmethod
    def resolve_after(obj: AuditEntry, context) -> dict | None:
        return _concealed(obj, context).after

    @staticmethod
    def resolve_hidden_fields(obj: AuditEntry, context) -> list[str]:
        return _concealed(obj, context).hidden_fields

    @staticmethod
    def resolve_actor(obj: AuditEntry) -> str | None:
        return obj.actor.get_username() if obj.actor_id else None

    @staticmethod
    def resolve_object_type(obj: AuditEntry) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    @staticmethod
    def resolve_related_type(obj: AuditEntry) -> str | None:
        ct = obj.related_content_type
        return f"{ct.app_label}.{ct.model}" if ct else None

    @staticmethod
    def resolve_related_id(obj: AuditEntry) -> str | None:
        return obj.related_object_id or None

    @staticmethod
    def resolve_changes(obj: AuditEntry, context) -> list[dict]:
        return [{"field": name, "before": before, "after": after}
                for name, before, after in _concealed(obj, context).changes]


def _concealed(entry: AuditEntry, context) -> AuditEntry:
    """The entry without the fields the caller may not read (``core.audit.conceal``, once per entry)."""
    return conceal([entry], context["request"].auth)[0]


# Questions and answers -------------------------------------------------------------------------


class QuestionIn(InputSchema):
    target_type: str = Field(..., description="What the question is about: app_label.model, e.g. intake.request.")
    target_id: int = Field(..., description="The id of the object it is about.")
    text: str = Field(..., description="The question.")
    addressed_person: PersonRef | None = Field(None, description="Ask a person: " + PERSON_REF)
    addressed_department: str | None = Field(None, description="Or a department: its slug.")


class AnswerIn(InputSchema):
    text: str = Field(..., description="The answer.")


class AnswerOut(Schema):
    id: int
    question_id: int
    text: str
    author: str | None = Field(None, description="The username of who answered.")
    author_name: str
    created_at: datetime

    @staticmethod
    def resolve_author(obj) -> str | None:
        return obj.author.get_username() if obj.author_id else None


class QuestionOut(Schema):
    id: int
    target_type: str = Field(..., description="app_label.model, e.g. intake.request.")
    target_id: str
    target_repr: str = Field(..., description="What it is about, as it was called when asked.")
    text: str
    status: str = Field(..., description="open until the asker marks it answered.")
    asked_by: str | None = Field(None, description="The asker's username.")
    asker_name: str
    addressed_person: PersonBrief | None
    addressed_department: DepartmentBrief | None
    answer_count: int
    age_days: int = Field(..., description="Days since it was asked.")
    closed_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_target_type(obj: Question) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    @staticmethod
    def resolve_target_id(obj: Question) -> str:
        return obj.object_id

    @staticmethod
    def resolve_asked_by(obj: Question) -> str | None:
        return obj.asked_by.get_username() if obj.asked_by_id else None

    @staticmethod
    def resolve_age_days(obj: Question) -> int:
        return (timezone.now() - obj.created_at).days


class QuestionDetailOut(QuestionOut):
    answers: list[AnswerOut]

    @staticmethod
    def resolve_answers(obj: Question) -> list:
        return list(obj.answers.all())


# Notifications ---------------------------------------------------------------------------------


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str = Field(..., description="The page in the web UI it is about.")
    actor_name: str = Field(..., description="Who caused it.")
    target_type: str | None = Field(None, description="app_label.model of what it is about.")
    target_id: str | None = None
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_target_type(obj: Notification) -> str | None:
        ct = obj.content_type
        return f"{ct.app_label}.{ct.model}" if ct else None

    @staticmethod
    def resolve_target_id(obj: Notification) -> str | None:
        return obj.object_id or None


class NotificationReadIn(InputSchema):
    ids: list[int] | None = Field(None, description="The notifications to mark read; leave out for all of yours.")


class NotificationReadOut(Schema):
    marked: int = Field(..., description="Notifications marked read now.")
    unread: int = Field(..., description="Your notifications still unread.")
