"""The one error body, the error statuses operations declare, and the handlers that give every error that body."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from .. import limits
from ..exceptions import ConflictError
from ..services import validation_messages
from .auth import AUTH_REQUIRED


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


def _is_control_error(error: dict) -> bool:
    return error.get("type") == "string_pattern_mismatch" and error.get("ctx", {}).get("pattern") in (
        limits.ONE_LINE_PATTERN, limits.LONG_TEXT_PATTERN)


def control_character_of(error: dict) -> str | None:
    """The control character a text field's pattern refused in a pydantic error (which has the input)."""
    value = error.get("input")
    if not _is_control_error(error) or not isinstance(value, str):
        return None
    return limits.control_character(value, error["ctx"]["pattern"] == limits.ONE_LINE_PATTERN)


def _message(error: dict) -> str:
    """A request-validation error for people; a text over its limit is worded as the services word it."""
    field = field_from_loc(error.get("loc", ())).rsplit(".", 1)[-1].replace("_", " ")
    label = field[:1].upper() + field[1:]
    if error.get("type") == "string_too_long" and "max_length" in error.get("ctx", {}):
        return limits.too_long(label, error["ctx"]["max_length"])
    if _is_control_error(error):
        char = error["ctx"].get("character")
        return limits.has_control(label, char) if char else f"{label} contains a control character; remove it."
    return error.get("msg", "Invalid value.")


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
        items = [{"field": field_from_loc(e.get("loc", ())), "message": _message(e)} for e in exc.errors]
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
