"""finance.policies: the matrix generated from the registered policies, the money field groups, and every
write service refusing an actor the policy refuses — called directly, not through a view."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from stacksteward.catalog.tests.factories import ComponentFactory
from stacksteward.core.actors import SystemActor
from stacksteward.core.models import AuditEntry
from stacksteward.core.policies import registered
from stacksteward.core.roles import set_role
from stacksteward.finance import policies, services
from stacksteward.finance.models import (
    Budget,
    Contract,
    ContractDocument,
    CostEntry,
    Kpi,
    Measurement,
    Objective,
    RenewalDecision,
    Selection,
)
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory, UserFactory

from .factories import ContractFactory

JOB = SystemActor.job("finance_daily")


def member(username, department, role="editor", active=True):
    user = UserFactory(username=username, is_active=active)
    set_role(user, role)
    PersonFactory(name=username.capitalize(), email=f"{username}@example.com", user=user, department=department)
    return user


@pytest.fixture
def cast(db, admin_user):
    marketing = DepartmentFactory(name="Marketing", kind="marketing")
    finance = DepartmentFactory(name="Finance", kind="finance")
    actors = {
        "anonymous": AnonymousUser(),
        "viewer": member("viewer", marketing, "viewer"),
        "editor": member("editor", marketing),  # outside the money group, owns nothing
        "owner": member("owner", marketing),  # owns the contract's component
        "buyer": member("buyer", marketing),  # the contract's procurement owner
        "fin_viewer": member("finv", finance, "viewer"),
        "fin_editor": member("fine", finance),
        "inactive": member("gone", finance, "admin", active=False),
        "admin": admin_user,
        "system": JOB,
    }
    crm = ComponentFactory(name="CRM", technical_owner=actors["owner"].person)
    contract = ContractFactory(components=[crm], procurement_owner=actors["buyer"].person, annual_value=48000,
                               payment_terms="30 days net")
    other = ContractFactory(annual_value=1000)  # covers nothing: only the money group sees it
    entry = CostEntry.objects.create(component=crm, year=2026, kind="services", amount=500, currency="USD")
    return {"actors": actors, "crm": crm, "contract": contract, "other": other, "entry": entry}


def finance_policies():
    return {label: policy for label, policy in registered().items() if label.startswith("finance.")}


def test_every_finance_model_has_a_registered_policy():
    from django.apps import apps

    models = {m._meta.label_lower for m in apps.get_app_config("finance").get_models()}
    assert models == set(finance_policies())


ROLE_ANSWERS = {  # actor -> expected answer of a role-only rule (SIGNED_IN / EDITOR / ADMIN / NOBODY)
    "SIGNED_IN": {"anonymous": False, "viewer": True, "editor": True, "inactive": False, "admin": True,
                  "system": True},
    "EDITOR": {"anonymous": False, "viewer": False, "editor": True, "inactive": False, "admin": True,
               "system": True},
    "ADMIN": {"anonymous": False, "viewer": False, "editor": False, "inactive": False, "admin": True,
              "system": True},
    "NOBODY": {"anonymous": False, "viewer": False, "editor": False, "inactive": False, "admin": False,
               "system": True},
}
RULE_NAMES = {"signed in": "SIGNED_IN", "editor": "EDITOR", "admin": "ADMIN", "nobody": "NOBODY"}


def verbs(policy) -> list[str]:
    return ["view", "add", "change", "delete", "audit", *policy.actions, *policy.steps]


@pytest.mark.django_db
def test_policy_matrix_generated_from_the_declarations(cast):
    """Every finance policy × action × actor: role rules answer as their role says; row rules agree with
    ``restrict()`` on every object of the model (``obj in rows`` iff ``allows``)."""
    actors = cast["actors"]
    objects = {"finance.contract": [cast["contract"], cast["other"]], "finance.costentry": [cast["entry"]]}
    checked = 0
    for label, policy in finance_policies().items():
        model = policy.model if not isinstance(policy.model, str) else None
        for action in verbs(policy):
            rule = policy.rule_for(action)
            kind = RULE_NAMES.get(rule.name)
            for name, actor in actors.items():
                answer = policy.allows(actor, action)
                if kind is not None and name in ROLE_ANSWERS[kind]:
                    assert answer is ROLE_ANSWERS[kind][name], (label, action, name)
                if name in ("anonymous", "inactive"):
                    assert answer is False, (label, action, name)
                if name == "system":
                    assert answer is True, (label, action, name)
                for obj in objects.get(label, ()):
                    from django.apps import apps

                    model = apps.get_model(label)
                    rows = model.objects.restrict(actor, action) if action != "audit" else None
                    allowed = policy.allows(actor, action, model.objects.get(pk=obj.pk))
                    if rows is not None:
                        assert rows.filter(pk=obj.pk).exists() is allowed, (label, action, name)
                    checked += 1
    assert checked > 50


@pytest.mark.django_db
def test_money_field_groups_read_and_rows_agree(cast):
    """Who reads a contract's and a cost's money: the money group and the owners; rows and tests agree."""
    actors, contract, other, entry = cast["actors"], cast["contract"], cast["other"], cast["entry"]
    expected = {  # (contract, other contract, the cost entry)
        "anonymous": (False, False, False), "viewer": (False, False, False), "editor": (False, False, False),
        "owner": (True, False, True), "buyer": (True, False, False), "fin_viewer": (True, True, True),
        "fin_editor": (True, True, True), "inactive": (False, False, False), "admin": (True, True, True),
        "system": (True, True, True),
    }
    for name, actor in actors.items():
        fresh = [Contract.objects.prefetch_related("components").get(pk=c.pk) for c in (contract, other)]
        shown = (policies.CONTRACTS.shows(actor, "money", fresh[0]), policies.CONTRACTS.shows(actor, "money", fresh[1]),
                 policies.COSTS.shows(actor, "money", CostEntry.objects.get(pk=entry.pk)))
        assert shown == expected[name], name
        rows = set(policies.money_rows(actor, Contract.objects.all()).values_list("pk", flat=True))
        assert rows == {c.pk for c, seen in zip((contract, other), shown[:2], strict=True) if seen}, name
        cost_rows = policies.money_rows(actor, CostEntry.objects.all(), policies.COSTS)
        assert cost_rows.filter(pk=entry.pk).exists() is shown[2], name
        assert policies.sees_all_money(actor) is (shown[1] is True), name
        ids = policies.money_component_ids(actor)
        assert (ids is None or cast["crm"].pk in ids) is shown[2], name


@pytest.mark.django_db
def test_the_owner_rule_lists_a_contract_once(cast):
    owner = cast["actors"]["owner"]
    cast["contract"].components.add(ComponentFactory(business_owner=owner.person))
    listed = list(policies.money_rows(owner, Contract.objects.all()).values_list("pk", flat=True))
    assert listed == [cast["contract"].pk]


# Who may change a contract's value: the service decides ---------------------------------------------

@pytest.mark.django_db
def test_contract_update_refuses_a_value_change_by_an_editor_outside_the_money_group(cast):
    editor, contract = cast["actors"]["editor"], cast["contract"]
    audits = AuditEntry.objects.count()
    for data in ({"annual_value": Decimal("1")}, {"payment_terms": "90 days"},
                 {"annual_value": Decimal("1"), "notes": "cheaper"}):
        with pytest.raises(PermissionDenied, match="value and payment terms"):
            services.contract_update(contract, actor=editor, data=data, expected_version=contract.version)
    fresh = Contract.objects.get(pk=contract.pk)
    assert (fresh.annual_value, fresh.payment_terms, fresh.notes, fresh.version) == (
        Decimal("48000.00"), "30 days net", "", contract.version)
    assert AuditEntry.objects.count() == audits
    # The same editor changes what is not money; sending the unchanged value is not a change of it.
    changed = services.contract_update(contract, actor=editor, expected_version=contract.version,
                                       data={"notes": "Renegotiate in spring.", "annual_value": Decimal("48000.00")})
    assert (changed.notes, changed.annual_value, changed.version) == ("Renegotiate in spring.", Decimal("48000.00"),
                                                                      contract.version + 1)


@pytest.mark.django_db
def test_contract_value_is_changed_by_the_money_group_and_the_owners(cast):
    contract = cast["contract"]
    for name, value in (("fin_editor", "50000"), ("buyer", "51000"), ("owner", "52000"), ("admin", "53000")):
        contract = services.contract_update(contract, actor=cast["actors"][name], expected_version=contract.version,
                                            data={"annual_value": Decimal(value)})
        assert contract.annual_value == Decimal(value), name
    with pytest.raises(PermissionDenied):  # reads the money, but a viewer writes nothing
        services.contract_update(contract, actor=cast["actors"]["fin_viewer"], expected_version=contract.version,
                                 data={"annual_value": Decimal("1")})


@pytest.mark.django_db
def test_a_new_contract_value_is_entered_by_whoever_records_it(cast):
    editor = cast["actors"]["editor"]
    created = services.contract_create(actor=editor, data={
        "vendor": cast["contract"].vendor, "reference": "NEW-1", "start_date": datetime.date(2026, 1, 1),
        "end_date": datetime.date(2026, 12, 31), "annual_value": Decimal("100"), "currency": "USD"})
    assert created.annual_value == Decimal("100.00")
    with pytest.raises(PermissionDenied):
        services.contract_update(created, actor=editor, data={"annual_value": Decimal("200")},
                                 expected_version=created.version)


# Every write service refuses whom the policy refuses ------------------------------------------------

def write_calls(cast):
    """(name, model counted, call(actor)) for every finance write service."""
    contract, crm, entry = cast["contract"], cast["crm"], cast["entry"]
    selection = Selection.objects.create(title="Pick", need="x")
    objective = Objective.objects.create(name="Grow", period_start=datetime.date(2026, 1, 1),
                                         period_end=datetime.date(2026, 12, 31))
    kpi = Kpi.objects.create(name="Leads", slug="leads", definition="x", unit="leads")
    budget = Budget.objects.create(year=2026, component=crm, amount=10, currency="USD")
    document = ContractDocument.objects.create(contract=contract, title="Order", url="https://example.com/o")
    day = datetime.date(2026, 3, 1)
    return [
        ("contract_create", Contract, lambda a: services.contract_create(actor=a, data={
            "vendor": contract.vendor, "reference": "X", "start_date": day, "end_date": day, "annual_value": 1})),
        ("contract_update", Contract, lambda a: services.contract_update(
            contract, actor=a, data={"notes": "x"}, expected_version=contract.version)),
        ("contract_delete", Contract, lambda a: services.contract_delete(contract, actor=a)),
        ("contract_decide", RenewalDecision, lambda a: services.contract_decide(
            contract, actor=a, decision="renew", reasons="x")),
        ("contracts_roll_forward", Contract, lambda a: services.contracts_roll_forward(
            actor=a, on=datetime.date(2030, 1, 1))),
        ("contracts_mark_renewing", Contract, lambda a: services.contracts_mark_renewing(
            actor=a, on=datetime.date(2026, 12, 1))),
        ("contract_reminders", None, lambda a: services.contract_reminders(actor=a, on=datetime.date(2026, 9, 1))),
        ("document_create", ContractDocument, lambda a: services.document_create(actor=a, data={
            "contract": contract, "title": "T", "url": "https://example.com/t"})),
        ("document_delete", ContractDocument, lambda a: services.document_delete(document, actor=a)),
        ("selection_create", Selection, lambda a: services.selection_create(actor=a, data={"title": "S"})),
        ("selection_delete", Selection, lambda a: services.selection_delete(selection, actor=a)),
        ("objective_create", Objective, lambda a: services.objective_create(actor=a, data={
            "name": "O", "period_start": day, "period_end": day})),
        ("objective_update", Objective, lambda a: services.objective_update(
            objective, actor=a, data={"description": "x"}, expected_version=objective.version)),
        ("kpi_create", Kpi, lambda a: services.kpi_create(actor=a, data={
            "name": "K", "slug": "k", "definition": "x", "unit": "u"})),
        ("measurement_record", Measurement, lambda a: services.measurement_record(
            actor=a, kpi=kpi, period_start=day, value=1)),
        ("budget_create", Budget, lambda a: services.budget_create(actor=a, data={
            "year": 2027, "component": crm, "amount": 1, "currency": "USD"})),
        ("budget_update", Budget, lambda a: services.budget_update(
            budget, actor=a, data={"amount": 2}, expected_version=budget.version)),
        ("cost_entry_create", CostEntry, lambda a: services.cost_entry_create(actor=a, data={
            "component": crm, "year": 2026, "kind": "services", "amount": 1, "currency": "USD"})),
        ("cost_entry_update", CostEntry, lambda a: services.cost_entry_update(
            entry, actor=a, data={"amount": 2}, expected_version=entry.version)),
        ("cost_entry_delete", CostEntry, lambda a: services.cost_entry_delete(entry, actor=a)),
        ("value_score_record", None, lambda a: services.value_score_record(
            actor=a, component=crm, year=2026, score=3, reasons="x")),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["viewer", "inactive", "anonymous"])
def test_every_write_service_refuses_an_actor_the_policy_refuses(cast, who):
    actor = cast["actors"][who]
    for name, model, call in write_calls(cast):
        before = (AuditEntry.objects.count(), model.objects.count() if model else 0,
                  Contract.objects.filter(pk=cast["contract"].pk).values_list("version", "status").get())
        with pytest.raises(PermissionDenied):
            call(actor)
        after = (AuditEntry.objects.count(), model.objects.count() if model else 0,
                 Contract.objects.filter(pk=cast["contract"].pk).values_list("version", "status").get())
        assert after == before, name


@pytest.mark.django_db
def test_the_daily_steps_are_the_jobs_alone(cast):
    for call in (services.contracts_roll_forward, services.contracts_mark_renewing, services.contract_reminders):
        with pytest.raises(PermissionDenied):
            call(actor=cast["actors"]["admin"], on=datetime.date(2030, 1, 1)) if call is not \
                services.contract_reminders else call(actor=cast["actors"]["editor"], on=datetime.date(2026, 9, 1))
    with pytest.raises(TypeError):
        services.contracts_roll_forward(actor="system", on=datetime.date(2030, 1, 1))


@pytest.mark.django_db
def test_costs_are_recorded_only_by_who_reads_the_components_money(cast):
    editor, crm, entry = cast["actors"]["editor"], cast["crm"], cast["entry"]
    count = CostEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.cost_entry_create(actor=editor, data={"component": crm, "year": 2026, "kind": "services",
                                                       "amount": 1, "currency": "USD"})
    with pytest.raises(PermissionDenied):
        services.cost_entry_update(entry, actor=editor, data={"amount": 1}, expected_version=entry.version)
    assert CostEntry.objects.count() == count
    assert CostEntry.objects.get(pk=entry.pk).amount == Decimal("500.00")
    updated = services.cost_entry_update(entry, actor=cast["actors"]["owner"], data={"amount": 600},
                                         expected_version=entry.version)
    assert updated.amount == Decimal("600.00")
