"""Contracts in the change calendar's ICS feed: the notice deadlines and end dates of the live contracts
a user cares about, as all-day events — contracts the user's person owns (business owner, procurement
owner, legal reviewer), contracts covering a component the person owns (business or technical owner),
and every live contract for people in finance, procurement and legal. No money is put in the feed.
Registered with ``changes.calendar.register_feed_source`` (finance builds on change control, not the
other way round)."""

import datetime

from django.db.models import Q

from stacksteward.catalog.models import Component
from stacksteward.changes.calendar import calendar_event

from .choices import RenewalTypeChoices
from .models import Contract
from .policies import MONEY_DEPARTMENT_KINDS


def my_contracts(user, start: datetime.date, end: datetime.date):
    """Live contracts with a notice deadline or an end date in [start, end] that the user cares about."""
    person = getattr(user, "person", None)
    if person is None:
        return Contract.objects.none()
    contracts = Contract.objects.live().filter(Q(notice_deadline__range=(start, end)) | Q(end_date__range=(start, end)))
    if not (person.department_id and person.department.kind in MONEY_DEPARTMENT_KINDS):
        owned = Component.objects.filter(Q(business_owner=person) | Q(technical_owner=person)).values("pk")
        contracts = contracts.filter(Q(business_owner=person) | Q(procurement_owner=person)
                                     | Q(legal_reviewer=person) | Q(components__in=owned)).distinct()
    return contracts.select_related("vendor").order_by("notice_deadline", "pk")


def contract_events(contract, *, host: str, base_url: str, start: datetime.date, end: datetime.date) -> list:
    url = base_url + contract.get_absolute_url()
    renewal = ("renews by itself unless notice is given" if contract.renewal_type == RenewalTypeChoices.AUTO
               else "ends unless it is renewed by hand")
    events = []
    if start <= contract.notice_deadline <= end:
        events.append(calendar_event(
            f"contract-{contract.pk}-notice-{contract.notice_deadline:%Y%m%d}@{host}",
            f"Notice deadline: {contract}", contract.notice_deadline,
            contract.notice_deadline + datetime.timedelta(days=1), url=url, categories=["contract", "notice"],
            description=f"Last day to cancel or renegotiate: the contract {renewal} on "
                        f"{contract.end_date:%Y-%m-%d}. Record the renewal decision in Stack Steward."))
    if start <= contract.end_date <= end:
        events.append(calendar_event(
            f"contract-{contract.pk}-end-{contract.end_date:%Y%m%d}@{host}", f"Contract ends: {contract}",
            contract.end_date, contract.end_date + datetime.timedelta(days=1), url=url,
            categories=["contract", "end"], description=f"Last day of the term; the contract {renewal}."))
    return events


def contract_feed(user, *, host: str, base_url: str, start: datetime.date, end: datetime.date) -> list:
    return [event for contract in my_contracts(user, start, end)
            for event in contract_events(contract, host=host, base_url=base_url, start=start, end=end)]
