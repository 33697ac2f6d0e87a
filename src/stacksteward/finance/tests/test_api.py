"""The finance API end to end: token client → handler → service → database, audit, errors.

People: ``buyer`` Procurement editor, ``counsel`` Legal viewer, ``fin`` Finance viewer, ``marketer`` Marketing
editor (owns nothing), ``owner`` Marketing viewer and business owner of the CRM; ``viewer`` (root conftest) has
no person; ``admin_user`` may do everything. Procurement, legal and finance people, owners and admins see a
contract's money; the others get null and ``values_hidden: true``.
"""

import datetime
from decimal import Decimal

import pytest

from stacksteward.catalog.models import Component
from stacksteward.catalog.tests.factories import ComponentFactory, VendorFactory
from stacksteward.core.roles import set_role
from stacksteward.core.tests.api_helpers import assert_constant_queries, audit_entries, error_fields
from stacksteward.finance import services
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
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory, UserFactory

from .factories import ContractFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def days(n: int) -> datetime.date:
    return services.today() + datetime.timedelta(days=n)


def member(username, department, role="editor"):
    user = UserFactory(username=username)
    set_role(user, role)
    PersonFactory(name=username.capitalize(), email=f"{username}@example.com", user=user, department=department)
    return user


@pytest.fixture
def people(db, viewer, admin_user):
    marketing = DepartmentFactory(name="Marketing", slug="marketing", kind="marketing")
    return {
        "buyer": member("buyer", DepartmentFactory(name="Procurement", slug="procurement", kind="procurement")),
        "counsel": member("counsel", DepartmentFactory(name="Legal", slug="legal", kind="legal"), role="viewer"),
        "fin": member("fin", DepartmentFactory(name="Finance", slug="finance", kind="finance"), role="viewer"),
        "marketer": member("marketer", marketing),
        "owner": member("owner", marketing, role="viewer"),
        "it": member("it", DepartmentFactory(name="IT", slug="it", kind="it")),
        "viewer": viewer,
        "admin": admin_user,
    }


@pytest.fixture
def apis(people, api_as):
    return {name: api_as(user) for name, user in people.items()}


@pytest.fixture
def crm(people):
    return ComponentFactory(name="CRM", slug="crm", business_owner=people["owner"].person,
                            seats_purchased=100, seats_used=40)


@pytest.fixture
def contract(crm, people):
    """Auto-renewing, notice deadline in 45 days (due soon: upcoming), 50 seats."""
    return ContractFactory(vendor=crm.vendor, components=[crm], start_date=days(-300), end_date=days(135),
                           notice_period_days=90, annual_value=Decimal("24000.00"), payment_terms="30 days net",
                           seats=50, procurement_owner=people["buyer"].person)


def contract_body(vendor, /, **overrides) -> dict:
    body = {"vendor": vendor.slug, "components": ["crm"], "reference": "ORD-1", "start_date": "2027-01-01",
            "end_date": "2027-12-31", "notice_period_days": 60, "annual_value": "12000.00", "currency": "eur",
            "payment_terms": "30 days net", "seats": 20, "status": "active", "business_owner": "owner@example.com"}
    body.update(overrides)
    return body


# Contracts: reading and who sees the money -----------------------------------------------------


@pytest.mark.parametrize(("who", "sees"), [
    ("viewer", False), ("marketer", False), ("it", False),
    ("owner", True), ("buyer", True), ("counsel", True), ("fin", True), ("admin", True),
])
def test_get_contract_shows_values_only_to_money_people_and_owners(apis, contract, who, sees):
    response = apis[who].get(f"/api/contracts/{contract.pk}")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["values_hidden"] is (not sees)
    assert body["annual_value"] == ("24000.00" if sees else None)
    assert body["payment_terms"] == ("30 days net" if sees else None)
    assert (body["currency"], body["seats"]) == ("USD", 50)  # not money: visible to all
    listed = apis[who].get("/api/contracts").json()["items"]
    assert [(c["id"], c["annual_value"], c["values_hidden"]) for c in listed] == [
        (contract.pk, "24000.00" if sees else None, not sees)]


def test_contract_owners_see_their_contract_values(apis, people, contract):
    other = ContractFactory(business_owner=people["marketer"].person, annual_value=999)
    rows = {c["id"]: c for c in apis["marketer"].get("/api/contracts").json()["items"]}
    assert rows[other.pk]["annual_value"] == "999.00" and rows[other.pk]["values_hidden"] is False
    assert rows[contract.pk]["annual_value"] is None and rows[contract.pk]["values_hidden"] is True


def test_get_contract_shows_deadline_terms_and_decisions(apis, people, contract):
    body = apis["buyer"].get(f"/api/contracts/{contract.pk}").json()
    assert body["notice_deadline"] == days(45).isoformat()
    assert (body["deadline_state"], body["days_to_notice_deadline"]) == ("upcoming", 45)
    assert (body["previous"], body["next"], body["decisions"]) == (None, None, [])
    assert body["components"] == [{"slug": "crm", "name": "CRM"}]
    assert body["procurement_owner"]["email"] == "buyer@example.com"


def test_get_missing_contract_answers_404(apis):
    response = apis["buyer"].get("/api/contracts/999999")
    assert response.status_code == 404 and set(response.json()) == {"detail", "errors"}


