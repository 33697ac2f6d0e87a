"""A small but varied stack, a way to empty the catalog, and row counts to prove nothing was written."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest

from stacksteward.catalog.models import Category, Component, DataCategory, RaciAssignment, Relation, Vendor
from stacksteward.changes.models import CalendarEvent
from stacksteward.core.models import AuditEntry, Tag
from stacksteward.finance.models import (
    Budget,
    Contract,
    ContractDocument,
    CostEntry,
    Criterion,
    Kpi,
    Measurement,
    Objective,
    RenewalDecision,
    Score,
    Selection,
    SelectionCandidate,
    SuccessFactor,
    ValueScore,
)
from stacksteward.intake.models import BacklogItem, Capability
from stacksteward.org.models import Department, Person

MODELS = (Department, Person, Vendor, Category, Component, Relation, RaciAssignment, Capability, BacklogItem,
          CalendarEvent, Contract, Objective, SuccessFactor, Kpi, Measurement, Budget, CostEntry, Selection,
          SelectionCandidate, Criterion, Score, RenewalDecision, ContractDocument, ValueScore, Tag, AuditEntry)
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
DEPENDENCIES = BacklogItem.depends_on.through


def row_counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in MODELS}
    counts["dependencies"] = DEPENDENCIES.objects.count()
    counts["event components"] = CalendarEvent.components.through.objects.count()
    counts["contract components"] = Contract.components.through.objects.count()
    counts["KPI components"] = Kpi.components.through.objects.count()
    return counts


def wipe() -> None:
    """An empty catalog (the seeded taxonomy and data categories stay, as after ``migrate``)."""
    ValueScore.objects.all().delete()
    Selection.objects.update(chosen=None)
    Score.objects.all().delete()
    Selection.objects.all().delete()
    Measurement.objects.all().delete()
    Kpi.objects.all().delete()
    Objective.objects.all().delete()
    Budget.objects.all().delete()
    CostEntry.objects.all().delete()
    Contract.objects.update(previous=None)
    Contract.objects.all().delete()
    CalendarEvent.objects.all().delete()
    BacklogItem.objects.all().delete()
    Capability.objects.all().delete()
    RaciAssignment.objects.all().delete()
    Relation.objects.all().delete()
    Component.objects.all().delete()
    Tag.objects.all().delete()
    importers = Person.objects.filter(user__isnull=False)  # the people signed in to import (``editor``) stay
    Person.objects.update(manager=None)
    Person.objects.exclude(pk__in=importers).delete()
    Department.objects.exclude(people__in=importers).delete()
    Vendor.objects.all().delete()
    Category.objects.filter(slug__in=["marketing-ops", "in-house-tools"]).delete()
    AuditEntry.objects.all().delete()


@pytest.fixture
def editor(db):
    """The editor who imports the stack here works in a money office: the stack carries components' costs per
    year, which only people who see all money import (``plain_editor`` does not see it)."""
    from stacksteward.core.roles import set_role
    from stacksteward.org.tests.factories import UserFactory

    user = UserFactory(username="editor", first_name="Editor")
    set_role(user, "editor")
    office = Department.objects.create(name="Money office", slug="money-office", kind="finance")
    Person.objects.create(name="Eda Importer", email="eda.importer@example.com", department=office, user=user)
    return user


@pytest.fixture
def plain_editor(db):
    """An editor outside the departments that see all money, owning nothing."""
    from stacksteward.core.roles import set_role
    from stacksteward.org.tests.factories import UserFactory

    user = UserFactory(username="plain-editor", first_name="Plain")
    set_role(user, "editor")
    return user


@pytest.fixture
def stack(db):
    """Departments, people (one without email, one reporting to a later one), vendors, a custom
    category, components with every kind of field, relations, RACI, capabilities and backlog items
    (with dependencies, an override, a mixed-case key and formula-like text), and calendar events (a freeze
    on every component, a launch relying on two components, a webinar starting at midnight in Berlin)."""
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
    CalendarEvent.objects.create(
        name="Q1 close freeze", slug="q1-freeze", kind="freeze", all_components=True,
        start=datetime.datetime(2027, 3, 25, 18, 0, tzinfo=BERLIN),
        end=datetime.datetime(2027, 4, 2, 8, 0, tzinfo=BERLIN),
        description="No changes while Finance closes the quarter.")
    launch = CalendarEvent.objects.create(
        name="Spring campaign launch", slug="spring-launch", kind="campaign_launch",
        start=datetime.datetime(2027, 4, 12, 7, 30, tzinfo=datetime.UTC),
        end=datetime.datetime(2027, 4, 19, 17, 0, tzinfo=datetime.UTC), description="=Launch day\nall hands")
    launch.components.set([crm, site])
    webinar = CalendarEvent.objects.create(
        name="Webinar: sensors 101", slug="webinar-sensors", kind="webinar",
        start=datetime.datetime(2027, 5, 4, 0, 0, tzinfo=BERLIN),
        end=datetime.datetime(2027, 5, 4, 1, 0, tzinfo=BERLIN))
    webinar.components.set([site])
    return {"crm": crm, "warehouse": warehouse, "site": site, "zoe": zoe, "ann": ann, "fix": fix,
            "dashboard": dashboard, "launch": launch}


@pytest.fixture
def finance(stack):
    """The stack with its money: contracts (a renewed term and the term continuing it, a cancelled one without
    components), objectives (with and without success factors), KPIs (a money KPI serving an objective),
    measurements (one negative), budgets (for a component and for a category) and cost entries (an amount,
    internal hours). Importing it needs the right to see all money: use ``admin_user`` (plain editors may not)."""
    crm, warehouse, zoe, ann = stack["crm"], stack["warehouse"], stack["zoe"], stack["ann"]
    hubspot = crm.vendor
    custom = Category.objects.get(slug="marketing-ops")
    bob = Person.objects.get(name="Bob Nomail")
    first = Contract.objects.create(
        key="hubspot-2026", vendor=hubspot, reference="HS-2026-001", start_date=datetime.date(2026, 4, 1),
        end_date=datetime.date(2027, 3, 31), renewal_type="auto", renewal_term_months=12, notice_period_days=60,
        annual_value=Decimal("12000.50"), currency="EUR", billing_frequency="annually", seats=50,
        payment_terms="30 days net", dpa_signed=True, security_review_done=True, procurement_owner=bob,
        legal_reviewer=ann, business_owner=zoe, status="renewed", notes="=First term\nsigned on paper")
    first.components.set([crm])
    second = Contract.objects.create(
        key="hubspot-2027", vendor=hubspot, reference="HS-2026-001", start_date=datetime.date(2027, 4, 1),
        end_date=datetime.date(2028, 3, 31), notice_period_days=60, annual_value=Decimal("11000"), currency="EUR",
        seats=40, business_owner=zoe, status="active", previous=first,
        allocation_shares={"hubspot-crm": "70.00", "warehouse": "30.00"})
    second.components.set([crm, warehouse])
    Contract.objects.create(
        key="legacy-mailer", vendor=Vendor.objects.get(slug="old-tools"), reference="OT/17",
        start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2025, 12, 31), renewal_type="manual",
        renewal_term_months=1, notice_period_days=0, annual_value=Decimal("0"), currency="USD",
        billing_frequency="monthly", status="cancelled", notice_sent_on=datetime.date(2025, 11, 2))
    grow = Objective.objects.create(name="Grow pipeline 20 % in 2027", owner=zoe, description="Marketing-sourced.",
                                    period_start=datetime.date(2027, 1, 1), period_end=datetime.date(2027, 12, 31))
    SuccessFactor.objects.create(objective=grow, name="Clean CRM data")
    SuccessFactor.objects.create(objective=grow, name="Campaign attribution")
    Objective.objects.create(name="cut tool costs", period_start=datetime.date(2027, 1, 1),
                             period_end=datetime.date(2027, 6, 30))
    pipeline = Kpi.objects.create(
        slug="pipeline", name="Marketing-sourced pipeline", definition="Opportunities from marketing, in EUR.",
        unit="EUR", value_kind="money", currency="EUR", direction="higher", target=Decimal("250000"),
        frequency="monthly", objective=grow, attribution="shares",
        attribution_shares={"hubspot-crm": "60.00", "warehouse": "40.00"})
    pipeline.components.set([crm, warehouse])
    cpl = Kpi.objects.create(slug="cost-per-lead", name="Cost per lead", definition="Spend ÷ leads.", unit="EUR",
                             value_kind="other", direction="lower", frequency="quarterly")
    Measurement.objects.create(kpi=pipeline, period_start=datetime.date(2027, 1, 1), value=Decimal("210000.50"),
                               note="from the CRM", source="ui")
    Measurement.objects.create(kpi=pipeline, period_start=datetime.date(2027, 2, 1), value=Decimal("198000"),
                               source="api")
    Measurement.objects.create(kpi=cpl, period_start=datetime.date(2027, 1, 1), value=Decimal("-1.25"),
                               note="=credit note")
    Budget.objects.create(year=2027, component=crm, amount=Decimal("15000"), currency="EUR", notes="Licences")
    Budget.objects.create(year=2027, category=custom, amount=Decimal("5000"), currency="USD")
    CostEntry.objects.create(component=crm, year=2027, kind="services", amount=Decimal("4000"), currency="EUR",
                             description="Agency set-up")
    CostEntry.objects.create(component=crm, year=2027, kind="internal", hours=Decimal("40.5"), currency="EUR",
                             description="Admin time")
    CostEntry.objects.create(component=warehouse, year=2026, kind="other", amount=Decimal("100"), currency="USD")
    return {**stack, "contract": second, "first_term": first, "pipeline": pipeline, "objective": grow}


@pytest.fixture
def finance_records(finance):
    """The money plus the records around it: a decided selection (two candidates, criteria of two departments,
    scores by named reviewers, dissent, decided at a Berlin time) and an open one with nothing in it yet, the
    renewal decision of the first HubSpot term (whose next term is already a contract), a cancellation, contract
    documents and value scores (two scorers, two years)."""
    crm, zoe, ann = finance["crm"], finance["zoe"], finance["ann"]
    bob = Person.objects.get(name="Bob Nomail")
    marketing, it = Department.objects.get(slug="marketing"), Department.objects.get(slug="it")
    webinars = Selection.objects.create(
        key="webinar-platform", title="Webinar platform", need="Webinars with CRM sync.\nSecond line.",
        replaces=finance["site"], status="open")
    hubspot_candidate = SelectionCandidate.objects.create(selection=webinars, name="HubSpot Events",
                                                          vendor=crm.vendor, notes="=Already licensed")
    other = SelectionCandidate.objects.create(selection=webinars, name="ON24")
    fit = Criterion.objects.create(selection=webinars, department=marketing, name="Fit to the objective",
                                   weight=Decimal("3"), description="Pipeline from webinars.")
    security = Criterion.objects.create(selection=webinars, department=it, name="Security", weight=Decimal("1.5"))
    Score.objects.create(criterion=fit, candidate=hubspot_candidate, reviewer=zoe, score=4, comment="Good enough.")
    Score.objects.create(criterion=fit, candidate=other, reviewer=zoe, score=5)
    Score.objects.create(criterion=security, candidate=hubspot_candidate, reviewer=ann, score=0,
                         comment="=No SSO")
    Score.objects.create(criterion=security, candidate=other, reviewer=ann, score=3)
    webinars.status, webinars.chosen = "decided", hubspot_candidate
    webinars.decision_reasons, webinars.dissent = "Cheapest with the CRM sync.", "IT: no SSO yet."
    webinars.decided_at = datetime.datetime(2027, 2, 3, 9, 30, tzinfo=BERLIN)
    webinars.save()
    Selection.objects.create(key="dam", title="DAM")
    first = finance["first_term"]
    RenewalDecision.objects.create(contract=first, decision="renew", reasons="Keeps the pipeline going.",
                                   decided_by_name="Zoë Quinn")
    RenewalDecision.objects.create(contract=Contract.objects.get(key="legacy-mailer"), decision="cancel",
                                   reasons="Replaced.", notice_sent_on=datetime.date(2025, 11, 2),
                                   decided_by_name="Bob")
    ContractDocument.objects.create(contract=first, title="Order form", url="https://docs.example.com/hs-2026.pdf")
    ContractDocument.objects.create(contract=first, title="DPA", url="https://docs.example.com/hs-dpa.pdf")
    ValueScore.objects.create(component=crm, year=2027, scorer=zoe, score=4, reasons="=Pipeline grew")
    ValueScore.objects.create(component=crm, year=2026, scorer=zoe, score=3, reasons="Ramp-up year.")
    ValueScore.objects.create(component=finance["warehouse"], year=2027, scorer=bob, score=2, reasons="Little use.")
    return {**finance, "selection": webinars, "marketing": marketing, "it": it, "bob": bob}
