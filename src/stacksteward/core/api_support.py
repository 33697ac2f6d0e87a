"""What every API operation shares: authentication, the one error format, error handlers,
declared error responses, pagination, filtering and natural-key lookups.

Handlers stay thin: parse input (schemas), fetch-and-authorize (``fetch_or_404``,
``require_perm``), resolve natural keys (``Refs``), call a service, return the object.
Every error any layer raises is turned into the same body::

    {"detail": "…", "errors": [{"field": "…", "message": "…"}]}
"""

import copy
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from types import UnionType
from typing import Any, Union, get_args, get_origin

import django_filters
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from pydantic import BaseModel, ConfigDict, create_model

from stacksteward.core.perf import gc_paused

from .exceptions import ConflictError
from .services import validation_messages

# Authentication --------------------------------------------------------------------------------


class TokenAuth(HttpBearer):
    """``Authorization: Bearer sst_…``: an API token created with ``steward token create`` or the UI."""

    def authenticate(self, request: HttpRequest, token: str):
        from stacksteward.org.services import token_authenticate

        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """The web UI's signed-in session. Unsafe methods need the CSRF token, checked as ninja does.

    The CSRF check only runs for a signed-in session, so an anonymous caller gets 401 (not a
    CSRF 403) on every operation.
    """

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)


AUTH = [TokenAuth(), SessionAuth()]


def authenticated_user(request: HttpRequest):
    """The API user for views outside ninja's operations (the OpenAPI document and docs)."""
    for auth in (TokenAuth(), SessionAuth(csrf=False)):
        user = auth(request)
        if user:
            return user
    return None


def require_api_user(view):
    """Guard the OpenAPI document and the docs page: anonymous callers get the 401 error body."""

    def guarded(request, *args, **kwargs):
        if authenticated_user(request) is None:
            return JsonResponse({"detail": AUTH_REQUIRED, "errors": []}, status=401)
        return view(request, *args, **kwargs)

    return guarded


AUTH_REQUIRED = "Authentication required: send 'Authorization: Bearer <token>' or sign in."

# Error schemas and declared responses ----------------------------------------------------------


class ErrorItem(Schema):
    field: str = Field(..., description="The input field or query parameter; __all__ when not tied to one.")
    message: str


class ErrorOut(Schema):
    detail: str = Field(..., description="What went wrong, for people.")
    errors: list[ErrorItem] = Field(default_factory=list, description="One entry per invalid field.")


class ConflictOut(ErrorOut):
    current_version: int | None = Field(None, description="The object's current version: reload, then retry.")


def errors(*codes: int) -> dict[int, type[Schema]]:
    """``response={200: ThingOut, **errors(401, 404)}``: declare error statuses with their schema."""
    return {code: ConflictOut if code == 409 else ErrorOut for code in codes}


# The error statuses each kind of operation can answer.
LIST_ERRORS = (401, 422)  # 422: a bad filter value, limit or offset
GET_ERRORS = (401, 404)
GET_BY_ID_ERRORS = (401, 404, 422)  # 422: a path id that is not a number
CREATE_ERRORS = (401, 403, 422)
UPDATE_ERRORS = (401, 403, 404, 409, 422)
DELETE_ERRORS = (401, 403, 404, 409, 422)  # 422: still used by other objects

# Error handlers --------------------------------------------------------------------------------


def _body(detail: str, items: Iterable[dict] = (), **extra) -> dict:
    return {"detail": detail, "errors": list(items), **extra}


def _summary(items: list[dict]) -> str:
    parts = [m["message"] if m["field"] == "__all__" else f"{m['field']}: {m['message']}" for m in items]
    return ("; ".join(p.rstrip(". ") for p in parts) + ".") if parts else "Invalid input."


