"""Reading list rows straight into plain dicts of a schema's shape (no model instances)."""

from datetime import date, datetime
from decimal import Decimal
from types import UnionType
from typing import Any, Union, get_args, get_origin

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from ninja.renderers import JSONRenderer
from pydantic import BaseModel

from stacksteward.core.perf import gc_paused
from stacksteward.core.policies import policy_for

HIDDEN_FLAG = "values_hidden"  # an Out schema's flag: the caller may not read some of this row's fields (money)
_RENDERER = JSONRenderer()  # the NinjaAPI's renderer: the same JSON (dates, decimals) as a validated answer
_CONTENT_TYPE = f"{_RENDERER.media_type}; charset={_RENDERER.charset}"
# The column types whose values (as Django's converters return them) a schema type keeps unchanged.
_SCALARS: dict[type, set[str]] = {
    str: {"CharField", "TextField", "SlugField"},
    int: {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField",
          "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField"},
    bool: {"BooleanField"},
    Decimal: {"DecimalField"},
    date: {"DateField"},
    datetime: {"DateTimeField"},
}


def _scalar_column(schema, name: str, annotation, field) -> bool:
    """Whether ``field`` is a plain column whose values already are what ``annotation`` makes of them."""
    if field.is_relation or not field.concrete:
        return False
    if field.get_internal_type() not in _SCALARS.get(annotation, ()):
        raise TypeError(f"{schema.__name__}.{name}: {annotation!r} from a {field.get_internal_type()} "
                        "would be converted; PlainRows cannot read it.")
    return True


