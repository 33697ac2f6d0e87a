"""A resource is declared once; its REST routes are built from the declaration.

A :class:`Resource` names the model, how it is looked up in URLs (slug, key or id), the rows a
caller reads (restricted by the model's policy), the FilterSet shared with the web UI's list, the
In/Put/Patch/Out schemas, the natural-key references in an input body and the services that
create, update and delete it. :func:`add_routes` turns it into the list, create, get, put, patch and
delete operations, with pagination, filters, the 409 on a stale version and the one error body —
the same operation names (``list_components``, ``get_component``…), paths and OpenAPI document as
handlers written by hand, so an app's ``api.py`` keeps only what is not CRUD (workflow steps,
computed answers such as impact)::

    COMPONENTS = Resource(
        Component, "components", out=ComponentOut, create_schema=ComponentIn,
        put_schema=ComponentPut, patch_schema=ComponentPatch, filterset=ComponentFilterSet,
        queryset=lambda actor: Component.objects.restrict(actor, "view").with_list_data(),
        refs={"category": Ref(Category), "vendor": Ref(Vendor), "business_owner": Ref.person(),
              "data_categories": Ref(DataCategory, key="key", many=True)},
        create=services.component_create, update=services.component_update,
        delete=services.component_delete,
    )
    add_routes(router, COMPONENTS)

Authorization is the services' (they ask the policy first); a handler asks the same policy once more before
reading the body's references, so a caller who may not write gets 403 rather than a 422 about a reference.
Handlers fetch through the restricted queryset, so a missing and a forbidden object answer the same 404.
"""

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from ninja import Query, Router, Status

from . import limits
from .api_support import (
    CREATE_ERRORS,
    DELETE_ERRORS,
    GET_BY_ID_ERRORS,
    GET_ERRORS,
    LIST_ERRORS,
    UPDATE_ERRORS,
    PageParams,
    PlainRows,
    Refs,
    all_fields,
    apply_filters,
    changed_fields,
    errors,
    fetch_or_404,
    filter_schema,
    page_schema,
    paginate,
    paginate_plain,
)
from .choices import AuditSourceChoices
from .policies import policy_for

API = AuditSourceChoices.API


@dataclass(frozen=True)
class Ref:
    """A natural-key reference in an input body: ``"vendor": "acme"`` → the Vendor the caller may see."""

    model: Any  # a model class, or "app_label.Model"
    key: str = "slug"
    many: bool = False
    by_person: bool = False  # a person by id (a number) or by email

    @classmethod
    def person(cls, model: Any = "org.Person") -> "Ref":
        return cls(model, key="pk", by_person=True)

    def resolve(self, refs: Refs, actor, name: str, value):
        model = self.model
        if isinstance(model, str):
            from django.apps import apps

            model = apps.get_model(model)
        rows = model.objects.restrict(actor, "view")
        if self.by_person:
            return refs.person(rows, name, value)
        if self.many:
            return refs.many(rows, name, value, key=self.key)
        return refs.one(rows, name, value, key=self.key)


@dataclass(frozen=True)
class Parent:
    """Rows listed and created under another resource's object — ``GET``/``POST /selections/{id}/candidates`` —
    while each row is read, changed and deleted at its own path (``/selection-candidates/{id}``)."""

    resource: "Resource"  # the parent's declaration (its rows, lookup and path)
    field: str  # the lookup from this model to the parent: "selection", "criterion__selection"
    path: str  # after the parent's key: "candidates"


_declared: list["Resource"] = []


def declared() -> list["Resource"]:
    """Every resource declared so far (each app's ``resources.py``, imported by its ``api.py``)."""
    return list(_declared)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@dataclass