def test_list_contracts_constant_queries_with_per_row_visibility(apis, people, django_assert_max_num_queries):
    owner = people["owner"].person

    counter = iter(range(1000))

    def make():  # one contract a call: every other one owned through a component, and decided
        n = next(counter)
        made = ContractFactory(components=[ComponentFactory(business_owner=owner if n % 2 else None),
                                           ComponentFactory()], business_owner=PersonFactory())
        if n % 2:
            RenewalDecision.objects.create(contract=made, decision="renegotiate", reasons="x", decided_by_name="x")

    assert_constant_queries(apis["owner"], "/api/contracts", make, django_assert_max_num_queries)
    items = apis["owner"].get("/api/contracts?limit=500").json()["items"]
    assert {c["values_hidden"] for c in items} == {True, False}


def test_list_up_for_renewal_constant_queries(apis, django_assert_max_num_queries):
    assert_constant_queries(apis["buyer"], "/api/contracts/up-for-renewal",
                            lambda: ContractFactory(start_date=days(-100), end_date=days(100), notice_period_days=30,
                                                    components=[ComponentFactory()]),
                            django_assert_max_num_queries)


def test_up_for_renewal_defaults_to_the_lead_time_and_includes_overdue(apis, people):
    def make(deadline_in, **kw):
        return ContractFactory(start_date=days(-400), end_date=days(deadline_in + 30), notice_period_days=30, **kw)

    soon, later, far, missed = make(10), make(100), make(200), make(-3)
    decided = make(20)
    services.contract_decide(decided, actor=people["buyer"], decision="renew", reasons="Keep it.")
    make(15, status="draft")
    ids = [c["id"] for c in apis["buyer"].get("/api/contracts/up-for-renewal").json()["items"]]
    assert ids == [missed.pk, soon.pk, later.pk]
    ids = [c["id"] for c in apis["buyer"].get("/api/contracts/up-for-renewal?days=30").json()["items"]]
    assert ids == [missed.pk, soon.pk]
    assert far.pk not in ids
    response = apis["buyer"].get("/api/contracts/up-for-renewal?days=-1")
    assert response.status_code == 422 and error_fields(response) == ["days"]


def test_list_contracts_filters(apis, people, crm, contract):
    missed = ContractFactory(start_date=days(-400), end_date=days(10), notice_period_days=30, dpa_signed=True,
                             renewal_type="manual")
    renewed = ContractFactory(start_date=days(-400), end_date=days(300), notice_period_days=30)
    services.contract_decide(renewed, actor=people["buyer"], decision="renegotiate", reasons="Too pricey.")
    follower = Contract.objects.get(previous=renewed)
    decided = ContractFactory(start_date=days(-400), end_date=days(300), notice_period_days=30)  # e.g. imported
    RenewalDecision.objects.create(contract=decided, decision="renew", reasons="Keep.", decided_by_name="x")
    api = apis["buyer"]

    def ids(query):
        response = api.get(f"/api/contracts?{query}")
        assert response.status_code == 200, response.json()
        return {c["id"] for c in response.json()["items"]}

    assert ids("deadline_state=overdue") == {missed.pk}
    assert ids("deadline_state=overdue&deadline_state=upcoming") == {missed.pk, contract.pk}
    assert ids("deadline_state=decided") == {decided.pk}
    assert ids("deadline_state=closed") == {renewed.pk}
    assert ids("deadline_state=ok") == {follower.pk}
    assert ids("component=crm") == {contract.pk}
    assert ids(f"vendor={crm.vendor.slug}") == {contract.pk}
    assert ids("dpa_signed=true") == {missed.pk}
    assert ids("renewal_type=manual") == {missed.pk}
    assert ids(f"notice_before={days(0).isoformat()}") == {missed.pk}
    assert ids("status=renewed") == {renewed.pk}
    for row in api.get("/api/contracts").json()["items"]:  # the filter and the reported state agree
        assert row["id"] in ids(f"deadline_state={row['deadline_state']}"), row
    response = api.get("/api/contracts?deadline_state=late")
    assert response.status_code == 422 and error_fields(response) == ["deadline_state"]
    response = api.get("/api/contracts?dpa_signed=perhaps")
    assert response.status_code == 422 and error_fields(response) == ["dpa_signed"]


# Contracts: writing ----------------------------------------------------------------------------


def test_create_contract_as_editor_computes_the_notice_deadline(apis, people, crm):
    response = apis["buyer"].post_json("/api/contracts", contract_body(crm.vendor))
    assert response.status_code == 201, response.json()
    body = response.json()
    contract = Contract.objects.get(pk=body["id"])
    assert (contract.notice_deadline, contract.currency, contract.annual_value) == (
        D(2027, 11, 1), "EUR", Decimal("12000.00"))
    assert list(contract.components.all()) == [crm]
    assert contract.business_owner == people["owner"].person
    assert body["notice_deadline"] == "2027-11-01" and body["annual_value"] == "12000.00"
    assert audit_entries(Contract, contract.pk).filter(action="create").count() == 1