def field_from_loc(loc: Iterable[Any]) -> str:
    """("body", "payload", "tags", 0) → "tags.0"; ("query", "limit") → "limit"."""
    loc = [str(p) for p in loc]
    if not loc:
        return "__all__"
    source, rest = loc[0], loc[1:]
    if source == "body":
        # ninja keys the body by the handler's parameter name; a missing body has only that.
        rest = rest[1:] if len(rest) > 1 else []
        return ".".join(rest) or "body"
    return ".".join(rest) or source


def install_error_handlers(api) -> None:
    """Give every error, from any layer, the one error body and its status."""

    def respond(request, status: int, body: dict):
        return api.create_response(request, body, status=status)

    @api.exception_handler(DjangoValidationError)
    def on_django_validation(request, exc):
        items = validation_messages(exc)
        return respond(request, 422, _body(_summary(items), items))

    @api.exception_handler(NinjaValidationError)
    def on_request_validation(request, exc):
        items = [{"field": field_from_loc(e.get("loc", ())), "message": e.get("msg", "Invalid value.")}
                 for e in exc.errors]
        return respond(request, 422, _body(_summary(items), items))

    @api.exception_handler(ConflictError)
    def on_conflict(request, exc):
        return respond(request, 409, _body(exc.message, current_version=exc.current_version))

    @api.exception_handler(IntegrityError)
    def on_integrity(request, exc):
        return respond(request, 409, _body("The change conflicts with data saved at the same time. Reload and retry.",
                                           current_version=None))

    @api.exception_handler(PermissionDenied)
    def on_permission_denied(request, exc):
        return respond(request, 403, _body(str(exc) or "You do not have permission to do this."))

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return respond(request, 404, _body(str(exc) or "Not found."))

    @api.exception_handler(ObjectDoesNotExist)
    def on_does_not_exist(request, exc):
        return respond(request, 404, _body(str(exc) or "Not found."))

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request, exc):
        return respond(request, 401, _body(AUTH_REQUIRED))

    @api.exception_handler(HttpError)
    def on_http_error(request, exc):
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            # ninja's answer to unreadable JSON: bad input like any other, so 422 naming the body
            item = {"field": "body", "message": "The request body is not valid JSON."}
            return respond(request, 422, _body(_summary([item]), [item]))
        return respond(request, exc.status_code, _body(str(exc)))


# Fetching and natural keys ---------------------------------------------------------------------


def _describe(model: type[models.Model]) -> str:
    return str(model._meta.verbose_name)


def _key_label(key: str) -> str:
    """A lookup as people say it: pk → id, email__iexact → email."""
    key = key.removesuffix("__iexact")
    return "id" if key == "pk" else key


def fetch_or_404(queryset: models.QuerySet, **lookup):
    """The one object matching ``lookup`` in an already restricted queryset, or 404.

    A missing object and one the user may not see answer the same 404.
    """
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        key, value = next(iter(lookup.items()))
        raise Http404(f"No {_describe(queryset.model)} with {_key_label(key)} '{value}'.")


def is_id(value) -> bool:
    return isinstance(value, int) or (isinstance(value, str) and value.isdigit())


