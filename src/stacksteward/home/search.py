"""The site-wide search: every kind of record by its key and its words, through each model's policy.

Each kind is declared once (``KINDS``): the model, how its key is written (``R-5``, ``C-3``, ``B-4``), the
fields its words are looked for in, and the line shown under a hit. Every kind reads its rows through the
model's policy (``policy_for(model).rows(actor, "view", …)``, what ``restrict()`` does), so nobody finds
what they may not see; money fields are neither searched nor shown, so a search never reveals a figure
(a contract is found by its reference, vendor and components, never by its value).

One query per kind, whatever the number of hits (``find`` answers at most ``limit`` hits per kind).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.formats import date_format

from stacksteward.catalog.models import Category, Component, Vendor
from stacksteward.catalog.taxonomy import category_matches
from stacksteward.changes.models import ChangeRequest
from stacksteward.core.policies import policy_for
from stacksteward.finance.models import Contract, Kpi
from stacksteward.intake.models import BacklogItem, Request
from stacksteward.org.models import Department, Person

LIMIT = 20


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    detail: str


@dataclass(frozen=True)
class Kind:
    """One kind of record the search finds."""

    title: str  # the heading of its results ("Requests")
    model: type
    words: tuple[str, ...]  # fields searched for the text (icontains)
    detail: Callable[[object], str]  # the line under a hit: plain words, no money
    prefix: str = ""  # the key's letter: "R" finds R-5 by id
    exact: tuple[str, ...] = ()  # fields matched whole (a key, a slug)
    related: tuple[str, ...] = ()  # select_related for the detail line
    order: tuple[str, ...] = ()
    also: Callable[[str], Q | None] | None = None  # more matches (components by category or synonym)


def _day(value) -> str:
    return date_format(value, "j M Y") if value else ""


def _join(*parts) -> str:
    return " · ".join(str(p) for p in parts if p)


def _categories_q(text: str, prefix: str = "") -> Q | None:
    """Rows whose category (or its group) matches ``text`` by name, initials or synonym (one query)."""
    ids = [pk for pk, name in Category.objects.values_list("pk", "name") if category_matches(text, name)]
    if not ids:
        return None
    return Q(**{f"{prefix}category_id__in": ids}) | Q(**{f"{prefix}category__parent_id__in": ids})


def _category_self_q(text: str) -> Q | None:
    ids = [pk for pk, name in Category.objects.values_list("pk", "name") if category_matches(text, name)]
    return Q(pk__in=ids) if ids else None


KINDS: tuple[Kind, ...] = (
    Kind("Requests", Request, ("title", "objective", "why"), prefix="R",
         detail=lambda r: _join(r.get_status_display(), f"requested by {r.requester.name}",
                                f"needed by {_day(r.needed_by)}"),
         related=("requester",), order=("-id",)),
    Kind("Changes", ChangeRequest, ("title", "description"), prefix="C",
         detail=lambda c: _join(c.get_status_display(), f"{c.get_type_display()} change",
                                f"window from {_day(c.window_start)}"),
         order=("-id",)),
    Kind("Backlog items", BacklogItem, ("title", "description"), prefix="B", exact=("key",),
         detail=lambda b: _join(b.get_status_display(), b.get_kind_display(),
                                f"from R-{b.request_id}" if b.request_id else ""),
         order=("-id",)),
    Kind("Components", Component, ("name", "slug", "description", "vendor__name"), exact=("tags__name",),
         detail=lambda c: _join(c.category, c.vendor, c.get_lifecycle_display()),
         related=("category", "vendor"), order=("name",), also=_categories_q),
    Kind("Contracts", Contract, ("reference", "key", "vendor__name", "components__name"),
         detail=lambda c: _join(f"term ends {_day(c.end_date)}", f"notice by {_day(c.notice_deadline)}"),
         related=("vendor",), order=("notice_deadline", "id")),
    Kind("Vendors", Vendor, ("name", "slug"), detail=lambda v: _join(v.get_status_display()), order=("name",)),
    Kind("KPIs", Kpi, ("name", "definition"), detail=lambda k: _join(k.unit, k.get_frequency_display()),
         order=("name",)),
    Kind("Categories", Category, ("name",), detail=lambda c: _join(f"in {c.parent}" if c.parent_id else "group"),
         related=("parent",), order=("name",), also=_category_self_q),
    Kind("People", Person, ("name", "email", "title"), detail=lambda p: _join(p.title, p.department),
         related=("department",), order=("name",)),
    Kind("Departments", Department, ("name",), detail=lambda d: _join(d.get_kind_display()), order=("name",)),
)

_KEY = re.compile(r"^\s*([A-Za-z])\s*-?\s*(\d+)\s*$")


def _match(kind: Kind, text: str) -> Q | None:
    key = _KEY.match(text)
    if kind.prefix and key and key.group(1).upper() == kind.prefix:
        return Q(pk=int(key.group(2)))
    found = Q()
    for name in kind.words:
        found |= Q(**{f"{name}__icontains": text})
    for name in kind.exact:
        found |= Q(**{f"{name}__iexact": text})
    if kind.also:
        more = kind.also(text)
        if more is not None:
            found |= more
    return found


def find(actor, text: str, *, limit: int = LIMIT) -> list[tuple[str, list[Hit]]]:
    """[(kind's title, hits)] for every kind, in ``KINDS`` order; up to ``limit`` hits per kind."""
    text = " ".join((text or "").split())
    if not text:
        return []
    sections = []
    for kind in KINDS:
        rows = policy_for(kind.model).rows(actor, "view", kind.model.objects.all())
        rows = rows.filter(_match(kind, text))
        if any("__" in name for name in (*kind.words, *kind.exact)):
            # A many-to-many (components, tags) may match a row more than once: each row once, by id.
            rows = kind.model.objects.filter(pk__in=rows.values("pk"))
        rows = rows.select_related(*kind.related).order_by(*kind.order)[:limit]
        sections.append((kind.title, [Hit(str(obj), obj.get_absolute_url(), kind.detail(obj)) for obj in rows]))
    return sections