def test_create_contract_as_viewer_answers_403_and_writes_nothing(apis, crm):
    response = apis["owner"].post_json("/api/contracts", contract_body(crm.vendor))
    assert response.status_code == 403
    assert not Contract.objects.exists()


def test_create_contract_names_every_bad_field(apis, crm):
    body = contract_body(crm.vendor, vendor="nobody", components=["crm", "ghost"], business_owner="no@x.org",
                         end_date="2026-01-01")
    response = apis["buyer"].post_json("/api/contracts", body)
    assert response.status_code == 422
    assert set(error_fields(response)) == {"vendor", "components", "business_owner"}
    response = apis["buyer"].post_json("/api/contracts", contract_body(crm.vendor, end_date="2026-01-01"))
    assert response.status_code == 422 and error_fields(response) == ["end_date"]
    response = apis["buyer"].post_json("/api/contracts", contract_body(crm.vendor, status="renewed"))
    assert response.status_code == 422 and error_fields(response) == ["status"]
    assert not Contract.objects.exists()


def test_patch_contract_with_a_stale_version_answers_409_and_changes_nothing(apis, contract):
    url = f"/api/contracts/{contract.pk}"
    response = apis["buyer"].patch_json(url, {"notice_period_days": 60, "version": contract.version})
    assert response.status_code == 200, response.json()
    assert response.json()["notice_deadline"] == days(75).isoformat()
    response = apis["buyer"].patch_json(url, {"notice_period_days": 10, "version": contract.version})
    assert response.status_code == 409
    assert response.json()["current_version"] == contract.version + 1
    contract.refresh_from_db()
    assert (contract.notice_period_days, contract.version) == (60, 2)


def test_patch_contract_value_needs_to_see_it(apis, contract):
    url = f"/api/contracts/{contract.pk}"
    response = apis["marketer"].patch_json(url, {"annual_value": "1.00", "version": 1})
    assert response.status_code == 403
    response = apis["marketer"].patch_json(url, {"notes": "Renew with the CRM team.", "version": 1})
    assert response.status_code == 200 and response.json()["annual_value"] is None
    contract.refresh_from_db()
    assert (contract.annual_value, contract.notes) == (Decimal("24000.00"), "Renew with the CRM team.")
    response = apis["owner"].patch_json(url, {"notes": "x", "version": 2})
    assert response.status_code == 403  # a viewer, even an owner


def test_delete_contract_only_drafts(apis, crm, contract):
    response = apis["viewer"].delete(f"/api/contracts/{contract.pk}")
    assert response.status_code == 403
    response = apis["buyer"].delete(f"/api/contracts/{contract.pk}")
    assert response.status_code == 422 and error_fields(response) == ["status"]
    draft = ContractFactory(status="draft")
    assert apis["buyer"].delete(f"/api/contracts/{draft.pk}?version=7").status_code == 409
    assert apis["buyer"].delete(f"/api/contracts/{draft.pk}?version=1").status_code == 204
    assert set(Contract.objects.values_list("pk", flat=True)) == {contract.pk}


# Renewal decisions -----------------------------------------------------------------------------


def decide(api, contract, **body):
    return api.post_json(f"/api/contracts/{contract.pk}/decision", {"version": contract.version, **body})


def assert_nothing_decided(contract):
    contract.refresh_from_db()
    assert contract.status == "active" and contract.version == 1
    assert not RenewalDecision.objects.exists()
    assert Contract.objects.count() == 1


def test_decision_needs_reasons_and_writes_nothing_without(apis, contract):
    response = decide(apis["buyer"], contract, decision="renew", reasons="  ")
    assert response.status_code == 422 and error_fields(response) == ["reasons"]
    assert_nothing_decided(contract)
    response = decide(apis["buyer"], contract, decision="sell")
    assert response.status_code == 422 and error_fields(response) == ["decision"]
    assert_nothing_decided(contract)


def test_renew_creates_the_next_term(apis, contract):
    response = decide(apis["buyer"], contract, decision="renew", reasons="Used daily by 45 people.")
    assert response.status_code == 200, response.json()
    body = response.json()
    follower = Contract.objects.get(previous=contract)
    assert (body["status"], body["next"], body["deadline_state"]) == ("renewed", follower.pk, "closed")
    assert [(d["decision"], d["reasons"], d["decided_by_name"]) for d in body["decisions"]] == [
        ("renew", "Used daily by 45 people.", "Buyer")]  # the person's display name
    assert (follower.start_date, follower.status, follower.seats) == (days(136), "active", 50)
    next_body = apis["buyer"].get(f"/api/contracts/{follower.pk}").json()
    assert (next_body["previous"], next_body["next"]) == (contract.pk, None)


def test_downsize_keeps_fewer_seats(apis, contract):
    response = decide(apis["buyer"], contract, decision="downsize", reasons="Half unused.")
    assert response.status_code == 422 and error_fields(response) == ["new_seats"]
    response = decide(apis["buyer"], contract, decision="downsize", reasons="Half unused.", new_seats=50)
    assert response.status_code == 422 and error_fields(response) == ["new_seats"]
    assert_nothing_decided(contract)
    response = decide(apis["buyer"], contract, decision="downsize", reasons="Half unused.", new_seats=25)
    assert response.status_code == 200, response.json()
    assert Contract.objects.get(previous=contract).seats == 25


