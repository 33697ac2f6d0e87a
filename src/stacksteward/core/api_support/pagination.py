"""Limit/offset pagination in a constant number of queries."""


from django.db import models
from django.http import HttpResponse
from ninja import Field, Schema
from pydantic import create_model

from stacksteward.core.perf import gc_paused

from .plainrows import _CONTENT_TYPE, _RENDERER, PlainRows

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


def paginate_plain(queryset: models.QuerySet, page: PageParams, rows: "PlainRows", actor=None) -> HttpResponse:
    """``paginate`` for a list whose rows ``PlainRows`` can read: the same body, written straight to JSON.

    Count and keys as ``paginate`` (same filters, permissions and order); the rows are then read by key
    as plain values (no model instances, no per-object validation by ninja's ORM-aware Schema, which
    cost most of a 100-row page); the field groups ``actor`` may not read (money) are null. The operation
    still declares ``page_schema(…Out)`` as its response,
    and tests check the body equals what that schema makes of the same objects.
    """
    count, keys = _page_keys(queryset, page)
    items = rows.read(keys, actor) if keys else []
    return HttpResponse(_RENDERER.render(None, {"count": count, "items": items}, response_status=200),
                        content_type=_CONTENT_TYPE)
