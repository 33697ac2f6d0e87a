"""Request-body schemas: unknown fields refused; PUT and PATCH variants with the version."""

import copy
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict, create_model


class InputSchema(Schema):
    """Base of request bodies: unknown fields are refused (a typo names itself), choices are plain values."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)


VERSION_FIELD = (int, Field(..., ge=1, description="The version your edit is based on (from the last read)."))


def put_schema(schema: type[Schema], name: str) -> type[Schema]:
    """The create schema plus the required ``version``: a full replacement (PUT)."""
    return create_model(name, __base__=schema, version=VERSION_FIELD)


def patch_schema(schema: type[Schema], name: str) -> type[Schema]:
    """Every field of ``schema`` optional (only the fields sent change), plus the required ``version``."""
    fields: dict[str, Any] = {"version": VERSION_FIELD}
    for field_name, info in schema.model_fields.items():
        optional = copy.copy(info)
        optional.default = None
        optional.default_factory = None
        fields[field_name] = (info.annotation | None, optional)
    return create_model(name, __base__=InputSchema, **fields)


def changed_fields(payload: Schema) -> dict:
    """The fields the client sent, without ``version``."""
    data = payload.model_dump(exclude_unset=True)
    data.pop("version", None)
    return data


def all_fields(payload: Schema) -> dict:
    data = payload.model_dump()
    data.pop("version", None)
    return data