def test_cancel_needs_the_notice_date(apis, contract):
    response = decide(apis["buyer"], contract, decision="cancel", reasons="Replaced by the CDP.")
    assert response.status_code == 422 and error_fields(response) == ["notice_sent_on"]
    response = decide(apis["buyer"], contract, decision="cancel", reasons="Replaced.",
                      notice_sent_on=days(2).isoformat())
    assert response.status_code == 422 and error_fields(response) == ["notice_sent_on"]
    assert_nothing_decided(contract)
    response = decide(apis["buyer"], contract, decision="cancel", reasons="Replaced by the CDP.",
                      notice_sent_on=days(-1).isoformat())
    assert response.status_code == 200
    contract.refresh_from_db()
    assert (contract.status, contract.notice_sent_on) == ("cancelled", days(-1))
    assert response.json()["notice_sent_on"] == days(-1).isoformat()
    assert not Contract.objects.filter(previous=contract).exists()


def test_decision_refused_to_viewers_stale_versions_and_twice(apis, contract):
    response = decide(apis["owner"], contract, decision="renew", reasons="Keep.")
    assert response.status_code == 403
    response = apis["buyer"].post_json(f"/api/contracts/{contract.pk}/decision",
                                       {"decision": "renew", "reasons": "Keep.", "version": 9})
    assert response.status_code == 409 and response.json()["current_version"] == 1
    assert_nothing_decided(contract)
    assert decide(apis["buyer"], contract, decision="renew", reasons="Keep.").status_code == 200
    contract.refresh_from_db()
    response = decide(apis["buyer"], contract, decision="renew", reasons="Again.")
    assert response.status_code == 422 and error_fields(response) == ["decision"]
    assert RenewalDecision.objects.count() == 1


# Contract documents ----------------------------------------------------------------------------


def test_contract_documents(apis, contract, django_assert_max_num_queries):
    url = f"/api/contracts/{contract.pk}/documents"
    assert apis["viewer"].post_json(url, {"title": "DPA", "url": "https://x.org/dpa"}).status_code == 403
    response = apis["buyer"].post_json(url, {"title": "DPA", "url": "not a link"})
    assert response.status_code == 422 and error_fields(response) == ["url"]
    response = apis["buyer"].post_json(url, {"title": "DPA", "url": "https://docs.example.com/dpa.pdf"})
    assert response.status_code == 201, response.json()
    document = ContractDocument.objects.get(contract=contract)
    assert response.json()["contract"] == contract.pk and document.title == "DPA"
    assert_constant_queries(apis["viewer"], url, lambda: ContractDocument.objects.create(
        contract=contract, title="Order", url="https://x.org/o"), django_assert_max_num_queries)
    response = apis["buyer"].patch_json(f"/api/contract-documents/{document.pk}",
                                        {"title": "Signed DPA", "version": 1})
    assert response.status_code == 200 and response.json()["title"] == "Signed DPA"
    assert apis["viewer"].delete(f"/api/contract-documents/{document.pk}").status_code == 403
    assert apis["buyer"].delete(f"/api/contract-documents/{document.pk}").status_code == 204
    assert not ContractDocument.objects.filter(pk=document.pk).exists()


# Selections ------------------------------------------------------------------------------------


@pytest.fixture
def selection(apis, people):
    api = apis["marketer"]
    response = api.post_json("/api/selections", {"title": "Webinar platform", "need": "Run 20 webinars a year."})
    assert response.status_code == 201, response.json()
    sid = response.json()["id"]
    vendor = VendorFactory(slug="webcast-inc")
    for name, vendor_slug in (("Alpha", "webcast-inc"), ("Beta", None)):
        response = api.post_json(f"/api/selections/{sid}/candidates", {"name": name, "vendor": vendor_slug})
        assert response.status_code == 201, response.json()
    for department, name, weight in (("marketing", "Fit", "3"), ("it", "Integration", "1"),
                                     ("legal", "Terms", "1")):
        response = api.post_json(f"/api/selections/{sid}/criteria",
                                 {"department": department, "name": name, "weight": weight})
        assert response.status_code == 201, response.json()
    assert vendor.candidacies.count() == 1
    return Selection.objects.get(pk=sid)


def ids_of(selection):
    candidates = {c.name: c.pk for c in selection.candidates.all()}
    criteria = {c.name: c.pk for c in selection.criteria.all()}
    return candidates, criteria


def score(api, selection, criterion, candidate, value, **extra):
    return api.post_json(f"/api/selections/{selection.pk}/scores",
                         {"criterion": criterion, "candidate": candidate, "score": value, **extra})


