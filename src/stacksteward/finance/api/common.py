"""What the finance API modules share: the errors of a workflow step, and the rows callers may name."""

from django.core.exceptions import ValidationError

from stacksteward.core.choices import AuditSourceChoices

API = AuditSourceChoices.API
ACTION_ERRORS = (401, 403, 404, 409, 422)  # a workflow step on one object, based on its version


def renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    """The service's error with its fields named as the API body names them."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({names.get(field, field): messages for field, messages in exc.message_dict.items()})
