import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stacksteward.catalog.health import catalog_health
from stacksteward.catalog.models import DataCategory
from stacksteward.catalog.tests.factories import ComponentFactory
from stacksteward.core.actors import SystemActor
from stacksteward.core.models import AuditEntry, Notification
from stacksteward.core.roles import set_role
from stacksteward.finance import permissions as perms
from stacksteward.finance import services
from stacksteward.finance.models import Contract, ContractReminder
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory, UserFactory

from .factories import ContractFactory

JOB = SystemActor.job("finance_daily")

D = datetime.date


def member(username, department, role="editor"):
    user = UserFactory(username=username)
    set_role(user, role)
    PersonFactory(name=username.capitalize(), user=user, department=department)
    return user


@pytest.fixture
def team(db):
    return {
        "buyer": member("buyer", DepartmentFactory(name="Procurement", kind="procurement")),
        "counsel": member("counsel", DepartmentFactory(name="Legal", kind="legal")),
        "marketer": member("marketer", DepartmentFactory(name="Marketing", kind="marketing")),
        "viewer": member("viewer", DepartmentFactory(name="Sales", kind="sales"), role="viewer"),
    }


@pytest.fixture
def contract(team):
    return ContractFactory(business_owner=team["marketer"].person, procurement_owner=team["buyer"].person,
                           legal_reviewer=team["counsel"].person, seats=50, renewal_term_months=12)


# Decisions and roll-forward ---------------------------------------------------------------------

def test_renew_creates_the_next_term_linked_to_this_one(team, contract):
    services.contract_decide(contract, actor=team["buyer"], decision="renew", reasons="Used daily by 45 people.")
    contract.refresh_from_db()
    follower = contract.next
    assert contract.status == "renewed"
    assert (follower.start_date, follower.end_date, follower.status) == (D(2027, 1, 1), D(2027, 12, 31), "active")
    assert follower.notice_deadline == D(2027, 10, 2)
    assert follower.seats == 50
    assert AuditEntry.objects.filter(content_type__model="renewaldecision").count() == 1
    assert Notification.objects.filter(recipient=team["marketer"]).exists()


def test_downsize_keeps_fewer_seats(team, contract):
    with pytest.raises(ValidationError) as exc:
        services.contract_decide(contract, actor=team["buyer"], decision="downsize", reasons="Half unused.",
                                 new_seats=60)
    assert "new_seats" in exc.value.message_dict
    services.contract_decide(contract, actor=team["buyer"], decision="downsize", reasons="Half unused.", new_seats=25)
    contract.refresh_from_db()
    assert contract.next.seats == 25


def test_cancel_needs_the_notice_date_and_reasons(team, contract):
    with pytest.raises(ValidationError) as exc:
        services.contract_decide(contract, actor=team["buyer"], decision="cancel", reasons="")
    assert {"reasons", "notice_sent_on"} <= set(exc.value.message_dict)
    assert not contract.decisions.exists()
    services.contract_decide(contract, actor=team["buyer"], decision="cancel", reasons="Replaced by the CRM.",
                             notice_sent_on=D(2026, 9, 1))
    contract.refresh_from_db()
    assert (contract.status, contract.notice_sent_on) == ("cancelled", D(2026, 9, 1))
    assert not Contract.objects.filter(previous=contract).exists()


def test_a_term_is_decided_once_and_viewers_cannot_decide(team, contract):
    with pytest.raises(PermissionDenied):
        services.contract_decide(contract, actor=team["viewer"], decision="renew", reasons="x")
    services.contract_decide(contract, actor=team["buyer"], decision="renew", reasons="Fine.")
    with pytest.raises(ValidationError):
        services.contract_decide(contract, actor=team["buyer"], decision="cancel", reasons="Changed my mind.",
                                 notice_sent_on=D(2026, 9, 1))


def test_auto_renewal_rolls_forward_by_itself_through_missed_terms(team):
    auto = ContractFactory(end_date=D(2025, 12, 31), start_date=D(2025, 1, 1), renewal_term_months=12)
    manual = ContractFactory(end_date=D(2025, 12, 31), start_date=D(2025, 1, 1), renewal_type="manual")
    result = services.contracts_roll_forward(actor=JOB, on=D(2027, 3, 1))
    assert result == {"rolled_forward": 2, "expired": 1}
    auto.refresh_from_db()
    manual.refresh_from_db()
    assert manual.status == "expired"
    chain = [auto, auto.next, auto.next.next]
    assert [(c.start_date, c.end_date, c.status) for c in chain] == [
        (D(2025, 1, 1), D(2025, 12, 31), "renewed"), (D(2026, 1, 1), D(2026, 12, 31), "renewed"),
        (D(2027, 1, 1), D(2027, 12, 31), "active")]
    assert services.contracts_roll_forward(actor=JOB, on=D(2027, 3, 1)) == {"rolled_forward": 0, "expired": 0}


def test_decided_contract_does_not_roll_forward_again(team, contract):
    services.contract_decide(contract, actor=team["buyer"], decision="cancel", reasons="No longer needed.",
                             notice_sent_on=D(2026, 9, 1))
    assert services.contracts_roll_forward(actor=JOB, on=D(2027, 2, 1)) == {"rolled_forward": 0, "expired": 0}


# Reminders ---------------------------------------------------------------------------------------