def test_selection_scorecard_totals_overall_and_per_department(apis, people, selection):
    candidates, criteria = ids_of(selection)
    second = member("mia", people["marketer"].person.department)
    assert score(apis["marketer"], selection, criteria["Fit"], candidates["Alpha"], 5).status_code == 200
    rescored = score(apis["marketer"], selection, criteria["Fit"], candidates["Alpha"], 5, comment="Good demo.")
    assert rescored.status_code == 200 and rescored.json()["comment"] == "Good demo."
    response = score(apis["admin"], selection, criteria["Fit"], candidates["Alpha"], 3, reviewer=second.person.pk)
    assert response.status_code == 200, response.json()  # marketing mean for Alpha: 4
    assert score(apis["it"], selection, criteria["Integration"], candidates["Alpha"], 2).status_code == 200
    assert score(apis["marketer"], selection, criteria["Fit"], candidates["Beta"], 3).status_code == 200
    assert score(apis["it"], selection, criteria["Integration"], candidates["Beta"], 5).status_code == 200
    assert Score.objects.count() == 5
    body = apis["viewer"].get(f"/api/selections/{selection.pk}/scorecard").json()
    assert (body["selection"], body["criteria"]) == (selection.pk, 3)
    alpha, beta = body["candidates"]
    # Alpha: (3 × 4 + 1 × 2) ÷ 4 = 3.5; Beta: (3 × 3 + 1 × 5) ÷ 4 = 3.5 → by name; Legal scored nothing yet
    assert (alpha["candidate"]["name"], alpha["overall"], alpha["missing"]) == ("Alpha", "3.50", 1)
    assert alpha["by_department"] == [{"department": "IT", "total": "2.00"}, {"department": "Legal", "total": None},
                                      {"department": "Marketing", "total": "4.00"}]
    assert (beta["overall"], beta["missing"]) == ("3.50", 1)
    assert beta["by_department"][0] == {"department": "IT", "total": "5.00"}


def test_scores_are_refused_outside_the_reviewers_department_and_to_viewers(apis, people, selection):
    candidates, criteria = ids_of(selection)
    response = score(apis["it"], selection, criteria["Fit"], candidates["Alpha"], 4)
    assert response.status_code == 403
    response = score(apis["counsel"], selection, criteria["Terms"], candidates["Alpha"], 4)
    assert response.status_code == 403  # a Legal viewer: reading only
    response = score(apis["marketer"], selection, criteria["Fit"], candidates["Alpha"], 6)
    assert response.status_code == 422 and error_fields(response) == ["score"]
    other = Selection.objects.create(title="Other")
    foreign = SelectionCandidate.objects.create(selection=other, name="Gamma")
    response = score(apis["marketer"], selection, criteria["Fit"], foreign.pk, 4)
    assert response.status_code == 422 and error_fields(response) == ["candidate"]
    assert not Score.objects.exists()


def test_selection_decision_creates_the_pilot_component(apis, people, selection):
    candidates, _criteria = ids_of(selection)
    url = f"/api/selections/{selection.pk}/decision"
    response = apis["marketer"].post_json(url, {"chosen": candidates["Alpha"], "reasons": " ", "version": 1})
    assert response.status_code == 422 and error_fields(response) == ["reasons"]
    response = apis["owner"].post_json(url, {"chosen": candidates["Alpha"], "reasons": "Best fit.", "version": 1})
    assert response.status_code == 403
    response = apis["marketer"].post_json(url, {"chosen": 999999, "reasons": "Best fit.", "version": 1})
    assert response.status_code == 422 and error_fields(response) == ["chosen"]
    selection.refresh_from_db()
    assert (selection.status, selection.version) == ("open", 1)
    response = apis["marketer"].post_json(url, {"chosen": candidates["Alpha"], "reasons": "Best fit.",
                                                "dissent": "IT preferred Beta.", "create_component": True,
                                                "version": 1})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["chosen"]["name"], body["dissent"]) == ("decided", "Alpha", "IT preferred Beta.")
    component = Component.objects.get(name="Alpha")
    assert component.lifecycle == "pilot"
    assert Contract.objects.get(components=component).status == "draft"
    response = apis["marketer"].post_json(f"/api/selections/{selection.pk}/candidates", {"name": "Late"})
    assert response.status_code == 422 and error_fields(response) == ["selection"]


def test_selection_lists_constant_queries(apis, people, selection, django_assert_max_num_queries):
    marketing = people["marketer"].person.department

    def make_selection():
        made = Selection.objects.create(title="CDP")
        SelectionCandidate.objects.create(selection=made, name="A", vendor=VendorFactory())
        Criterion.objects.create(selection=made, department=marketing, name="Fit", weight=1)

    assert_constant_queries(apis["viewer"], "/api/selections?status=open", make_selection,
                            django_assert_max_num_queries)
    counter = iter(range(1000))
    assert_constant_queries(apis["viewer"], f"/api/selections/{selection.pk}/candidates",
                            lambda: SelectionCandidate.objects.create(selection=selection, name=f"C{next(counter)}",
                                                                      vendor=VendorFactory()),
                            django_assert_max_num_queries)
    assert_constant_queries(apis["viewer"], f"/api/selections/{selection.pk}/criteria",
                            lambda: Criterion.objects.create(selection=selection, department=marketing,
                                                             name=f"K{next(counter)}", weight=1),
                            django_assert_max_num_queries)
    fit = selection.criteria.get(name="Fit")
    candidate = selection.candidates.first()
    assert_constant_queries(apis["viewer"], f"/api/selections/{selection.pk}/scores",
                            lambda: Score.objects.create(criterion=fit, candidate=candidate, reviewer=PersonFactory(),
                                                         score=3),
                            django_assert_max_num_queries)


# Objectives, success factors, KPIs -------------------------------------------------------------


