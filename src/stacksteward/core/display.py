"""Values as people read them on pages: dates and times in the viewer's time zone, labels instead of keys,
sentences instead of stored structures.

Audit snapshots keep what the model held as plain JSON (ISO date-times, choice values, the text of related
objects, whole JSON fields). ``readable(model, name, value)`` turns one such value back into what a page
shows, by the model field it came from:

* a date-time → ``2 Dec 2026, 11:24`` in the current (the viewer's) time zone; a date → ``2 Dec 2026``;
* a choice value → its label (``saas`` → ``SaaS``);
* the text of related objects whose model offers ``display_labels(texts)`` (data categories are frozen by
  their dotted key, ``user.contact``) → their names (``Contact details``);
* a JSON field → the model's reader for it (``audit_readers = {"field": "dotted.path.to.function"}``),
  else a generic reading: names of named items, ``Key: value`` pairs, never a ``{…}`` repr;
* ``True``/``False`` → Yes/No, empty → ``—``.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.module_loading import import_string

DATETIME_FORMAT = "j M Y, H:i"
DATE_FORMAT = "j M Y"
EMPTY = "—"
_ISO_DATETIME = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
MAX_ITEMS = 8


def _local(value, parse):
    """``value`` (a stored ISO string or a date/date-time) as an object in the current time zone, or None when a
    string does not parse."""
    if isinstance(value, str):
        value = parse(value)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value


def when(value) -> str:
    """An aware date-time in the current time zone, to the minute (``2 Dec 2026, 11:24``)."""
    if value is None:
        return EMPTY
    local = _local(value, parse_datetime)
    return formats.date_format(local, DATETIME_FORMAT) if local is not None else str(value)


def day(value) -> str:
    """A date (``2 Dec 2026``); a date-time's day in the current time zone."""
    if value is None:
        return EMPTY
    local = _local(value, parse_date)
    return formats.date_format(local, DATE_FORMAT) if local is not None else str(value)


def humanise(key: str) -> str:
    return str(key).replace("_", " ").capitalize()


def plain(value) -> str:
    """Any JSON value as a short text: never a Python repr."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, str):
        if _ISO_DATETIME.match(value):
            return when(value)
        if _ISO_DATE.match(value):
            return day(value)
        return value
    if isinstance(value, list | tuple):
        items = [_item(v) for v in value]
        shown = ", ".join(items[:MAX_ITEMS])
        return f"{shown} and {len(items) - MAX_ITEMS} more" if len(items) > MAX_ITEMS else shown
    if isinstance(value, dict):
        if "name" in value:
            return _item(value)
        return "; ".join(f"{humanise(k)}: {plain(v)}" for k, v in value.items())
    if isinstance(value, Decimal):
        return f"{value:,}"  # 48000.00 → 48,000.00
    return str(value)


def _item(value) -> str:
    if isinstance(value, dict):
        for key in ("name", "label", "title", "other_name"):
            if key in value:
                return str(value[key])
        return plain(value)
    return plain(value)


def field_of(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_label(model, name: str) -> str:
    """The field's verbose name, capitalised (``responded_at`` → ``Responded at``)."""
    field = field_of(model, name)
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name).capitalize()
    return humanise(name)


def readable(model, name: str, value, *, labels: dict | None = None) -> str:
    """One stored snapshot value of ``model.name`` as a page shows it (see the module's docstring).

    ``labels`` is a cache the caller keeps for one page (related models' ``display_labels``), so a table
    of entries asks each related model once.
    """
    if value is None or value == "" or value == []:
        return EMPTY
    field = field_of(model, name)
    if field is None:
        return plain(value)
    readers = getattr(model, "audit_readers", {})
    if name in readers:
        return import_string(readers[name])(value)
    if field.is_relation and field.related_model is not None:
        return _related(field.related_model, value, labels)
    if field.choices:
        found = {str(k): str(v) for k, v in field.flatchoices}
        if isinstance(value, list):
            return ", ".join(found.get(str(v), str(v)) for v in value)
        if str(value) in found:
            return found[str(value)]
    if isinstance(field, models.DateTimeField):
        return when(value)
    if isinstance(field, models.DateField):
        return day(value)
    if isinstance(field, models.DecimalField):
        try:
            return plain(Decimal(str(value)))
        except ArithmeticError:  # decimal.InvalidOperation: a value that is no number is shown as it is
            return plain(value)
    return plain(value)


def _related(related_model, value, labels: dict | None) -> str:
    reader = getattr(related_model, "display_labels", None)
    if reader is None:
        return plain(value)
    texts = value if isinstance(value, list) else [value]
    key = related_model._meta.label_lower
    if labels is None:
        labels = {}
    if key not in labels:
        labels[key] = reader()
    names = labels[key]
    return plain([names.get(str(t), str(t)) for t in texts])
