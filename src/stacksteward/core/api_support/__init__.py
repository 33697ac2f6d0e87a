"""What every API operation shares, one module per job: ``auth`` (token and session), ``errors`` (the
one error body, declared error statuses, handlers), ``refs`` (fetch-or-404, natural keys),
``inputs`` (body schemas, PUT/PATCH variants), ``pagination``, ``plainrows`` (list rows without
model instances) and ``filters`` (the UI's FilterSets as query parameters).

Handlers stay thin: parse input (schemas), fetch through a restricted queryset (``fetch_or_404``),
resolve natural keys (``Refs``), call a service (which asks the policy), return the object. Every
error any layer raises is turned into the same body::

    {"detail": "…", "errors": [{"field": "…", "message": "…"}]}

The names below are the package's public API.
"""

from .auth import AUTH, AUTH_REQUIRED, SessionAuth, TokenAuth, authenticated_user, require_api_user
from .errors import (
    CREATE_ERRORS,
    DELETE_ERRORS,
    GET_BY_ID_ERRORS,
    GET_ERRORS,
    LIST_ERRORS,
    UPDATE_ERRORS,
    ConflictOut,
    ErrorItem,
    ErrorOut,
    errors,
    field_from_loc,
    install_error_handlers,
)
from .filters import ConcealingOrderingFilter, apply_filters, filter_schema
from .inputs import VERSION_FIELD, InputSchema, all_fields, changed_fields, patch_schema, put_schema
from .pagination import DEFAULT_LIMIT, MAX_LIMIT, PageParams, page_schema, paginate, paginate_plain
from .plainrows import PlainRows
from .refs import Refs, fetch_or_404, is_id

__all__ = [
    "AUTH", "AUTH_REQUIRED", "CREATE_ERRORS", "DEFAULT_LIMIT", "DELETE_ERRORS", "GET_BY_ID_ERRORS", "GET_ERRORS",
    "LIST_ERRORS", "MAX_LIMIT", "UPDATE_ERRORS", "VERSION_FIELD", "ConcealingOrderingFilter",
    "ConflictOut", "ErrorItem", "ErrorOut",
    "InputSchema", "PageParams", "PlainRows", "Refs", "SessionAuth", "TokenAuth", "all_fields", "apply_filters",
    "authenticated_user", "changed_fields", "errors", "fetch_or_404", "field_from_loc", "filter_schema",
    "install_error_handlers", "is_id", "page_schema", "paginate", "paginate_plain", "patch_schema", "put_schema",
    "require_api_user",
]