def test_objectives_and_success_factors(apis, people, django_assert_max_num_queries):
    body = {"name": "Grow pipeline 20 %", "owner": "owner@example.com", "period_start": "2027-01-01",
            "period_end": "2026-12-31"}
    response = apis["marketer"].post_json("/api/objectives", body)
    assert response.status_code == 422 and error_fields(response) == ["period_end"]
    assert apis["owner"].post_json("/api/objectives", {**body, "period_end": "2027-12-31"}).status_code == 403
    response = apis["marketer"].post_json("/api/objectives", {**body, "period_end": "2027-12-31"})
    assert response.status_code == 201, response.json()
    objective = Objective.objects.get()
    assert objective.owner == people["owner"].person
    response = apis["marketer"].post_json(f"/api/objectives/{objective.pk}/success-factors", {"name": "Lead quality"})
    assert response.status_code == 201
    factor = SuccessFactor.objects.get()
    body = apis["viewer"].get(f"/api/objectives/{objective.pk}").json()
    assert body["success_factors"][0]["name"] == "Lead quality"
    counter = iter(range(1000))

    def make_objective():
        made = Objective.objects.create(name=f"O{next(counter)}", owner=PersonFactory(), period_start=D(2027, 1, 1),
                                        period_end=D(2027, 12, 31))
        SuccessFactor.objects.create(objective=made, name="x")
        Kpi.objects.create(name=f"K{next(counter)}", slug=f"k{next(counter)}", definition="x", unit="x",
                           objective=made)

    assert_constant_queries(apis["viewer"], "/api/objectives", make_objective, django_assert_max_num_queries)
    assert_constant_queries(apis["viewer"], f"/api/objectives/{objective.pk}/success-factors",
                            lambda: SuccessFactor.objects.create(objective=objective, name="y"),
                            django_assert_max_num_queries)
    response = apis["marketer"].patch_json(f"/api/success-factors/{factor.pk}", {"name": "Lead fit", "version": 1})
    assert response.status_code == 200 and response.json()["name"] == "Lead fit"
    assert apis["marketer"].delete(f"/api/objectives/{objective.pk}?version=1").status_code == 204
    assert not SuccessFactor.objects.filter(pk=factor.pk).exists()


def test_kpi_crud_by_slug(apis, crm, django_assert_max_num_queries):
    body = {"name": "Marketing-sourced pipeline", "definition": "Opportunities from marketing leads.",
            "unit": "EUR", "value_kind": "money", "components": ["crm"]}
    response = apis["marketer"].post_json("/api/kpis", body)
    assert response.status_code == 422 and error_fields(response) == ["currency"]
    response = apis["marketer"].post_json("/api/kpis", {**body, "currency": "eur", "target": "50000"})
    assert response.status_code == 201, response.json()
    assert response.json()["slug"] == "marketing-sourced-pipeline"
    kpi = Kpi.objects.get(slug="marketing-sourced-pipeline")
    assert (kpi.currency, list(kpi.components.all())) == ("EUR", [crm])
    response = apis["marketer"].patch_json(f"/api/kpis/{kpi.slug}", {"target": "60000", "version": 1})
    assert response.status_code == 200 and response.json()["target"] == "60000.00"
    assert apis["marketer"].patch_json(f"/api/kpis/{kpi.slug}", {"target": "1", "version": 1}).status_code == 409
    assert apis["viewer"].get("/api/kpis/nope").status_code == 404
    counter = iter(range(1000))

    def make_kpi():
        n = next(counter)
        made = Kpi.objects.create(name=f"K{n}", slug=f"k{n}", definition="x", unit="leads",
                                  objective=Objective.objects.create(name=f"O{n}", period_start=D(2027, 1, 1),
                                                                     period_end=D(2027, 12, 31)))
        made.components.set([ComponentFactory(), ComponentFactory()])

    assert_constant_queries(apis["viewer"], "/api/kpis", make_kpi, django_assert_max_num_queries)
    assert apis["viewer"].delete(f"/api/kpis/{kpi.slug}").status_code == 403
    assert apis["marketer"].delete(f"/api/kpis/{kpi.slug}").status_code == 204


# Measurements ----------------------------------------------------------------------------------


@pytest.fixture
def leads(db):
    return Kpi.objects.create(name="Leads", slug="leads", definition="MQLs", unit="leads")


def push(api, kpi, items):
    return api.post_json(f"/api/kpis/{kpi.slug}/measurements", {"items": items})


def test_push_measurements_one_or_many_and_replace(apis, leads):
    Measurement.objects.create(kpi=leads, period_start=D(2027, 1, 1), value=10)
    response = push(apis["marketer"], leads, [{"period_start": "2027-01-01", "value": "120"},
                                              {"period_start": "2027-02-01", "value": "140", "note": "Campaign."}])
    assert response.status_code == 200, response.json()
    assert (response.json()["created"], response.json()["replaced"]) == (1, 1)
    assert list(leads.measurements.values_list("period_start", "value", "source")) == [
        (D(2027, 1, 1), Decimal("120.00"), "api"), (D(2027, 2, 1), Decimal("140.00"), "api")]
    response = push(apis["marketer"], leads, [{"period_start": "2027-03-01", "value": "90"}])
    assert response.status_code == 200 and response.json()["created"] == 1
    body = apis["viewer"].get("/api/kpis/leads/measurements?since=2027-02-01").json()
    assert [(m["period_start"], m["value"]) for m in body["items"]] == [("2027-02-01", "140.00"),
                                                                        ("2027-03-01", "90.00")]