def test_reminders_at_each_lead_time_once_and_none_after_a_decision(team, contract):
    deadline = contract.notice_deadline  # 2026-10-02
    assert services.contract_reminders(actor=JOB, on=deadline - datetime.timedelta(days=121)) == []
    first = services.contract_reminders(actor=JOB, on=deadline - datetime.timedelta(days=120))
    assert [r.days_before for r in first] == [120]
    assert first[0].recipient_count == 3
    assert services.contract_reminders(actor=JOB, on=deadline - datetime.timedelta(days=100)) == []  # no duplicate
    sent = services.contract_reminders(actor=JOB, on=deadline - datetime.timedelta(days=45))
    assert [r.days_before for r in sent] == [60]
    assert Notification.objects.filter(recipient=team["counsel"], object_id=str(contract.pk)).count() == 2
    services.contract_decide(contract, actor=team["buyer"], decision="renegotiate", reasons="Ask for 10 % off.")
    assert services.contract_reminders(actor=JOB, on=deadline - datetime.timedelta(days=7)) == []
    assert ContractReminder.objects.count() == 2


def test_a_reminder_names_the_deadline_as_people_write_it(team, contract):
    services.contract_reminders(actor=JOB, on=contract.notice_deadline - datetime.timedelta(days=5))
    titles = set(Notification.objects.filter(object_id=str(contract.pk)).values_list("title", flat=True))
    assert titles == {f"Notice deadline for {contract} in 5 days: 2 Oct 2026"}


def test_a_contract_first_seen_late_gets_only_the_tightest_reminder(team, contract):
    sent = services.contract_reminders(actor=JOB, on=contract.notice_deadline - datetime.timedelta(days=5))
    assert [r.days_before for r in sent] == [7]
    assert services.contract_reminders(actor=JOB, on=contract.notice_deadline) == []
    overdue = contract.notice_deadline + datetime.timedelta(days=1)
    assert services.contract_reminders(actor=JOB, on=overdue) == []  # overdue


def test_reminder_lead_times_are_configurable(team, contract, settings):
    settings.STEWARD_RENEWAL_REMINDERS = [14]
    assert services.contract_reminders(actor=JOB, on=contract.notice_deadline - datetime.timedelta(days=30)) == []
    assert len(services.contract_reminders(actor=JOB, on=contract.notice_deadline - datetime.timedelta(days=14))) == 1


def test_deadline_state(team, contract):
    deadline = contract.notice_deadline
    assert services.deadline_state(contract, deadline - datetime.timedelta(days=200)) == "ok"
    assert services.deadline_state(contract, deadline - datetime.timedelta(days=100)) == "upcoming"
    assert services.deadline_state(contract, deadline - datetime.timedelta(days=10)) == "due"
    assert services.deadline_state(contract, deadline + datetime.timedelta(days=1)) == "overdue"
    services.contract_decide(contract, actor=team["buyer"], decision="renew", reasons="Fine.")
    contract.refresh_from_db()
    assert services.deadline_state(contract, deadline + datetime.timedelta(days=1)) == "closed"


# Who sees money ----------------------------------------------------------------------------------

def test_contract_values_visible_to_money_departments_owners_and_admins(team, contract, admin_user):
    outsider = member("outsider", DepartmentFactory(name="Product", kind="product"))
    owner = member("owner", DepartmentFactory(name="Data", kind="data"))
    contract.components.add(ComponentFactory(technical_owner=owner.person))
    contract = Contract.objects.prefetch_related("components").get(pk=contract.pk)
    assert perms.sees_values(team["buyer"], contract)
    assert perms.sees_values(team["counsel"], contract)
    assert perms.sees_values(team["marketer"], contract)  # the contract's business owner
    assert perms.sees_values(owner, contract)  # technical owner of a covered component
    assert perms.sees_values(admin_user, contract)
    assert not perms.sees_values(outsider, contract)
    assert not perms.sees_values(team["viewer"], contract)


# Health --------------------------------------------------------------------------------------------

def test_health_flags_missing_dpa_owner_left_and_missed_deadline(team):
    personal = DataCategory.objects.filter(is_personal=True).first()
    crm = ComponentFactory(name="CRM")
    crm.data_categories.add(personal)
    left = PersonFactory(name="Gone", available=False)
    today = datetime.date.today()
    contract = ContractFactory(components=[crm], dpa_signed=False, business_owner=left,
                               start_date=today - datetime.timedelta(days=300),
                               end_date=today + datetime.timedelta(days=20), notice_period_days=30)
    ContractFactory(dpa_signed=True, end_date=today + datetime.timedelta(days=400))
    kinds = {(f.kind, f.object_id) for f in catalog_health() if f.object_type == "contract"}
    assert kinds == {("contract_without_dpa", contract.pk), ("contract_owner_left", contract.pk),
                     ("notice_deadline_missed", contract.pk)}


def test_contract_bad_input_names_the_field(team):
    from stacksteward.catalog.tests.factories import VendorFactory

    with pytest.raises(ValidationError) as exc:
        services.contract_create(actor=team["buyer"], data={
            "vendor": VendorFactory(), "reference": "X", "start_date": D(2026, 5, 1), "end_date": D(2026, 4, 1),
            "annual_value": Decimal(-5), "currency": "EURO"})
    assert {"end_date", "annual_value", "currency"} <= set(exc.value.message_dict)
    assert not Contract.objects.exists()


def test_contracts_within_the_lead_time_become_renewing_once(team, contract, settings):
    settings.STEWARD_RENEWAL_LEAD_DAYS = 120
    far = contract.notice_deadline - datetime.timedelta(days=121)
    assert services.contracts_mark_renewing(actor=JOB, on=far) == 0
    assert services.contracts_mark_renewing(actor=JOB, on=far + datetime.timedelta(days=1)) == 1
    contract.refresh_from_db()
    assert contract.status == "renewing"
    assert services.contracts_mark_renewing(actor=JOB, on=far + datetime.timedelta(days=2)) == 0
    services.contract_decide(contract, actor=team["buyer"], decision="renew", reasons="Fine.")
    contract.refresh_from_db()
    assert contract.status == "renewed"
