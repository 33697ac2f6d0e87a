"""Limits on what a text or date field accepts — declared once, applied to every write.

- **Text**: a short text field (``CharField``) takes at most its model ``max_length`` (names and titles
  100–200 characters); a long text (``TextField``: descriptions, notes, reasons) at most
  ``TEXT_MAX_LENGTH`` characters, so nobody can post megabytes.
- **Dates**: every date and date-time a person or a file gives lies within ``EARLIEST``..``LATEST``
  (2000-01-01 to 2100-12-31): no needed-by date in the year 9999, no change window in 1999, no
  renewal in the year 1. Timestamps the system sets itself (``auto_now``, non-editable fields) are
  not checked.
- **Codes** (text fields under ``SHORT_CODE`` characters, such as a currency) keep the model's own
  check, whose message says what the code must look like ("three letters").
- **Control characters**: no text field takes NUL or another C0 control character (U+0000–U+001F),
  which PostgreSQL refuses and a spreadsheet export cannot hold; a long text keeps tabs and line
  breaks, a one-line text (``CharField``) keeps tabs but no line breaks.

``problems(obj)`` is asked by the one write path (``core.services``: ``object_create``,
``object_update``, ``objects_bulk_create``), so the web UI, the API, the CLI and imports refuse
the same values with the same message naming the field and the limit. The API's input schemas
carry the text limits (``limit_schema``, applied to every declared resource) so the OpenAPI document
shows them, and service-backed forms carry them too (``limit_form_field``: ``maxlength``,
``min``/``max`` on date inputs).
"""

import datetime
import types
import typing

import annotated_types
import pydantic
from django import forms
from django.core import validators
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models

TEXT_MAX_LENGTH = 20_000  # characters of one long text (description, notes…)
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)
SHORT_CODE = 10  # text fields shorter than this are codes (a currency): the model's own check says what they must be


_ALLOWED_IN_LONG_TEXT = "\t\n\r"
_ALLOWED_IN_ONE_LINE = "\t"
# the same rule as a pattern of an API input schema (shown in the OpenAPI document)
ONE_LINE_PATTERN = r"^[^\x00-\x08\x0a-\x1f]*$"
LONG_TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"


def control_character(value: str, one_line: bool) -> str | None:
    """The first control character ``value`` may not hold, or None: NUL and the other C0 controls
    anywhere; line breaks too when ``one_line``."""
    allowed = _ALLOWED_IN_ONE_LINE if one_line else _ALLOWED_IN_LONG_TEXT
    return next((c for c in value if c < " " and c not in allowed), None)


def _control_message(char: str) -> str:
    if char in "\n\r":
        return f"a line break (U+{ord(char):04X}); keep it on one line."
    return f"a control character (U+{ord(char):04X}); remove it."


def has_control(label: str, char: str) -> str:
    """``Name contains a control character (U+0000); remove it.``"""
    return f"{label} contains {_control_message(char)}"


def _day(value: datetime.date) -> str:
    return f"{value.day} {value:%B} {value.year}"


def text_limit(field: models.Field) -> int | None:
    """The most characters ``field`` takes, or None when it is no text field."""
    if isinstance(field, models.TextField):
        return field.max_length or TEXT_MAX_LENGTH
    if isinstance(field, models.CharField):
        return field.max_length
    return None


def _at_most(limit: int, length: int | None) -> str:
    return f"at most {limit:,} characters" + (f" (it has {length:,})" if length is not None else "") + "."


def _between(day: datetime.date) -> str:
    return f"between {_day(EARLIEST)} and {_day(LATEST)}; {_day(day)} is outside that range."


def too_long(label: str, limit: int, length: int | None = None) -> str:
    """``Name is too long: at most 200 characters (it has 250).``"""
    return f"{label} is too long: {_at_most(limit, length)}"


def out_of_range(label: str, day: datetime.date) -> str:
    """``Needed by must be between 1 January 2000 and 31 December 2100; 31 December 9999 is outside that range.``"""
    return f"{label} must be {_between(day)}"


def _label(field: models.Field) -> str:
    return str(field.verbose_name)[:1].upper() + str(field.verbose_name)[1:]


