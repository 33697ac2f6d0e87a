"""API schemas for tags and the audit log."""

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from stacksteward.core.models import AuditEntry


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
    def resolve_changes(obj: AuditEntry) -> list[dict]:
        return [{"field": name, "before": before, "after": after} for name, before, after in obj.changes]