class Refs:
    """Resolve natural keys in an input body to objects, collecting every unknown one.

    ``refs.one(qs, "vendor", "acme")`` → the Vendor or None (and an error noted);
    ``refs.check()`` raises one ValidationError naming every bad field.
    """

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def _fail(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def one(self, queryset: models.QuerySet, field: str, value, key: str = "slug"):
        if value is None or value == "":
            return None
        obj = queryset.filter(**{key: value}).first()
        if obj is None:
            self._fail(field, f"No {_describe(queryset.model)} with {_key_label(key)} '{value}'.")
        return obj

    def person(self, queryset: models.QuerySet, field: str, value):
        """A person by id (a number) or by email."""
        if value is None or value == "":
            return None
        if is_id(value):
            return self.one(queryset, field, int(value), key="pk")
        return self.one(queryset, field, str(value).strip(), key="email__iexact")

    def many(self, queryset: models.QuerySet, field: str, values: Iterable, key: str = "slug") -> list:
        values = list(dict.fromkeys(values or []))
        found = {getattr(o, key): o for o in queryset.filter(**{f"{key}__in": values})}
        missing = [v for v in values if v not in found]
        if missing:
            listed = ", ".join(f"'{v}'" for v in missing)
            self._fail(field, f"No {_describe(queryset.model)} with {_key_label(key)} {listed}.")
        return [found[v] for v in values if v in found]

    def check(self) -> None:
        if self.errors:
            raise DjangoValidationError(self.errors)


# Input schema variants -------------------------------------------------------------------------

class InputSchema(Schema):
    """Base of request bodies: unknown fields are refused (a typo names itself), choices are plain values."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)


VERSION_FIELD = (int, Field(..., ge=1, description="The version your edit is based on (from the last read)."))


def put_schema(schema: type[Schema], name: str) -> type[Schema]:
    """The create schema plus the required ``version``: a full replacement (PUT)."""
    return create_model(name, __base__=schema, version=VERSION_FIELD)


def patch_schema(schema: type[Schema], name: str) -> type[Schema]:
    """Every field of ``schema`` optional (only the fields sent change), plus the required ``version``."""
    fields: dict[str, Any] = {"version": VERSION_FIELD}
    for field_name, info in schema.model_fields.items():
        optional = copy.copy(info)
        optional.default = None
        optional.default_factory = None
        fields[field_name] = (info.annotation | None, optional)
    return create_model(name, __base__=InputSchema, **fields)


def changed_fields(payload: Schema) -> dict:
    """The fields the client sent, without ``version``."""
    data = payload.model_dump(exclude_unset=True)
    data.pop("version", None)
    return data


def all_fields(payload: Schema) -> dict:
    data = payload.model_dump()
    data.pop("version", None)
    return data


# Pagination ------------------------------------------------------------------------------------

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Rows per page (at most {MAX_LIMIT}).")
    offset: int = Field(0, ge=0, description="Rows to skip.")


def page_schema(item: type[Schema]) -> type[Schema]:
    """``{"count": n, "items": [...]}`` for ``item``; ``ComponentOut`` → ``ComponentPage``."""
    name = item.__name__.removesuffix("Out") + "Page"
    return create_model(
        name, __base__=Schema,
        count=(int, Field(..., description="Rows matching the filters, on every page.")),
        items=(list[item], ...),
    )


def _page_keys(queryset: models.QuerySet, page: PageParams) -> tuple[int, list]:
    """The filtered count and the page's primary keys, in the queryset's order."""
    count = queryset.count()
    if count <= page.offset:
        return count, []
    return count, list(queryset.values_list("pk", flat=True)[page.offset: page.offset + page.limit])


def paginate(queryset: models.QuerySet, page: PageParams) -> dict:
    """Three queries (count, the page's keys, its rows) plus the queryset's prefetches, whatever the row count.

    The page's primary keys are found first on the bare, filtered and ordered table (an index walk),
    then only those rows are read with their joins: with the joins in the paging query, a late page
    (``offset=9000``) would join every row before it just to skip them.
    """
    count, keys = _page_keys(queryset, page)
    if not keys:
        return {"count": count, "items": []}
    with gc_paused():  # hundreds of model instances: no reason to rescan the heap while building them
        rows = {obj.pk: obj for obj in queryset.order_by().filter(pk__in=keys)}
    return {"count": count, "items": [rows[key] for key in keys if key in rows]}


def paginate_plain(queryset: models.QuerySet, page: PageParams, rows: "PlainRows") -> HttpResponse:
    """``paginate`` for a list whose rows ``PlainRows`` can read: the same body, written straight to JSON.

    Count and keys as ``paginate`` (same filters, permissions and order); the rows are then read by key
    as plain values (no model instances, no per-object validation by ninja's ORM-aware Schema, which
    cost most of a 100-row page). The operation still declares ``page_schema(…Out)`` as its response,
    and tests check the body equals what that schema makes of the same objects.
    """
    count, keys = _page_keys(queryset, page)
    items = rows.read(keys) if keys else []
    return HttpResponse(_RENDERER.render(None, {"count": count, "items": items}, response_status=200),
                        content_type=_CONTENT_TYPE)


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
        self.plan = self._compile(model, schema, prefix="", nested=False)
        self.many: list[tuple] = []  # (field, through model, source key, item keys, columns, ordering)
        for name, info in schema.model_fields.items():
            annotation, _ = _optional(info.annotation)
            if get_origin(annotation) is list:
                self.many.append(self._compile_many(model, schema, name, get_args(annotation)[0]))

    def _check_field(self, schema, name, info) -> None:
        if getattr(schema, f"resolve_{name}", None) is not None:
            raise TypeError(f"{schema.__name__}.{name} has a resolver: PlainRows cannot read it.")
        if info.alias or info.validation_alias or info.serialization_alias:
            raise TypeError(f"{schema.__name__}.{name} has an alias: PlainRows cannot read it.")

    def _compile(self, model, schema, *, prefix: str, nested: bool) -> list:
        """[(key, column index) | (key, null-check column index, sub-plan) | (key, None)] for each field."""
        plan: list = []
        for name, info in schema.model_fields.items():
            self._check_field(schema, name, info)
            annotation, nullable = _optional(info.annotation)
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
            if len(entry) == 2:
                name, index = entry
                out[name] = row[index] if index is not None else []
            else:
                name, null_index, sub = entry
                out[name] = None if null_index is not None and row[null_index] is None else self._build(sub, row)
        return out

    def read(self, keys: list) -> list[dict]:
        """The rows of ``keys`` (primary keys), in that order; keys no longer found are left out."""
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
            return [found[key] for key in keys if key in found]


# Filtering -------------------------------------------------------------------------------------

_BOOLEAN_VALUES = {"true", "false", "True", "False"}


def filter_schema(filterset_class: type[django_filters.FilterSet]) -> type[Schema]:
    """The FilterSet's parameters as a query schema, so the OpenAPI document lists them.

    Values are taken as text; the FilterSet itself validates them (``apply_filters``), exactly
    as it does for the web UI's lists.
    """
    fields: dict[str, Any] = {}
    for name, flt in filterset_class.base_filters.items():
        label = str(flt.label or name)
        extra: dict[str, Any] = {}
        if isinstance(flt, django_filters.OrderingFilter):
            keys = [value for value, _label in flt.extra["choices"]]
            annotation: Any = str | None
            label += ": comma-separated, '-' for descending; one of " + ", ".join(keys)
        elif isinstance(flt, django_filters.MultipleChoiceFilter):
            annotation = list[str] | None
            values = [str(v) for v, _ in flt.extra.get("choices", [])]
            label += " (repeat for several): " + ", ".join(values)
        elif isinstance(flt, django_filters.BooleanFilter):
            annotation = str | None
            extra["json_schema_extra"] = {"enum": ["true", "false"]}
        else:
            annotation = str | None
        fields[name] = (annotation, Field(None, description=label, **extra))
    name = filterset_class.__name__.removesuffix("FilterSet") + "Filters"
    return create_model(name, __base__=Schema, **fields)


def apply_filters(filterset_class, request: HttpRequest, queryset: models.QuerySet) -> models.QuerySet:
    """Filter with the same FilterSet the UI uses; an invalid value → 422 naming the parameter."""
    problems: dict[str, list[str]] = {}
    for name, flt in filterset_class.base_filters.items():
        if isinstance(flt, django_filters.BooleanFilter):
            bad = [v for v in request.GET.getlist(name) if v and v not in _BOOLEAN_VALUES]
            if bad:
                problems[name] = [f"'{bad[0]}' is not a boolean: use true or false."]
    filterset = filterset_class(data=request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        for name, messages in filterset.errors.items():
            problems.setdefault(name, []).extend(str(m) for m in messages)
    if problems:
        raise DjangoValidationError(problems)
    return filterset.qs
