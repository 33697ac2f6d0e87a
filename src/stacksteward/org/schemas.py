"""API schemas for departments, people, tokens and the signed-in user."""

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import PlainValidator, WithJsonSchema

from stacksteward.core.api_support import InputSchema, patch_schema, put_schema

from .choices import DepartmentKindChoices, PersonArchetypeChoices

PERSON_REF = "A person's id (number) or email."


def _person_ref(value):
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("Give a person's id (a number) or email.")
    return value


# One validator (not a union) so an error names the field alone.
PersonRef = Annotated[
    int | str,
    PlainValidator(_person_ref),
    WithJsonSchema({"anyOf": [{"type": "integer"}, {"type": "string"}]}),
]

# Departments -----------------------------------------------------------------------------------


class DepartmentBrief(Schema):
    slug: str
    name: str


class DepartmentIn(InputSchema):
    name: str = Field(..., max_length=100)
    slug: str | None = Field(None, max_length=100, description="Made from the name when left out.")
    kind: DepartmentKindChoices = DepartmentKindChoices.OTHER
    description: str = ""


DepartmentPut = put_schema(DepartmentIn, "DepartmentPut")
DepartmentPatch = patch_schema(DepartmentIn, "DepartmentPatch")


class DepartmentOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    description: str
    version: int
    created_at: datetime
    updated_at: datetime


# People ----------------------------------------------------------------------------------------


class PersonBrief(Schema):
    id: int
    name: str
    email: str


class PersonIn(InputSchema):
    name: str = Field(..., max_length=150)
    email: str = Field("", max_length=254)
    department: str | None = Field(None, description="Department slug.")
    title: str = ""
    archetype: PersonArchetypeChoices = PersonArchetypeChoices.NONE
    manager: PersonRef | None = Field(None, description="Reports to: " + PERSON_REF)
    available: bool = True
    time_zone: str = Field("", max_length=64, description="The time zone dates and times are shown to the person "
                                                           "in (an IANA name such as Europe/Berlin); empty: the "
                                                           "company's.")


PersonPut = put_schema(PersonIn, "PersonPut")
PersonPatch = patch_schema(PersonIn, "PersonPatch")


class PersonOut(Schema):
    id: int
    name: str
    email: str
    department: DepartmentBrief | None
    title: str
    archetype: str
    manager: PersonBrief | None
    available: bool
    time_zone: str
    has_login: bool
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_has_login(obj) -> bool:
        return obj.user_id is not None


# Tokens and the signed-in user -----------------------------------------------------------------


class TokenIn(InputSchema):
    name: str = Field("", max_length=100, description="What the token is for, e.g. 'CI export'.")
    expires_at: datetime | None = Field(None, description="Leave out for a token that does not expire.")
    user: str | None = Field(None, description="Username to create the token for (admins only); default: you.")


class TokenOut(Schema):
    id: int
    name: str
    key_hint: str = Field(..., description="The key's first characters, to tell tokens apart.")
    user: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None
    is_active: bool

    @staticmethod
    def resolve_user(obj) -> str:
        return obj.user.get_username()


class TokenCreatedOut(TokenOut):
    key: str = Field(..., description="The secret key. Shown this once; only its hash is stored.")


class MeOut(Schema):
    username: str
    name: str
    email: str
    role: str | None = Field(..., description="viewer, editor or admin.")
    person: PersonBrief | None = Field(..., description="The person record linked to this login, if any.")
