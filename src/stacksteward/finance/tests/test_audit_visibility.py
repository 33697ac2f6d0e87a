"""The audit log keeps every old and new contract value: only those who see all money read those entries."""

import datetime

from django.test import Client

from stacksteward.catalog.tests.factories import ComponentFactory, VendorFactory
from stacksteward.finance import services
from stacksteward.org.tests.factories import DepartmentFactory

from .test_services import member


def test_contract_and_cost_audit_entries_are_hidden_from_people_who_may_not_see_money(db, api_as, admin_user):
    buyer = member("buyer", DepartmentFactory(kind="procurement"))
    outsider = member("outsider", DepartmentFactory(kind="product"))
    component = ComponentFactory(name="CRM")
    services.contract_create(actor=buyer, data={
        "vendor": VendorFactory(), "reference": "SECRET-1", "start_date": datetime.date(2027, 1, 1),
        "end_date": datetime.date(2027, 12, 31), "annual_value": 98765, "currency": "USD", "status": "active"})
    services.cost_entry_create(actor=buyer, data={"component": component, "year": 2027, "kind": "services",
                                                  "amount": 4321, "currency": "USD"})

    def api_types(user):
        body = api_as(user).get("/api/audit?limit=500").json()
        return {item["object_type"] for item in body["items"]}

    assert {"finance.contract", "finance.costentry"} <= api_types(buyer)
    assert {"finance.contract", "finance.costentry"} <= api_types(admin_user)
    assert not {"finance.contract", "finance.costentry"} & api_types(outsider)

    client = Client()
    client.force_login(outsider)
    page = client.get("/audit/").content.decode()
    assert "SECRET-1" not in page and "98765" not in page
    assert "4321" not in client.get(component.get_absolute_url()).content.decode()
    client.force_login(buyer)
    assert "SECRET-1" in client.get("/audit/").content.decode()
