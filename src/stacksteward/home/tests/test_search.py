"""The site-wide search finds every kind of record by its key and its words, and nothing anyone may not see."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stacksteward.catalog.models import Category
from stacksteward.catalog.taxonomy import category_matches, initials
from stacksteward.catalog.tests.factories import ComponentFactory, VendorFactory
from stacksteward.changes.tests.factories import ChangeRequestFactory
from stacksteward.core.policies import ADMIN, person_is
from stacksteward.core.roles import set_role
from stacksteward.finance.models import Kpi
from stacksteward.finance.tests.factories import ContractFactory
from stacksteward.home.search import find
from stacksteward.intake.policies import REQUESTS
from stacksteward.intake.tests.factories import BacklogItemFactory, RequestFactory
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _member(username, role, department):
    user = UserFactory(username=username, first_name=username.capitalize())
    set_role(user, role)
    PersonFactory(name=f"{username.capitalize()} Member", department=department, user=user)
    return user


@pytest.fixture
def marketer():
    return _member("marketer", "viewer", DepartmentFactory(name="Marketing", slug="marketing", kind="marketing"))


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _titles(actor, text) -> dict[str, list[str]]:
    return {title: [hit.title for hit in hits] for title, hits in find(actor, text) if hits}


def test_search_finds_a_request_by_its_key_and_its_words(viewer):
    request = RequestFactory(title="Spring campaign landing page", objective="Visitors register for the demo day.")
    RequestFactory(title="Something else")

    for text in (f"R-{request.pk}", f"r{request.pk}", f"R {request.pk}"):
        assert _titles(viewer, text)["Requests"] == [f"R-{request.pk}: Spring campaign landing page"]
    assert _titles(viewer, "demo day")["Requests"] == [f"R-{request.pk}: Spring campaign landing page"]
    # the key's letter names the kind: R-5 is no change and no backlog item
    assert set(_titles(viewer, f"R-{request.pk}")) == {"Requests"}


def test_search_finds_a_change_by_its_key_and_its_words(viewer):
    change = ChangeRequestFactory(title="Switch on single sign-on", description="SAML for the design tool.")
    assert _titles(viewer, f"C-{change.pk}")["Changes"] == [f"C-{change.pk}: Switch on single sign-on"]
    assert _titles(viewer, "saml")["Changes"] == [f"C-{change.pk}: Switch on single sign-on"]


def test_search_finds_a_backlog_item_by_its_key_its_short_name_and_its_words(viewer):
    item = BacklogItemFactory(title="Webinar sign-up form", key="webinar-form", description="Embed on the events page.")
    expected = [f"B-{item.pk}: Webinar sign-up form"]
    assert _titles(viewer, f"B-{item.pk}")["Backlog items"] == expected
    assert _titles(viewer, "webinar-form")["Backlog items"] == expected
    assert _titles(viewer, "events page")["Backlog items"] == expected


def test_search_finds_a_contract_by_reference_vendor_and_component_never_by_value(viewer):
    crm = ComponentFactory(name="Northwind CRM")
    contract = ContractFactory(vendor=VendorFactory(name="Northwind"), reference="PO-7781", components=[crm],
                               annual_value=48250)
    for text in ("po-7781", "northwind", "Northwind CRM"):
        assert _titles(viewer, text)["Contracts"] == [str(contract)], text
    assert "Contracts" not in _titles(viewer, "48250")


def test_search_finds_vendors_people_departments_and_kpis(viewer):
    VendorFactory(name="Bluebird Analytics")
    PersonFactory(name="Jane Holt", title="Head of Growth", department=DepartmentFactory(name="Growth"))
    Kpi.objects.create(name="Qualified pipeline", slug="qualified-pipeline", definition="Opportunities from "
                       "marketing-sourced leads.", unit="USD")

    assert _titles(viewer, "bluebird")["Vendors"] == ["Bluebird Analytics"]
    assert _titles(viewer, "head of growth")["People"] == ["Jane Holt"]
    assert _titles(viewer, "growth")["Departments"] == ["Growth"]
    assert _titles(viewer, "sourced leads")["KPIs"] == ["Qualified pipeline"]


def test_search_finds_components_by_category_initials_and_synonym(viewer):
    cdp = Category.objects.get(name="Customer Data Platforms")
    segment = ComponentFactory(name="Segment", category=cdp)
    shop = ComponentFactory(name="Shopify Plus", category=Category.objects.get(name="Ecommerce Platforms & Carts"))
    ComponentFactory(name="Unrelated")

    found = _titles(viewer, "cdp")
    assert found["Components"] == [segment.name]
    assert found["Categories"] == ["Customer Data Platforms"]
    assert _titles(viewer, "customer data")["Components"] == [segment.name]
    assert _titles(viewer, "shop")["Components"] == [shop.name]  # a synonym of Ecommerce Platforms & Carts
    # a group finds the components of its sub-categories
    assert _titles(viewer, "Data")["Components"] == [segment.name]


def test_category_initials_and_matches():
    assert initials("Customer Data Platforms") == "cdp"
    assert initials("iPaaS, Data Integration & Tag Management") == "iditm"
    assert initials("Events, Meetings & Webinars") == "emw"
    assert category_matches("CDP", "Customer Data Platforms")
    assert category_matches("esp", "Email Marketing")
    assert not category_matches("cd", "Customer Data Platforms")  # neither in the name nor all its initials
    assert not category_matches("cdp", "Data Management Platforms")


def test_a_marketer_does_not_find_a_request_they_may_not_see(marketer, monkeypatch):
    # Requests seen only by their requester (and admins): the search asks the policy's rows, whatever the rule.
    monkeypatch.setattr(REQUESTS, "view", ADMIN | person_is("requester"))
    own = RequestFactory(title="Budget planning dashboard", requester=marketer.person)
    other = RequestFactory(title="Budget review for Finance")

    assert _titles(marketer, "budget")["Requests"] == [f"R-{own.pk}: Budget planning dashboard"]
    assert "Requests" not in _titles(marketer, f"R-{other.pk}")
    content = _client(marketer).get(reverse("search"), {"q": "budget"}).content.decode()
    assert "Budget planning dashboard" in content and "Budget review for Finance" not in content


def test_search_results_show_no_money_to_anyone(viewer, marketer, admin_user):
    crm = ComponentFactory(name="Northwind CRM", annual_cost=98765)
    ContractFactory(vendor=VendorFactory(name="Northwind"), reference="PO-1", components=[crm], annual_value=48250)
    RequestFactory(title="Northwind sync", lost_cost_amount=1234, estimate_cost=5678)
    for user in (viewer, marketer, admin_user):
        content = _client(user).get(reverse("search"), {"q": "northwind"}).content.decode()
        assert "Northwind CRM" in content and "PO-1" in content and "Northwind sync" in content
        for figure in ("98765", "98,765", "48250", "48,250", "1234", "1,234", "5678", "5,678"):
            assert figure not in content, (user.username, figure)


def test_search_runs_one_query_per_kind_however_many_hits(viewer_client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = viewer_client.get(reverse("search"), {"q": "northwind"})
        assert response.status_code == 200
        return len(captured), response.content.decode()

    ComponentFactory(name="Northwind CRM")
    few, _ = queries()
    vendor = VendorFactory(name="Northwind")
    for n in range(15):
        component = ComponentFactory(name=f"Northwind tool {n}")
        ContractFactory(vendor=vendor, reference=f"NW-{n}", components=[component])
        RequestFactory(title=f"Northwind request {n}")
        ChangeRequestFactory(title=f"Northwind change {n}")
        BacklogItemFactory(title=f"Northwind item {n}")
    many, content = queries()
    assert many == few
    assert len(re.findall(r"Northwind request \d+", content)) == 15


def test_search_page_headings_name_each_kind(viewer_client):
    RequestFactory(title="Northwind sync", needed_by=datetime.date(2027, 3, 1))
    content = viewer_client.get(reverse("search"), {"q": "northwind"}).content.decode()
    assert 'data-testid="search-requests"' in content
    assert "needed by 1 Mar 2027" in content