def _checks_dates(field: models.Field) -> bool:
    return isinstance(field, models.DateField) and field.editable and not (
        getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


def field_problem(field: models.Field, value) -> str | None:
    """Why ``value`` breaks ``field``'s limit, or None."""
    if value is None or value == "":
        return None
    limit = text_limit(field)
    if limit is not None and isinstance(value, str):
        char = control_character(value, one_line=not isinstance(field, models.TextField))
        if char is not None:
            return has_control(_label(field), char)
    if limit is not None and limit >= SHORT_CODE and isinstance(value, str) and len(value) > limit:
        return too_long(_label(field), limit, len(value))
    if _checks_dates(field) and isinstance(value, datetime.date):
        day = value.date() if isinstance(value, datetime.datetime) else value
        if not EARLIEST <= day <= LATEST:
            return out_of_range(_label(field), day)
    return None


def problems(obj: models.Model, exclude=()) -> dict[str, list[str]]:
    """{field name: [message]} for every text or date field of ``obj`` outside its limit."""
    found = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude:
            continue
        message = field_problem(field, getattr(obj, field.attname, None))
        if message:
            found[field.name] = [message]
    return found


def check(obj: models.Model, exclude=()) -> None:
    """Raise a ValidationError naming every field of ``obj`` outside its limit."""
    found = problems(obj, exclude)
    if found:
        raise ValidationError(found)


# Forms ------------------------------------------------------------------------------------------


class _LengthValidator(validators.MaxLengthValidator):
    """The services' message; a form shows it next to the field's label, so it starts with "Too long"."""

    def __call__(self, value):
        if len(value) > self.limit_value:
            raise ValidationError(f"Too long: {_at_most(self.limit_value, len(value))}", code="max_length")


class _ControlCharacterValidator:
    """The services' control-character rule, worded for a message next to the field's label."""

    def __init__(self, one_line: bool):
        self.one_line = one_line

    def __call__(self, value):
        char = control_character(value, self.one_line) if isinstance(value, str) else None
        if char is not None:
            raise ValidationError(f"Contains {_control_message(char)}", code="control_character")

    def __eq__(self, other):
        return isinstance(other, _ControlCharacterValidator) and other.one_line == self.one_line


def _validate_date(value):
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(f"Must be {_between(day)}", code="date_range")


def limit_form_field(model_field: models.Field, form_field: forms.Field | None):
    """A form field for ``model_field`` that refuses what the services refuse, with the same message."""
    if form_field is None:
        return None
    limit = text_limit(model_field)
    if limit is not None and isinstance(form_field, forms.CharField):
        # Django's own NUL check says "Null characters are not allowed."; this one names the character
        form_field.validators = [v for v in form_field.validators
                                 if not isinstance(v, validators.ProhibitNullCharactersValidator)]
        form_field.validators.append(_ControlCharacterValidator(not isinstance(model_field, models.TextField)))
    if (limit is not None and limit >= SHORT_CODE and isinstance(form_field, forms.CharField)
            and not getattr(model_field, "choices", None)):
        form_field.max_length = limit
        form_field.validators = [v for v in form_field.validators
                                 if not isinstance(v, validators.MaxLengthValidator)]
        form_field.validators.append(_LengthValidator(limit))
        form_field.widget.attrs["maxlength"] = str(limit)
    elif _checks_dates(model_field) and isinstance(form_field, forms.DateField | forms.DateTimeField):
        form_field.validators.append(_validate_date)
        if isinstance(form_field, forms.DateField):
            form_field.widget.attrs.setdefault("min", EARLIEST.isoformat())
            form_field.widget.attrs.setdefault("max", LATEST.isoformat())
    return form_field


# API schemas ------------------------------------------------------------------------------------


def _is_text(annotation) -> bool:
    if annotation is str:
        return True
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return set(typing.get_args(annotation)) == {str, type(None)}
    return False


def limit_schema(schema, model: type[models.Model]) -> None:
    """Give each text field of an input schema that is a text field of ``model`` the model's limit
    (``maxLength`` in the OpenAPI document) and the control-character rule (``pattern``); the request
    answers 422 naming the field. In place."""
    if schema is None:
        return
    changed = False
    for name, info in schema.model_fields.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # not a model field (a computed input)
            continue
        limit = text_limit(field) if getattr(field, "concrete", False) else None
        if limit is None or not _is_text(info.annotation):
            continue
        if not any(getattr(m, "pattern", None) for m in info.metadata):  # no control characters
            pattern = ONE_LINE_PATTERN if not isinstance(field, models.TextField) else LONG_TEXT_PATTERN
            info.metadata.append(pydantic.StringConstraints(pattern=pattern))
            changed = True
        if limit < SHORT_CODE or getattr(field, "choices", None):
            continue  # a code (currency) keeps the model's message that says what it must look like
        current = [m for m in info.metadata if isinstance(m, annotated_types.MaxLen)]
        if current and all(m.max_length <= limit for m in current):
            continue
        info.metadata[:] = [m for m in info.metadata if not isinstance(m, annotated_types.MaxLen)]
        info.metadata.append(annotated_types.MaxLen(limit))
        changed = True
    if changed:
        schema.model_rebuild(force=True)
