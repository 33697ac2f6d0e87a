"""A small but varied stack, a way to empty the catalog, and row counts to prove nothing was written."""

import datetime
from decimal import Decimal

import pytest

from stacksteward.catalog.models import Category, Component, DataCategory, RaciAssignment, Relation, Vendor
from stacksteward.core.models import AuditEntry, Tag
from stacksteward.intake.models import BacklogItem, Capability
from stacksteward.org.models import Department, Person

MODELS = (Department, Person, Vendor, Category, Component, Relation, RaciAssignment, Capability, BacklogItem, Tag,
          AuditEntry)
DEPENDENCIES = BacklogItem.depends_on.through


def row_counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in MODELS}
    counts["dependencies"] = DEPENDENCIES.objects.count()
    return counts


def wipe() -> None:
    """An empty catalog (the seeded taxonomy and data categories stay, as after ``migrate``)."""
    BacklogItem.objects.all().delete()
    Capability.objects.all().delete()
    RaciAssignment.objects.all().delete()
    Relation.objects.all().delete()
    Component.objects.all().delete()
    Tag.objects.all().delete()
    Person.objects.update(manager=None)
    Person.objects.all().delete()
    Department.objects.all().delete()
    Vendor.objects.all().delete()
    Category.objects.filter(slug__in=["marketing-ops", "in-house-tools"]).delete()
    AuditEntry.objects.all().delete()


@pytest.fixture
def stack(db):
    """Departments, people (one without email, one reporting to a later one), vendors, a custom
    category, components with every kind of field, relations, RACI, capabilities and backlog items
    (with dependencies, an override, a mixed-case key and formula-like text)."""
    marketing = Department.objects.create(name="Marketing", slug="marketing", kind="marketing",
                                          description="Brand, demand and lifecycle.")
    it = Department.objects.create(name="IT", slug="it", kind="it")
    zoe = Person.objects.create(name="Zoë Quinn", email="zoe@example.com", department=marketing,
                                title="CMO", archetype="maestro")
    ann = Person.objects.create(name="Ann Admin", email="ann@example.com", department=it, archetype="maker",
                                manager=zoe)
    Person.objects.create(name="Bob Nomail", department=marketing, archetype="marketer", available=False)
    hubspot = Vendor.objects.create(name="HubSpot", slug="hubspot", website="https://www.hubspot.com")
    Vendor.objects.create(name="Old Tools Inc.", slug="old-tools", status="defunct", notes="=HYPERLINK(\"x\")")
    group = Category.objects.get(slug="management")
    custom = Category.objects.create(name="Marketing Ops", slug="marketing-ops", parent=group,
                                     description="Our own grouping")
    Category.objects.create(name="In-house tools", slug="in-house-tools")
    crm = Component.objects.create(
        name="HubSpot CRM", slug="hubspot-crm", kind="application", category=Category.objects.get(slug="crm"),
        vendor=hubspot, hosting="saas", lifecycle="active", tier=1, business_owner=zoe, technical_owner=ann,
        description="Line one\nline two, with “quotes” and ümlauts", url="https://app.hubspot.com",
        seats_purchased=50, seats_used=42, annual_cost=Decimal("12000.50"), currency="EUR",
        renewal_date=datetime.date(2027, 3, 31),
    )
    crm.tags.set([Tag.objects.create(name="core", slug="core"), Tag.objects.create(name="Sales, Marketing",
                                                                                    slug="sales-marketing")])
    crm.data_categories.set(DataCategory.objects.filter(key__in=["user.contact", "user.name"]))
    warehouse = Component.objects.create(
        name="Warehouse", slug="warehouse", kind="database", category=custom, hosting="self_hosted",
        lifecycle="pilot", tier=2, business_owner=Person.objects.get(name="Bob Nomail"),
        description="-- starts like a formula", annual_cost=None,
    )
    site = Component.objects.create(name="Website", slug="website", kind="website", hosting="vendor_managed",
                                    description="@mention and +plus")
    flow = Relation.objects.create(source=crm, target=warehouse, type="data_flow", mechanism="api",
                                   frequency="daily", description="nightly sync")
    flow.data_categories.set(DataCategory.objects.filter(key="user.contact"))
    Relation.objects.create(source=site, target=crm, type="depends_on")
    RaciAssignment.objects.create(component=crm, activity="selection", role="A", department=marketing)
    RaciAssignment.objects.create(component=crm, activity="configuration", role="R", person=ann)
    RaciAssignment.objects.create(component=warehouse, activity="data_privacy", role="C",
                                  person=Person.objects.get(name="Bob Nomail"))
    Capability.objects.create(
        name="New landing page", slug="new-landing-page", department=it, lead_time_days=10, offering="full",
        description="A page on the website\nfrom the approved templates.", can_do="Templates, forms, tracking.",
        cannot_do="No custom JavaScript.")
    Capability.objects.create(name="Data export", slug="data-export", department=marketing, lead_time_days=5,
                              offering="partial", cannot_do="=No personal data to personal drives", active=False)
    fix = BacklogItem.objects.create(
        key="fix-utm", title="Fix UTM tracking on form redirects", kind="bug", effort_days=Decimal("2.5"), value=8,
        needed_by=datetime.date(2027, 1, 15), status="in_progress", assignee=ann, description="Lost after submit.")
    fix.components.set([crm, site])
    later = BacklogItem.objects.create(key="Later-Item", title="Shorter NPS mails", kind="customer_feedback",
                                       value=3, status="done", description="=SUM(A1) said a customer")
    dashboard = BacklogItem.objects.create(
        key="campaign-dashboard", title="Pipeline by campaign", kind="feature_idea", effort_days=Decimal("5"),
        assignee=Person.objects.get(name="Bob Nomail"), priority_override=Decimal("42.50"),
        override_reason="The CMO needs it for the board.")
    dashboard.components.set([warehouse])
    dashboard.depends_on.set([fix, later])
    return {"crm": crm, "warehouse": warehouse, "site": site, "zoe": zoe, "ann": ann, "fix": fix,
            "dashboard": dashboard}
