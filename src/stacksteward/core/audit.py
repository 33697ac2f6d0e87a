"""Audit snapshots and entries. Services call ``record`` inside their transaction."""

import datetime
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .actors import actor_name, check_actor, user_of
from .choices import AuditActionChoices, AuditSourceChoices
from .models import AuditEntry


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def snapshot(obj: models.Model, *, include_m2m: bool = True) -> dict:
    """A JSON-ready dict of the object's fields as people read them.

    Foreign keys are frozen as the related object's text (the audit must stay readable after
    the related object is renamed or deleted); many-to-many as a sorted list of texts.
    """
    exclude = set(getattr(obj, "audit_exclude", ()))
    data: dict = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name in exclude:
            continue
        if isinstance(field, models.ForeignKey):
            related_id = getattr(obj, field.attname)
            data[field.name] = None if related_id is None else str(getattr(obj, field.name))
        else:
            data[field.name] = _plain(field.value_from_object(obj))
    if obj.pk and include_m2m:
        for field in obj._meta.many_to_many:
            if field.name in exclude:
                continue
            data[field.name] = sorted(str(o) for o in getattr(obj, field.name).all())
    return data


def record(
    *,
    actor,
    action: str,
    obj: models.Model,
    before: dict | None,
    after: dict | None,
    source: str = AuditSourceChoices.UI,
    related: models.Model | None = None,
) -> AuditEntry:
    check_actor(actor)
    return AuditEntry.objects.create(
        actor=user_of(actor),
        actor_name=actor_name(actor)[:150],
        source=source,
        action=AuditActionChoices(action),
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        related_content_type=ContentType.objects.get_for_model(related) if related is not None else None,
        related_object_id=str(related.pk) if related is not None else "",
        before=before,
        after=after,
    )


def readable_by(queryset, actor):
    """``queryset`` of audit entries without those about models whose policy's ``audit`` rule refuses
    ``actor`` (accounts and tokens: admins; contracts, costs, budgets: who sees all money)."""
    from .policies import SIGNED_IN, registered

    for label, policy in registered().items():
        if policy.audit is not SIGNED_IN and not policy.allows(actor, "audit"):
            app_label, model = label.split(".", 1)
            queryset = queryset.exclude(content_type__app_label=app_label, content_type__model=model)
    return queryset


def conceal(entries, actor):
    """Leave out of each entry's before and after the fields its model's policy does not show ``actor`` on every
    row (``Policy.hidden_anywhere``: a component's cost for who does not see all money); the names left out are
    in ``entry.hidden_fields``. In memory only, no queries (the content type is selected); returns ``entries``."""
    from .policies import policy_for

    hidden_by_type: dict[int, set[str]] = {}
    for entry in entries:
        if getattr(entry, "hidden_fields", None) is not None:
            continue  # done already
        hidden = hidden_by_type.get(entry.content_type_id)
        if hidden is None:
            content_type = entry.content_type
            hidden = hidden_by_type[entry.content_type_id] = policy_for(
                f"{content_type.app_label}.{content_type.model}").hidden_anywhere(actor)
        found = hidden.intersection({*(entry.before or {}), *(entry.after or {})})
        entry.hidden_fields = sorted(found)
        if found:
            if entry.before is not None:
                entry.before = {k: v for k, v in entry.before.items() if k not in found}
            if entry.after is not None:
                entry.after = {k: v for k, v in entry.after.items() if k not in found}
    return entries


def history_for(obj: models.Model):
    """Audit entries about the object, and about objects that named it as related."""
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    key = str(obj.pk)
    return AuditEntry.objects.filter(
        models.Q(content_type=ct, object_id=key) | models.Q(related_content_type=ct, related_object_id=key)
    ).select_related("content_type")
