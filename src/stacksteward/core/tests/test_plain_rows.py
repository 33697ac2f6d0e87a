"""``PlainRows`` reads only what it can read exactly; anything else is refused when a list is defined.

That the rows it reads equal the validated schema is checked on the real lists in
``catalog/tests/test_plain_rows.py``.
"""

import pytest
from ninja import Field, Schema

from stacksteward.catalog.models import Component
from stacksteward.catalog.schemas import CategoryBrief, ComponentOut
from stacksteward.catalog.tests.factories import ComponentFactory
from stacksteward.core.api_support import PlainRows
from stacksteward.core.models import AuditEntry, Tag
from stacksteward.core.schemas import AuditEntryOut
from stacksteward.org.models import ApiToken, Person
from stacksteward.org.schemas import PersonOut, TokenOut


class NotAField(Schema):
    slug: str
    downstream_count: int


class RelationAsScalar(Schema):
    vendor: int


class ConvertedType(Schema):
    tier: str  # pydantic would refuse (or convert) an int column


class AliasedField(Schema):
    title: str = Field(..., alias="name")


class NestedList(Schema):
    category: CategoryBrief | None
    tags: list[str]


@pytest.mark.parametrize(("model", "schema"), [
    (Person, PersonOut),  # resolve_has_login
    (ApiToken, TokenOut),  # resolve_user
    (AuditEntry, AuditEntryOut),  # resolvers, dict fields
    (Component, NotAField),
    (Component, RelationAsScalar),
    (Component, AliasedField),
    (Component, ConvertedType),
    (Component, NestedList),
])
def test_plain_rows_refuses_schemas_it_cannot_read_exactly(model, schema):
    with pytest.raises(TypeError):
        PlainRows(model, schema)


@pytest.mark.django_db
def test_plain_rows_read_keeps_the_keys_order_and_skips_missing_keys():
    first, second = ComponentFactory(), ComponentFactory()
    second.tags.add(Tag.objects.create(name="crm", slug="crm"))
    rows = PlainRows(Component, ComponentOut).read([second.pk, 999_999, first.pk])
    assert [row["slug"] for row in rows] == [second.slug, first.slug]
    assert rows[0]["tags"] == [{"slug": "crm", "name": "crm"}]
    assert rows[1]["tags"] == []
