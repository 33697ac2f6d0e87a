"""Filtering API lists with the FilterSets the web UI uses."""

from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import create_model

_BOOLEAN_VALUES = {"true", "false", "True", "False"}


class ConcealingOrderingFilter(django_filters.OrderingFilter):
    """Sorting that reveals no hidden value: a field of a group the caller may not read on every row (money,
    ``Policy.shows_q``) sorts as if empty on the rows it may not read — the order says nothing about them."""

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        from stacksteward.core.policies import policy_for

        request = self.parent.request
        actor = (getattr(request, "auth", None) or getattr(request, "user", None)) if request is not None else None
        policy = policy_for(qs.model)
        ordering = []
        for param in value:
            if param in django_filters.constants.EMPTY_VALUES:
                continue
            key = self.get_ordering_value(param)
            descending, name = key.startswith("-"), key.lstrip("-")
            group = next((g for g, spec in policy.fields.items() if name in spec.fields), None)
            shown = True if group is None else (False if actor is None else policy.shows_q(actor, group))
            if shown is False:
                continue  # empty on every row: sorting by it orders nothing (PostgreSQL refuses ORDER BY NULL)
            if shown is not True:
                alias = f"shown_{name}"
                qs = qs.alias(**{alias: models.Case(models.When(shown, then=models.F(name)),
                                                    default=models.Value(None),
                                                    output_field=qs.model._meta.get_field(name))})
                name = alias
            # Empty values last in both directions on every database (PostgreSQL puts NULL first when descending).
            ordering.append(models.F(name).desc(nulls_last=True) if descending else models.F(name).asc(nulls_last=True))
        return qs.order_by(*ordering, "pk")  # ties in a stable order, so pages never repeat or skip a row


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
