"""Fetching an object the caller may see (or 404) and resolving natural keys in an input body."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404


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