def _optional(annotation) -> tuple[Any, bool]:
    """``X | None`` → (X, True); ``X`` → (X, False)."""
    if get_origin(annotation) in (Union, UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1 and len(get_args(annotation)) == 2:
            return args[0], True
    return annotation, False


def _is_schema(annotation) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


class PlainRows:
    """Read rows of ``model`` straight into plain dicts of ``schema``'s shape, a page at a time.

    Built once per list (at import), from the schema's fields: a scalar is a model column, a nested
    schema (``category: CategoryBrief | None``) a foreign key whose fields are read through a join,
    ``list[Brief]`` a many-to-many read with one query on its through table, in the related model's
    default order (as a prefetch would). A schema this cannot read exactly (resolvers, aliases, fields
    that are not model fields, other types) is refused with ``TypeError`` when the list is defined.
    """

    def __init__(self, model: type[models.Model], schema: type[BaseModel]):
        self.model = model
        self.schema = schema
        self.columns: list[str] = []
        # The model's field groups (money): their fields are nulled, and ``values_hidden`` set, on the rows whose
        # group the caller may not read (``Policy.shows_q``); their resolvers do the same for one object.
        self.groups = {name: spec.fields for name, spec in policy_for(model).fields.items()}
        self.concealed = {f for fields in self.groups.values() for f in fields}
        self.plan = self._compile(model, schema, prefix="", nested=False)
        self.many: list[tuple] = []  # (field, through model, source key, item keys, columns, ordering)
        for name, info in schema.model_fields.items():
            annotation, _ = _optional(info.annotation)
            if get_origin(annotation) is list:
                self.many.append(self._compile_many(model, schema, name, get_args(annotation)[0]))

    def _check_field(self, schema, name, info) -> None:
        concealing = schema is self.schema and (name in self.concealed or name == HIDDEN_FLAG)
        if getattr(schema, f"resolve_{name}", None) is not None and not concealing:
            raise TypeError(f"{schema.__name__}.{name} has a resolver: PlainRows cannot read it.")
        if info.alias or info.validation_alias or info.serialization_alias:
            raise TypeError(f"{schema.__name__}.{name} has an alias: PlainRows cannot read it.")

    def _compile(self, model, schema, *, prefix: str, nested: bool) -> list:
        """[(key, column index) | (key, null-check column index, sub-plan) | (key, None)] for each field."""
        plan: list = []
        for name, info in schema.model_fields.items():
            self._check_field(schema, name, info)
            annotation, nullable = _optional(info.annotation)
            if name == HIDDEN_FLAG and not nested and self.groups:
                plan.append((name, None, None, None))  # set by ``_conceal``
                continue
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                raise TypeError(f"{schema.__name__}.{name} is not a field of {model.__name__}.") from None
            if get_origin(annotation) is list and not nested:
                if not isinstance(field, models.ManyToManyField) or not _is_schema(get_args(annotation)[0]):
                    raise TypeError(f"{schema.__name__}.{name}: only list[Schema] of a many-to-many is read.")
                plan.append((name, None))  # filled from its own query
            elif _is_schema(annotation):
                if not isinstance(field, models.ForeignKey):  # one-to-one included
                    raise TypeError(f"{schema.__name__}.{name}: a nested schema must be a foreign key.")
                self.columns.append(prefix + name)  # the key itself: None means no related object
                null_index = len(self.columns) - 1
                sub = self._compile(field.related_model, annotation, prefix=f"{prefix}{name}__", nested=True)
                plan.append((name, null_index if nullable or field.null else None, sub))
            elif annotation in _SCALARS:
                if not _scalar_column(schema, name, annotation, field):
                    raise TypeError(f"{schema.__name__}.{name} is a relation: give it a nested schema.")
                self.columns.append(prefix + name)
                plan.append((name, len(self.columns) - 1))
            else:
                raise TypeError(f"{schema.__name__}.{name}: PlainRows cannot read {info.annotation!r}.")
        return plan

    def _compile_many(self, model, schema, name: str, item: type[BaseModel]):
        field = model._meta.get_field(name)
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        keys, columns = [], []
        for sub_name, info in item.model_fields.items():
            self._check_field(item, sub_name, info)
            try:
                sub_field = field.related_model._meta.get_field(sub_name)
            except FieldDoesNotExist:
                raise TypeError(f"{item.__name__}.{sub_name} is not a field of {field.related_model.__name__}.") \
                    from None
            if info.annotation not in _SCALARS or not _scalar_column(item, sub_name, info.annotation, sub_field):
                raise TypeError(f"{item.__name__}.{sub_name}: only scalar fields in a list of briefs.")
            keys.append(sub_name)
            columns.append(f"{target}__{sub_name}")
        ordering = []
        for key in field.related_model._meta.ordering or ["pk"]:
            if not isinstance(key, str):
                raise TypeError(f"{field.related_model.__name__}'s ordering is not plain field names.")
            sign, key = ("-", key[1:]) if key.startswith("-") else ("", key)
            ordering.append(f"{sign}{target}__{key}")
        return name, through, source, keys, columns, ordering

    def _build(self, plan: list, row: tuple) -> dict:
        out = {}
        for entry in plan:
            if len(entry) == 4:
                out[entry[0]] = False
            elif len(entry) == 2:
                name, index = entry
                out[name] = row[index] if index is not None else []
            else:
                name, null_index, sub = entry
                out[name] = None if null_index is not None and row[null_index] is None else self._build(sub, row)
        return out

    def _conceal(self, found: dict, actor) -> None:
        """Null the field groups ``actor`` may not read (one query per group the actor reads on some rows)."""
        policy = policy_for(self.model)
        for group, fields in self.groups.items():
            shown = policy.shows_q(actor, group)
            if shown is True:
                continue
            keys = set(found)
            if shown is not False:
                keys -= set(self.model._base_manager.filter(pk__in=list(found)).filter(shown)
                            .values_list("pk", flat=True))
            for key in keys:
                row = found[key]
                for name in fields:
                    if name in row:
                        row[name] = None
                if HIDDEN_FLAG in row:
                    row[HIDDEN_FLAG] = True

    def read(self, keys: list, actor=None) -> list[dict]:
        """The rows of ``keys`` (primary keys), in that order; keys no longer found are left out. With
        ``actor``, the field groups it may not read are null (and ``values_hidden`` true) on their rows."""
        with gc_paused():
            found = {}
            pk_index = len(self.columns)
            for row in self.model._base_manager.filter(pk__in=keys).values_list(*self.columns, "pk"):
                found[row[pk_index]] = self._build(self.plan, row)
            for name, through, source, item_keys, columns, ordering in self.many:
                values = (through._base_manager.filter(**{f"{source}__in": list(found)})
                          .order_by(*ordering).values_list(source, *columns))
                for owner, *item in values:
                    found[owner][name].append(dict(zip(item_keys, item, strict=True)))
            if actor is not None and self.groups and found:
                self._conceal(found, actor)
            return [found[key] for key in keys if key in found]