def test_push_measurements_is_all_or_nothing_naming_the_failing_item(apis, leads):
    Measurement.objects.create(kpi=leads, period_start=D(2027, 1, 1), value=10)
    items = [{"period_start": f"2027-0{m}-01", "value": "100"} for m in range(1, 6)]
    items[3]["value"] = "12345678901234567"  # more digits than a measurement holds: refused by the service
    response = push(apis["marketer"], leads, items)
    assert response.status_code == 422
    assert error_fields(response) == ["items.3.value"]
    assert list(leads.measurements.values_list("period_start", "value")) == [(D(2027, 1, 1), Decimal("10.00"))]
    items[3]["value"] = "lots"  # refused by the body's schema
    response = push(apis["marketer"], leads, items)
    assert response.status_code == 422 and error_fields(response) == ["items.3.value"]
    items[3]["value"] = "1"
    items[4]["period_start"] = "2027-02-01"
    response = push(apis["marketer"], leads, items)
    assert response.status_code == 422 and error_fields(response) == ["items.4.period_start"]
    assert leads.measurements.count() == 1
    assert push(apis["owner"], leads, items[:1]).status_code == 403
    assert push(apis["marketer"], leads, []).status_code == 422


def test_list_measurements_constant_queries(apis, leads, django_assert_max_num_queries):
    counter = iter(range(1000))
    assert_constant_queries(apis["viewer"], "/api/kpis/leads/measurements",
                            lambda: Measurement.objects.create(kpi=leads, value=1, period_start=D(2000, 1, 1)
                                                               + datetime.timedelta(days=next(counter))),
                            django_assert_max_num_queries)


# Costs, budgets, value scores, investments -----------------------------------------------------


@pytest.fixture
def usd(settings):
    settings.STEWARD_CURRENCY = "USD"
    settings.STEWARD_FX_RATES = {}
    settings.STEWARD_INTERNAL_RATE = "100"


def test_cost_entries_hide_amounts_from_who_may_not_see_them(apis, people, crm, usd, django_assert_max_num_queries):
    body = {"component": "crm", "year": 2027, "kind": "services", "amount": "5000", "currency": "usd"}
    assert apis["marketer"].post_json("/api/cost-entries", body).status_code == 403  # not the CRM's owner
    response = apis["buyer"].post_json("/api/cost-entries", {**body, "amount": None})
    assert response.status_code == 422 and error_fields(response) == ["amount"]
    response = apis["buyer"].post_json("/api/cost-entries", body)
    assert response.status_code == 201, response.json()
    entry = CostEntry.objects.get()
    assert (entry.amount, entry.currency) == (Decimal("5000.00"), "USD")
    for who, shown in (("viewer", False), ("marketer", False), ("owner", True), ("fin", True)):
        row = apis[who].get(f"/api/cost-entries/{entry.pk}").json()
        assert (row["values_hidden"], row["amount"]) == (not shown, "5000.00" if shown else None), who
    assert_constant_queries(apis["owner"], "/api/cost-entries?year=2027",
                            lambda: CostEntry.objects.create(component=ComponentFactory(), year=2027, amount=1),
                            django_assert_max_num_queries)
    response = apis["buyer"].patch_json(f"/api/cost-entries/{entry.pk}", {"amount": "6000", "version": 1})
    assert response.status_code == 200 and response.json()["amount"] == "6000.00"
    assert apis["buyer"].delete(f"/api/cost-entries/{entry.pk}?version=1").status_code == 409
    assert apis["buyer"].delete(f"/api/cost-entries/{entry.pk}?version=2").status_code == 204


def test_budgets(apis, crm, django_assert_max_num_queries):
    response = apis["buyer"].post_json("/api/budgets", {"year": 2027, "amount": "30000"})
    assert response.status_code == 422 and error_fields(response) == ["component"]
    response = apis["buyer"].post_json("/api/budgets", {"year": 2027, "component": "crm", "amount": "30000"})
    assert response.status_code == 201, response.json()
    assert response.json()["component"] == {"slug": "crm", "name": "CRM"}
    assert apis["viewer"].post_json("/api/budgets", {"year": 2028, "component": "crm", "amount": "1"}
                                    ).status_code == 403
    counter = iter(range(1000))
    assert_constant_queries(apis["viewer"], "/api/budgets?year=2027",
                            lambda: Budget.objects.create(year=2027, component=ComponentFactory(),
                                                          amount=next(counter)), django_assert_max_num_queries)


