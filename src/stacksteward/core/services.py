"""Generic audited writes with optimistic version checks.

Domain services (``catalog.services``, ``org.services``…) build on these three functions, so
every write — from the UI, the API, the CLI or an import — validates the same way, checks the
version it was based on, and writes its audit entry in the same transaction.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import F

from . import audit, limits
from .actors import actor_name, check_actor, user_of
from .choices import AuditSourceChoices
from .exceptions import StaleVersionError
from .policies import policy_for


def _split(model: type[models.Model], data: Mapping) -> tuple[dict, dict]:
    m2m_names = {f.name for f in model._meta.many_to_many}
    fields = {k: v for k, v in data.items() if k not in m2m_names}
    m2m = {k: v for k, v in data.items() if k in m2m_names}
    return fields, m2m


def _set_m2m(obj, m2m: Mapping[str, Iterable]) -> None:
    for name, values in m2m.items():
        getattr(obj, name).set(list(values))


def _differs(model, name: str, before, after) -> bool:
    """Whether a snapshot value really changed: 48000 and 48000.00 are the same amount."""
    if before == after:
        return False
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # not a model field: treat as changed
        return True
    if isinstance(field, models.DecimalField) and before is not None and after is not None:
        try:
            return Decimal(str(before)) != Decimal(str(after))
        except InvalidOperation:
            return True
    return True


def _validate(obj, exclude: Iterable[str] = ()) -> None:
    """The limits every text and date field has (``core.limits``), then the model's own rules (``full_clean``).

    A value outside its limit is reported with the other fields' errors, without the model's cross-field
    rules (they would compute with a date in the year 9999)."""
    exclude = list(exclude)
    found = limits.problems(obj, exclude)
    if not found:
        obj.full_clean(exclude=exclude or None)
        return
    try:
        obj.clean_fields(exclude=[*exclude, *found])
    except ValidationError as exc:
        found.update(exc.message_dict)
    raise ValidationError(found)


@transaction.atomic
def object_create(
    model: type[models.Model],
    *,
    actor,
    data: Mapping,
    source: str = AuditSourceChoices.UI,
    related_attr: str | None = None,
    rule: str = "add",
):
    """Authorize (the model's policy, ``rule``), create, validate (``full_clean``), save, set
    many-to-many fields, audit."""
    policy = policy_for(model)
    policy.require(actor, rule)
    policy.require_fields(actor, None, data)
    fields, m2m = _split(model, data)
    obj = model(**fields)
    _validate(obj)
    obj.save()
    _set_m2m(obj, m2m)
    related = getattr(obj, related_attr) if related_attr else None
    audit.record(actor=actor, action="create", obj=obj, before=None, after=audit.snapshot(obj),
                 source=source, related=related)
    return obj


def with_slug(model: type[models.Model], data: Mapping) -> dict:
    """``data`` with a unique ``slug`` made from its ``name`` when none is given."""
    from .models import unique_slug

    data = dict(data)
    if not data.get("slug") and data.get("name"):
        data["slug"] = unique_slug(model, data["name"])
    return data


def check_version(obj, expected_version: int | None) -> None:
    if expected_version is None:
        return
    if int(expected_version) != obj.version:
        raise StaleVersionError(
            f"{obj._meta.verbose_name.capitalize()} “{obj}” was changed by someone else since you opened it "
            f"(your version {expected_version}, current version {obj.version}). Reload and apply your edit again.",
            current_version=obj.version,
        )


@transaction.atomic
def object_update(
    obj: models.Model,
    *,
    actor,
    data: Mapping,
    expected_version: int | None,
    source: str = AuditSourceChoices.UI,
    related_attr: str | None = None,
    rule: str = "change",
):
    """Apply ``data`` to ``obj`` if nobody changed it since ``expected_version``.

    The model's policy is asked first (``rule``: "change", or the workflow step a service takes),
    including the field groups ``data`` touches (money).

    The row is re-read under a lock, so two concurrent edits of the same version cannot both
    win; the loser gets ``StaleVersionError``. Returns the fresh object (version bumped), or the
    unchanged object when ``data`` changes nothing (no audit entry, no version bump).
    """
    model = type(obj)
    policy = policy_for(model)
    policy.require(actor, rule, obj)
    current = model.objects.select_for_update().get(pk=obj.pk)
    check_version(current, expected_version)
    before = audit.snapshot(current)
    fields, m2m = _split(model, data)
    for name, value in fields.items():
        setattr(current, name, value)
    preview = audit.snapshot(current, include_m2m=False)
    policy.require_fields(actor, current, [*m2m, *(name for name in fields
                                                   if _differs(model, name, before.get(name), preview.get(name)))])
    _validate(current)
    current.save()
    _set_m2m(current, m2m)
    after = audit.snapshot(current)
    if after == before:
        return current
    model.objects.filter(pk=current.pk).update(version=F("version") + 1)
    current.version += 1
    related = getattr(current, related_attr) if related_attr else None
    audit.record(actor=actor, action="update", obj=current, before=before, after=after, source=source,
                 related=related)
    return current


@transaction.atomic
def object_delete(
    obj: models.Model,
    *,
    actor,
    expected_version: int | None = None,
    source: str = AuditSourceChoices.UI,
    related_attr: str | None = None,
    rule: str = "delete",
) -> None:
    model = type(obj)
    policy_for(model).require(actor, rule, obj)
    current = model.objects.select_for_update().get(pk=obj.pk)
    check_version(current, expected_version)
    before = audit.snapshot(current)
    related = getattr(current, related_attr) if related_attr else None
    audit.record(actor=actor, action="delete", obj=current, before=before, after=None, source=source,
                 related=related)
    try:
        current.delete()
    except models.ProtectedError as exc:
        # Raised before any row is deleted; the atomic block drops the audit entry with it.
        names = ", ".join(sorted({str(o) for o in exc.protected_objects})[:5])
        raise ValidationError(f"“{current}” is still used by: {names}. Remove those links first.")


def validation_messages(exc: ValidationError) -> list[dict]:
    """[{field, message}] from a ValidationError, "__all__" for errors not tied to one field."""
    if hasattr(exc, "error_dict"):
        return [
            {"field": field, "message": message}
            for field, errors in exc.message_dict.items()
            for message in errors
        ]
    return [{"field": "__all__", "message": m} for m in exc.messages]


def objects_bulk_create(
    model: type[models.Model],
    *,
    actor,
    rows: list[Mapping],
    source: str = AuditSourceChoices.IMPORT,
    related_attr: str | None = None,
    batch_size: int = 2000,
) -> list[models.Model]:
    """Create many objects at once (imports), validated and audited like ``object_create``.

    Each row is checked with ``clean_fields`` (foreign keys must be given as instances, so
    they are not looked up again) and the model's ``clean``; the caller guarantees the
    uniqueness that ``validate_unique`` would query for row by row (the importer checks natural
    keys against the file and the database in bulk), and the database constraints stay the
    last guard. Rows, many-to-many links and one audit entry per object are written with
    ``bulk_create`` in the caller's transaction. A ValidationError carries ``row_index``.
    """
    from django.contrib.contenttypes.models import ContentType

    from .models import AuditEntry

    policy_for(model).require(actor, "add")
    if rows:
        policy_for(model).require_fields(actor, None, set().union(*rows))
    fk_names = [f.name for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
    objs, m2m_values = [], []
    for index, row in enumerate(rows):
        fields, m2m = _split(model, row)
        obj = model(**fields)
        try:
            limits.check(obj)
            obj.clean_fields(exclude=fk_names)
            obj.clean()
        except ValidationError as exc:
            exc.row_index = index
            raise
        objs.append(obj)
        m2m_values.append(m2m)
    if not objs:
        return []
    with transaction.atomic():
        model.objects.bulk_create(objs, batch_size=batch_size)
        if objs[0].pk is None:  # backends that cannot return ids: fetch them by a unique field
            raise RuntimeError(f"{model.__name__} bulk_create did not return primary keys")
        for field in model._meta.many_to_many:
            through = getattr(model, field.name).through
            source_col = field.m2m_field_name() + "_id"
            target_col = field.m2m_reverse_field_name() + "_id"
            links = [
                through(**{source_col: obj.pk, target_col: target.pk})
                for obj, m2m in zip(objs, m2m_values, strict=True)
                for target in m2m.get(field.name, ())
            ]
            through.objects.bulk_create(links, batch_size=batch_size * 2)
        content_type = ContentType.objects.get_for_model(model)
        related_ct = None
        if related_attr:
            related_field = model._meta.get_field(related_attr)
            related_ct = ContentType.objects.get_for_model(related_field.related_model)
        check_actor(actor)
        user = user_of(actor)
        name = actor_name(actor)[:150]
        entries = []
        for obj, m2m in zip(objs, m2m_values, strict=True):
            after = audit.snapshot(obj, include_m2m=False)
            for field in model._meta.many_to_many:
                if field.name not in getattr(obj, "audit_exclude", ()):
                    after[field.name] = sorted(str(o) for o in m2m.get(field.name, ()))
            related_id = getattr(obj, f"{related_attr}_id") if related_attr else None
            entries.append(AuditEntry(
                actor=user, actor_name=name, source=source, action="create", content_type=content_type,
                object_id=str(obj.pk), object_repr=str(obj)[:200], before=None, after=after,
                related_content_type=related_ct if related_id else None,
                related_object_id=str(related_id) if related_id else "",
            ))
        AuditEntry.objects.bulk_create(entries, batch_size=batch_size)
    return objs
