"""Filtering API lists with the FilterSets the web UI uses."""

from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import create_model

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
