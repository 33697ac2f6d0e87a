"""API schemas for the catalog: data categories, categories, vendors, components, relations, RACI,
catalog health and impact."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.conf import settings
from ninja import Field, Schema
from pydantic import BaseModel

from stacksteward.core.api_support import InputSchema, patch_schema, put_schema
from stacksteward.core.schemas import TagBrief
from stacksteward.org.schemas import PERSON_REF, DepartmentBrief, PersonBrief, PersonRef

from .choices import (
    ComponentHostingChoices,
    ComponentKindChoices,
    ComponentLifecycleChoices,
    RaciActivityChoices,
    RaciRoleChoices,
    RelationFrequencyChoices,
    RelationMechanismChoices,
    RelationTypeChoices,
    VendorStatusChoices,
)
from .policies import COMPONENTS

# Data categories -------------------------------------------------------------------------------


class DataCategoryBrief(Schema):
    key: str
    name: str


class DataCategoryOut(DataCategoryBrief):
    id: int
    is_personal: bool


# Categories ------------------------------------------------------------------------------------


class CategoryBrief(Schema):
    slug: str
    name: str


class CategoryIn(InputSchema):
    name: str = Field(..., max_length=100)
    slug: str | None = Field(None, max_length=100, description="Made from the name when left out.")
    parent: str | None = Field(None, description="Slug of the top-level group; leave out for a group.")
    description: str = ""


CategoryPut = put_schema(CategoryIn, "CategoryPut")
CategoryPatch = patch_schema(CategoryIn, "CategoryPatch")


class CategoryOut(Schema):
    id: int
    slug: str
    name: str
    parent: CategoryBrief | None
    description: str
    version: int
    created_at: datetime
    updated_at: datetime


# Vendors ---------------------------------------------------------------------------------------


class VendorBrief(Schema):
    slug: str
    name: str


class VendorIn(InputSchema):
    name: str = Field(..., max_length=150)
    slug: str | None = Field(None, max_length=150, description="Made from the name when left out.")
    website: str = ""
    status: VendorStatusChoices = VendorStatusChoices.ACTIVE
    notes: str = ""


VendorPut = put_schema(VendorIn, "VendorPut")
VendorPatch = patch_schema(VendorIn, "VendorPatch")


class VendorOut(Schema):
    id: int
    slug: str
    name: str
    website: str
    status: str
    notes: str
    version: int
    created_at: datetime
    updated_at: datetime


# Components ------------------------------------------------------------------------------------


class ComponentBrief(Schema):
    slug: str
    name: str


class ComponentIn(InputSchema):
    name: str = Field(..., max_length=150)
    slug: str | None = Field(None, max_length=150, description="Made from the name when left out.")
    kind: ComponentKindChoices = ComponentKindChoices.APPLICATION
    category: str | None = Field(None, description="Category slug.")
    vendor: str | None = Field(None, description="Vendor slug.")
    hosting: ComponentHostingChoices = ComponentHostingChoices.SAAS
    lifecycle: ComponentLifecycleChoices = ComponentLifecycleChoices.ACTIVE
    tier: int = Field(3, ge=1, le=4, description="Criticality: 1 business critical … 4 nice to have.")
    business_owner: PersonRef | None = Field(None, description=PERSON_REF)
    technical_owner: PersonRef | None = Field(None, description=PERSON_REF)
    description: str = ""
    url: str = ""
    tags: list[str] = Field(default_factory=list, description="Tag names; missing tags are created.")
    seats_purchased: int | None = Field(None, ge=0)
    seats_used: int | None = Field(None, ge=0, description="At most seats_purchased.")
    annual_cost: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    currency: str = Field(settings.STEWARD_CURRENCY, description="ISO 4217 code, e.g. USD, EUR.")
    renewal_date: date | None = None
    data_categories: list[str] = Field(default_factory=list, description="Data category keys, e.g. user.contact.")


ComponentPut = put_schema(ComponentIn, "ComponentPut")
ComponentPatch = patch_schema(ComponentIn, "ComponentPatch")


class ComponentOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    category: CategoryBrief | None
    vendor: VendorBrief | None
    hosting: str
    lifecycle: str
    tier: int
    business_owner: PersonBrief | None
    technical_owner: PersonBrief | None
    description: str
    url: str
    tags: list[TagBrief]
    seats_purchased: int | None
    seats_used: int | None
    values_hidden: bool = Field(..., description="The caller may not see this component's money (its owners, "
                                                 "admins and finance, procurement and legal people may).")
    annual_cost: Decimal | None = Field(..., description="Cost per year; null with values_hidden true for "
                                                         "callers who may not see it.")
    currency: str
    renewal_date: date | None
    data_categories: list[DataCategoryBrief]
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_values_hidden(obj, context) -> bool:
        return not COMPONENTS.shows(context["request"].auth, "money", obj)

    @staticmethod
    def resolve_annual_cost(obj, context) -> Decimal | None:
        return obj.annual_cost if COMPONENTS.shows(context["request"].auth, "money", obj) else None


# Relations -------------------------------------------------------------------------------------


class RelationIn(InputSchema):
    source: str = Field(..., description="Slug of the from-component.")
    target: str = Field(..., description="Slug of the to-component.")
    type: RelationTypeChoices = RelationTypeChoices.DATA_FLOW
    data_categories: list[str] = Field(default_factory=list, description="Keys of the data categories carried.")
    mechanism: Literal[("", *RelationMechanismChoices.values)] = Field("", description="Blank when unknown.")
    frequency: Literal[("", *RelationFrequencyChoices.values)] = Field("", description="Blank when unknown.")
    description: str = ""


RelationPut = put_schema(RelationIn, "RelationPut")
RelationPatch = patch_schema(RelationIn, "RelationPatch")


class RelationOut(Schema):
    id: int
    source: ComponentBrief
    target: ComponentBrief
    type: str
    data_categories: list[DataCategoryBrief]
    mechanism: str
    frequency: str
    description: str
    version: int
    created_at: datetime
    updated_at: datetime


# RACI ------------------------------------------------------------------------------------------


class RaciAssignmentIn(InputSchema):
    component: str = Field(..., description="Component slug.")
    activity: RaciActivityChoices
    role: RaciRoleChoices
    department: str | None = Field(None, description="Department slug (give a department or a person).")
    person: PersonRef | None = Field(None, description=PERSON_REF + " (give a department or a person).")


RaciAssignmentPut = put_schema(RaciAssignmentIn, "RaciAssignmentPut")
RaciAssignmentPatch = patch_schema(RaciAssignmentIn, "RaciAssignmentPatch")


class RaciAssignmentOut(Schema):
    id: int
    component: ComponentBrief
    activity: str
    role: str
    department: DepartmentBrief | None
    person: PersonBrief | None
    version: int
    created_at: datetime
    updated_at: datetime


# Health and impact -----------------------------------------------------------------------------


class FindingOut(Schema):
    kind: str
    severity: str = Field(..., description="high, medium or low.")
    title: str
    message: str
    object_type: str
    object_id: int
    object_slug: str
    url: str = Field(..., description="The object's page in the web UI.")


class CatalogHealthOut(Schema):
    count: int
    summary: dict[str, int] = Field(..., description="Findings per kind.")
    findings: list[FindingOut]


# Impact answers can hold thousands of rows; they are built as plain dicts and validated by plain
# pydantic models (ninja's Schema runs an ORM-aware validator on every nested object, ~25x slower).
class ImpactComponent(BaseModel):
    slug: str
    name: str
    tier: int
    lifecycle: ComponentLifecycleChoices


class ImpactRowOut(BaseModel):
    component: ImpactComponent
    depth: int = Field(..., description="Relations between the component and this one (1 = direct).")
    path: list[str] = Field(..., description="Slugs from the component to this one, both included.")
    relation_types: list[str] = Field(..., description="The type of each relation along the path.")


class ImpactOut(BaseModel):
    component: ImpactComponent
    downstream_count: int = Field(..., description="All components impacted, whatever the page.")
    upstream_count: int = Field(..., description="All components needed, whatever the page.")
    offset: int = Field(..., description="Rows skipped in each direction (nearest first).")
    downstream: list[ImpactRowOut] = Field(..., description="Impacted when the component changes or fails.")
    upstream: list[ImpactRowOut] = Field(..., description="What the component needs.")