class Resource:
    model: type[models.Model]
    path: str  # plural kebab-case: "components", "raci-assignments"
    out: type
    create_schema: type | None = None
    put_schema: type | None = None
    patch_schema: type | None = None
    lookup: str = "slug"  # a unique field, or "pk" (the URL then says {id})
    filterset: type | None = None
    queryset: Callable[[Any], models.QuerySet] | None = None  # the rows a caller reads (restricted)
    refs: dict[str, Ref] = field(default_factory=dict)
    prepare: Callable[[Any, dict], dict] | None = None  # extra shaping of the input (actor, data) → data
    create: Callable | None = None  # service(*, actor, data, source)
    update: Callable | None = None  # service(obj, *, actor, data, expected_version, source)
    delete: Callable | None = None  # service(obj, *, actor, expected_version, source)
    detail: bool = True  # offer GET /<path>/<key>
    pages: Any = None  # core.pages.Pages: the web UI's list, detail, form and delete pages
    plain_list: bool = True  # list rows read by PlainRows (the Out schema must be plain columns and briefs)
    singular: str = ""  # operation names: list_<plural>, get_<singular>…; default from the model's name
    docs: dict[str, str] = field(default_factory=dict)  # operation → description
    tags: list[str] | None = None
    skip: tuple[str, ...] = ()  # operations api.py writes by hand (their answer differs): "create", "patch"…
    error_names: dict[str, str] = field(default_factory=dict)  # a write's error fields as the body names them
    parent: Parent | None = None  # listed and created under the parent's object (list and create only there)

    def __post_init__(self):
        self.singular = self.singular or _snake(self.model.__name__)
        self.plural = self.path.replace("-", "_")
        self.list_rows = PlainRows(self.model, self.out) if self.plain_list else None
        for schema in (self.create_schema, self.put_schema, self.patch_schema):
            limits.limit_schema(schema, self.model)  # the model's text limits, shown in the OpenAPI document
        _declared.append(self)
        noun = self.model._meta.verbose_name
        self.docs.setdefault("put", f"Replace the {noun}; ``version`` must be the one you read (else 409).")
        self.docs.setdefault("patch", "Change only the fields sent; ``version`` must be the one you read (else 409).")
        self.docs.setdefault("delete", "Delete; (409) if ``?version=`` is stale.")

    def rows(self, actor) -> models.QuerySet:
        if self.queryset is not None:
            return self.queryset(actor)
        return self.model.objects.restrict(actor, "view")

    def fetch(self, actor, key):
        """The object the caller may see, or 404 (a missing and a forbidden object answer the same)."""
        return fetch_or_404(self.rows(actor), **{self.lookup: key})

    def input(self, actor, payload, *, partial: bool, obj=None) -> dict:
        """The body as model field values: references resolved (every unknown one named at once);
        a lookup slug left empty keeps the current one (or is made from the name); a field the caller may
        not read on ``obj`` (money), sent back as null as it was read, keeps its value."""
        data = changed_fields(payload) if partial else all_fields(payload)
        if obj is not None:
            for name in policy_for(self.model).hidden_fields(actor, obj):
                if name in data and data[name] is None:
                    data.pop(name)
        if self.lookup != "pk" and self.lookup in data and not data[self.lookup]:
            data.pop(self.lookup)
        refs = Refs()
        for name, ref in self.refs.items():
            if name in data:
                data[name] = ref.resolve(refs, actor, name, data[name])
        refs.check()
        return self.prepare(actor, data) if self.prepare else data

    def write(self, service, *args, **kwargs):
        """Call a write service; its errors name the fields as the API body does (``error_names``)."""
        if not self.error_names:
            return service(*args, **kwargs)
        try:
            return service(*args, **kwargs)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            raise ValidationError({self.error_names.get(name, name): messages
                                   for name, messages in exc.message_dict.items()}) from exc


def _operation(resource: Resource, verb: str, name: str, func: Callable, params: list[inspect.Parameter]):
    """Name, document and sign ``func`` as ninja expects (operation ids as hand-written handlers had)."""
    func.__name__ = func.__qualname__ = name
    func.__module__ = f"stacksteward.{resource.model._meta.app_label}.api"
    func.__doc__ = resource.docs.get(verb, func.__doc__)
    request = inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    func.__signature__ = inspect.Signature([request, *params])
    return func


def _key_param(resource: Resource) -> tuple[str, inspect.Parameter]:
    if resource.lookup == "pk":
        return "{id}", inspect.Parameter("id", inspect.Parameter.KEYWORD_ONLY, annotation=int)
    return f"{{{resource.lookup}}}", inspect.Parameter(resource.lookup, inspect.Parameter.KEYWORD_ONLY,
                                                       annotation=str)