def test_value_scores_by_the_business_owner(apis, people, crm, django_assert_max_num_queries):
    body = {"component": "crm", "year": 2027, "score": 4, "reasons": "Sales live in it."}
    set_role(people["owner"], "editor")
    assert apis["marketer"].post_json("/api/value-scores", body).status_code == 403
    assert apis["viewer"].post_json("/api/value-scores", body).status_code == 403
    response = apis["owner"].post_json("/api/value-scores", body)
    assert response.status_code == 200, response.json()
    response = apis["owner"].post_json("/api/value-scores", {**body, "score": 5})
    assert response.status_code == 200
    assert list(ValueScore.objects.values_list("score", "scorer__email")) == [(5, "owner@example.com")]
    assert_constant_queries(apis["viewer"], "/api/value-scores?year=2027",
                            lambda: ValueScore.objects.create(component=ComponentFactory(), year=2027,
                                                              scorer=PersonFactory(), score=3, reasons="x"),
                            django_assert_max_num_queries)


def money_kpi(components, values):
    kpi = Kpi.objects.create(name="Pipeline", slug="pipeline", definition="x", unit="USD", value_kind="money",
                             currency="USD")
    kpi.components.set(components)
    for month, value in enumerate(values, start=1):
        Measurement.objects.create(kpi=kpi, period_start=D(2027, month, 1), value=value)
    return kpi


def test_investments_roi_with_its_formula(apis, crm, usd):
    ContractFactory(components=[crm], start_date=D(2027, 1, 1), end_date=D(2027, 12, 31), annual_value=36500)
    CostEntry.objects.create(component=crm, year=2027, kind="services", amount=5000, currency="USD")
    CostEntry.objects.create(component=crm, year=2027, kind="internal", hours=35, currency="USD")
    money_kpi([crm], [20000, 30000, 40000])
    leads = Kpi.objects.create(name="Leads", slug="leads", definition="x", unit="leads")
    leads.components.set([crm])
    Measurement.objects.create(kpi=leads, period_start=D(2027, 1, 1), value=900)
    response = apis["fin"].get("/api/investments?year=2027&component=crm")
    assert response.status_code == 200, response.json()
    [row] = response.json()["items"]
    assert row["values_hidden"] is False
    assert row["licence"] == [{"amount": "36500.00", "currency": "USD"}]
    assert row["services"] == [{"amount": "5000.00", "currency": "USD"}]
    assert row["internal"] == [{"amount": "3500.00", "currency": "USD"}]
    assert row["total"] == [{"amount": "45000.00", "currency": "USD"}]
    assert row["value"] == [{"amount": "90000.00", "currency": "USD"}]
    assert (row["roi"], row["roi_reason"]) == ("1.0000", None)
    assert row["roi_formula"] == "(90,000.00 − 45,000.00) ÷ 45,000.00 USD = 100.0 %"
    assert row["cost_per_unit"] == [{"unit": "leads", "value": "50.00",
                                     "formula": "45,000.00 USD ÷ 900 leads = 50.00"}]
    assert row["seat_utilisation"] == 0.4
    hidden = apis["viewer"].get("/api/investments?year=2027&component=crm").json()["items"][0]
    assert hidden["values_hidden"] is True
    assert [hidden[k] for k in ("licence", "services", "internal", "total", "roi", "roi_formula", "cost_per_unit")
            ] == [None] * 7
    assert hidden["value"] == [{"amount": "90000.00", "currency": "USD"}]
    owner_row = apis["owner"].get("/api/investments?year=2027&component=crm").json()["items"][0]
    assert owner_row["roi"] == "1.0000"


def test_investments_without_cost_give_the_reason(apis, crm, usd):
    money_kpi([crm], [1000])
    [row] = apis["admin"].get("/api/investments?year=2027&component=crm").json()["items"]
    assert (row["roi"], row["roi_formula"]) == (None, None)
    assert row["roi_reason"] == "No cost recorded: ROI is not defined."
    other = ComponentFactory(slug="wiki")
    ValueScore.objects.create(component=other, year=2027, scorer=PersonFactory(), score=4, reasons="Everyone uses it.")
    [row] = apis["admin"].get("/api/investments?year=2027&component=wiki").json()["items"]
    assert row["roi_reason"] == "No money KPI measures this component: see the value score."
    assert (row["value_score"], row["value_scores"]) == ("4.0", 1)


def test_list_investments_constant_queries(apis, people, usd, django_assert_max_num_queries):
    owner = people["owner"].person

    def make():
        component = ComponentFactory(business_owner=owner)
        ContractFactory(components=[component], start_date=D(2027, 1, 1), end_date=D(2027, 12, 31))
        CostEntry.objects.create(component=component, year=2027, amount=10)
        ValueScore.objects.create(component=component, year=2027, scorer=owner, score=3, reasons="x")

    assert_constant_queries(apis["owner"], "/api/investments?year=2027", make, django_assert_max_num_queries)
    response = apis["owner"].get("/api/investments?year=1999")
    assert response.status_code == 422 and error_fields(response) == ["year"]


def test_delete_a_decided_selection(apis, selection):
    candidates, _criteria = ids_of(selection)
    url = f"/api/selections/{selection.pk}"
    response = apis["marketer"].post_json(f"{url}/decision", {"chosen": candidates["Beta"], "reasons": "Cheaper.",
                                                              "version": 1})
    assert response.status_code == 200, response.json()
    assert apis["viewer"].delete(url).status_code == 403
    assert apis["marketer"].delete(f"{url}?version=1").status_code == 409
    assert apis["marketer"].delete(f"{url}?version=2").status_code == 204
    assert not Selection.objects.exists() and not SelectionCandidate.objects.exists()