def add_routes(router: Router, resource: Resource) -> None:
    """List, create, get, put, patch and delete for ``resource`` — each only where the declaration offers it."""
    path = f"/{resource.path}"
    key_path, key_param = _key_param(resource)
    item_path = f"{path}/{key_path}"
    key_name = key_param.name
    by_id = resource.lookup == "pk"
    kw = inspect.Parameter.KEYWORD_ONLY
    tags = {"tags": resource.tags} if resource.tags else {}

    nested = resource.parent
    list_errors, create_errors, collection = LIST_ERRORS, CREATE_ERRORS, path
    if nested is not None:  # list and create under the parent's object: 404 when it is not there
        parent_path, parent_param = _key_param(nested.resource)
        collection = f"/{nested.resource.path}/{parent_path}/{nested.path}"
        list_errors, create_errors = (401, 404, 422), (401, 403, 404, 422)

    def parent_of(request, kwargs) -> dict:
        if nested is None:
            return {}
        return {nested.field: nested.resource.fetch(request.auth, kwargs[parent_param.name])}

    # list
    params = [inspect.Parameter("page", kw, annotation=Query[PageParams])]
    if resource.filterset is not None:
        filters = filter_schema(resource.filterset)
        params.insert(0, inspect.Parameter("filters", kw, annotation=Query[filters]))
    if nested is not None:
        params.insert(0, parent_param)

    def list_rows(request, **kwargs):
        queryset = resource.rows(request.auth).filter(**parent_of(request, kwargs))
        if resource.filterset is not None:
            queryset = apply_filters(resource.filterset, request, queryset)
        if resource.list_rows is not None:
            return paginate_plain(queryset, kwargs["page"], resource.list_rows, request.auth)
        return paginate(queryset, kwargs["page"])

    if "list" not in resource.skip:
        router.get(collection, response={200: page_schema(resource.out), **errors(*list_errors)}, **tags)(
            _operation(resource, "list", f"list_{resource.plural}", list_rows, params))

    # create
    if resource.create is not None and "create" not in resource.skip:
        def create(request, payload, **kwargs):
            parent = parent_of(request, kwargs)
            policy_for(resource.model).require(request.auth, "add")  # 403 before reading references (422)
            obj = resource.write(resource.create, actor=request.auth, source=API,
                                 data={**resource.input(request.auth, payload, partial=False), **parent})
            return Status(201, resource.rows(request.auth).get(pk=obj.pk))

        create_params = [inspect.Parameter("payload", kw, annotation=resource.create_schema)]
        if nested is not None:
            create_params.insert(0, parent_param)
        router.post(collection, response={201: resource.out, **errors(*create_errors)}, **tags)(
            _operation(resource, "create", f"create_{resource.singular}", create, create_params))

    # get
    def get(request, **kwargs):
        return resource.fetch(request.auth, kwargs[key_name])

    if resource.detail and "get" not in resource.skip:
        router.get(item_path, response={200: resource.out, **errors(*(GET_BY_ID_ERRORS if by_id else GET_ERRORS))},
                   **tags)(_operation(resource, "get", f"get_{resource.singular}", get, [key_param]))

    # put and patch
    if resource.update is not None:
        def change(partial: bool):
            def handler(request, payload, **kwargs):
                obj = resource.fetch(request.auth, kwargs[key_name])
                policy_for(resource.model).require(request.auth, "change", obj)  # 403 before references (422)
                obj = resource.write(resource.update, obj, actor=request.auth, expected_version=payload.version,
                                     source=API, data=resource.input(request.auth, payload, partial=partial,
                                                                     obj=obj))
                return resource.rows(request.auth).get(pk=obj.pk)
            return handler

        for verb, method, partial, schema in (("put", router.put, False, resource.put_schema),
                                              ("patch", router.patch, True, resource.patch_schema)):
            if schema is None or verb in resource.skip:
                continue
            name = f"{'update' if verb == 'put' else 'patch'}_{resource.singular}"
            method(item_path, response={200: resource.out, **errors(*UPDATE_ERRORS)}, **tags)(
                _operation(resource, verb, name, change(partial),
                           [key_param, inspect.Parameter("payload", kw, annotation=schema)]))

    # delete
    if resource.delete is not None and "delete" not in resource.skip:
        def delete(request, **kwargs):
            obj = resource.fetch(request.auth, kwargs[key_name])
            resource.delete(obj, actor=request.auth, expected_version=kwargs.get("version"), source=API)
            return Status(204, None)

        router.delete(item_path, response={204: None, **errors(*DELETE_ERRORS)}, **tags)(
            _operation(resource, "delete", f"delete_{resource.singular}", delete,
                       [key_param, inspect.Parameter("version", kw, annotation=int | None, default=None)]))
