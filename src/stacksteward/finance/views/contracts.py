"""Contracts: the list with deadline colours, the contract page with its renewal decision and documents."""

import datetime

import django_filters
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from stacksteward.catalog.models import Component, Vendor
from stacksteward.core.exceptions import StaleVersionError
from stacksteward.core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    history_url,
    object_history,
)
from stacksteward.org.models import Person

from .. import services
from ..filtersets import ContractFilterSet
from ..forms import ContractDocumentForm, RenewalDecisionForm
from ..models import Contract, ContractDocument
from ..models.contracts import LIVE
from ..policies import CONTRACT_DOCUMENTS, CONTRACTS, sees_all_money
from .common import HIDDEN_VALUE_NOTE, add_errors, require, today

STATE_LABELS = {
    "overdue": "Notice deadline missed",
    "due": "Due within 30 days",
    "upcoming": "Up for renewal",
    "ok": "In term",
    "decided": "Decided",
    "closed": "Closed",
}
CHAIN_LIMIT = 25


def contract_queryset(user):
    return Contract.objects.restrict(user, "view").select_related(
        "vendor", "business_owner", "procurement_owner", "legal_reviewer", "previous").prefetch_related("components")


def mark_contracts(user, contracts, on: datetime.date) -> list[Contract]:
    """Set ``state``, ``state_label``, ``days_left`` and ``shows_money`` on each (no queries beyond the person)."""
    contracts = list(contracts)
    all_values = sees_all_money(user)
    for contract in contracts:
        decided = getattr(contract, "decision_count", None)
        contract.state = services.deadline_state(contract, on, decided=None if decided is None else decided > 0)
        contract.state_label = STATE_LABELS[contract.state]
        contract.days_left = (contract.notice_deadline - on).days
        contract.days_overdue = -contract.days_left
        contract.shows_money = all_values or CONTRACTS.shows(user, "money", contract)
    return contracts


class ContractListFilterSet(ContractFilterSet):
    """The list's filters, plus the "next N days" view (kept as a hidden field while other filters change)."""

    within = django_filters.NumberFilter(method="filter_within", widget=forms.HiddenInput,
                                         label="Notice deadline within (days)")

    def filter_within(self, queryset, name, value):
        """Live contracts whose notice deadline falls within the days asked for, and those already missed."""
        if not value or value <= 0:
            return queryset
        days = min(int(value), 3660)
        return queryset.filter(status__in=LIVE, notice_deadline__lte=today() + datetime.timedelta(days=days))


class ContractListView(ObjectListView):
    """The list of ``resources.CONTRACTS``: deadline colours, the "next N days" view, filters by who is named."""

    more_filters = ("vendor", "component", "owner", "dpa_signed", "renewal_type")

    def within(self) -> int | None:
        raw = self.request.GET.get("within") or ""
        return int(raw) if raw.isdigit() and 0 < int(raw) <= 3660 else None

    def get_queryset(self):
        return super().get_queryset().with_list_data()

    def tune_filter_form(self, form):
        vendors = Vendor.objects.filter(contracts__isnull=False).distinct().order_by("name").only("slug", "name")
        form.fields["vendor"] = forms.ChoiceField(label="Vendor", required=False,
                                                  choices=[("", "Any"), *[(v.slug, v.name) for v in vendors]])
        components = (Component.objects.filter(contracts__isnull=False).distinct().order_by("name")
                      .only("slug", "name"))
        form.fields["component"] = forms.ChoiceField(
            label="Covers the tool", required=False, choices=[("", "Any"), *[(c.slug, c.name) for c in components]])
        people = Person.objects.filter(Q(contracts_owned__isnull=False) | Q(contracts_procured__isnull=False)
                                       | Q(contracts_reviewed__isnull=False)).distinct().order_by("name")
        form.fields["owner"] = forms.ChoiceField(
            label="Owner, buyer or legal reviewer", required=False,
            choices=[("", "Anyone"), *[(str(p.pk), p.name) for p in people.only("id", "name")]])
        form.fields["notice_before"].widget = forms.DateInput(attrs={"type": "date"})

    def get_context_data(self, **kwargs):
        page = kwargs["page"]
        page.object_list = mark_contracts(self.request.user, page.object_list, today())
        kwargs["objects"] = page.object_list
        within = self.within()
        if within:
            kwargs["title"] = f"Notice deadlines in the next {within} days"
            kwargs["intro"] = ("Live contracts whose notice deadline falls in the next "
                               f"{within} days — and any already missed with nobody deciding.")
        return {**kwargs, "within": within, "lead_days": services.renewal_lead_days(),
                "hidden_value_note": HIDDEN_VALUE_NOTE}


def renewal_chain(user, contract) -> tuple[list[Contract], list[Contract]]:
    """(earlier terms, oldest first; later terms, in order) — one query per term, at most CHAIN_LIMIT each way."""
    visible = Contract.objects.restrict(user, "view").prefetch_related("decisions")
    earlier, current = [], contract
    while current.previous_id and len(earlier) < CHAIN_LIMIT:
        current = visible.filter(pk=current.previous_id).first()
        if current is None:
            break
        earlier.append(current)
    later, current = [], contract
    while len(later) < CHAIN_LIMIT:
        current = visible.filter(previous=current).first()
        if current is None:
            break
        later.append(current)
    return list(reversed(earlier)), later


def contract_page(request, contract, *, status=200, **overrides):
    user = request.user
    on = today()
    [contract] = mark_contracts(user, [contract], on)
    decisions = list(contract.decisions.all())
    earlier, later = renewal_chain(user, contract)
    can_write = CONTRACT_DOCUMENTS.allows(user, "add")
    context = {
        "object": contract,
        "contract": contract,
        "verbose_name": "contract",
        "today": on,
        "decisions": decisions,
        "earlier": earlier,
        "later": later,
        "documents": list(contract.documents.all()),
        "reminders": list(contract.reminders.all()),
        "can_write": can_write,
        "can_change": CONTRACTS.allows(user, "change", contract),
        "can_delete": CONTRACTS.allows(user, "delete", contract) and contract.status == "draft",
        "can_decide": CONTRACTS.allows(user, "decide", contract) and contract.status in LIVE and not decisions,
        "decision_form": RenewalDecisionForm(initial={"version": contract.version}),
        "document_form": ContractDocumentForm(),
        "hidden_value_note": HIDDEN_VALUE_NOTE,
        "lead_days": services.renewal_lead_days(),
        # The history shows every value the contract ever had: only for those who may see its money.
        "history": object_history(contract) if contract.shows_money else [],
        "history_url": history_url(contract) if contract.shows_money else "",
    }
    context.update(overrides)
    return render(request, "finance/contract.html", context, status=status)


class ContractDetailView(ObjectDetailView):
    """The contract's page: its renewal decision, the terms before and after, documents and reminders."""

    def get_queryset(self):
        return contract_queryset(self.request.user)

    def get(self, request, *args, **kwargs):
        return contract_page(request, self.get_object())


@require_POST
def contract_decide(request, pk):
    """Record the renewal decision; any error writes nothing and shows the form again with the errors."""
    contract = get_object_or_404(contract_queryset(request.user), pk=pk)
    require(CONTRACTS, request.user, "decide", contract)
    form = RenewalDecisionForm(data=request.POST)
    if not form.is_valid():
        return contract_page(request, contract, decision_form=form)
    data = form.cleaned_data
    try:
        record = services.contract_decide(contract, actor=request.user, decision=data["decision"],
                                          reasons=data["reasons"], new_seats=data["new_seats"],
                                          notice_sent_on=data["notice_sent_on"], expected_version=data["version"])
    except StaleVersionError as exc:
        fresh = get_object_or_404(contract_queryset(request.user), pk=pk)
        form = RenewalDecisionForm(data={**request.POST.dict(), "version": fresh.version})
        form.is_valid()
        return contract_page(request, fresh, decision_form=form, conflict=exc.message, status=409)
    except ValidationError as exc:
        add_errors(form, exc)
        return contract_page(request, contract, decision_form=form)
    contract.refresh_from_db()
    follower = Contract.objects.filter(previous=contract).first()
    if follower is not None:
        messages.success(request, f"Decision recorded: {record.get_decision_display().lower()}. The next term "
                                  f"runs {follower.start_date:%d %b %Y} – {follower.end_date:%d %b %Y}.")
        return redirect(follower.get_absolute_url())
    messages.success(request, f"Decision recorded: {record.get_decision_display().lower()}.")
    return redirect(contract.get_absolute_url())


@require_POST
def contract_document_add(request, pk):
    contract = get_object_or_404(contract_queryset(request.user), pk=pk)
    require(CONTRACT_DOCUMENTS, request.user, "add")
    form = ContractDocumentForm(data=request.POST)
    if form.is_valid():
        try:
            services.document_create(actor=request.user, data={**form.cleaned_data, "contract": contract})
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Added the document “{form.cleaned_data['title']}”.")
            return redirect(f"{contract.get_absolute_url()}#documents")
    return contract_page(request, contract, document_form=form)


@require_POST
def contract_document_delete(request, pk, document_pk):
    contract = get_object_or_404(contract_queryset(request.user), pk=pk)
    require(CONTRACT_DOCUMENTS, request.user, "delete")
    document = get_object_or_404(ContractDocument, pk=document_pk, contract=contract)
    services.document_delete(document, actor=request.user)
    messages.success(request, f"Removed the document “{document.title}”.")
    return redirect(f"{contract.get_absolute_url()}#documents")


class ContractFormView(ObjectFormView):
    """The contract's form shows its money fields only to those who may see them."""

    def get_queryset(self):
        return contract_queryset(self.request.user)

    def get_form(self, obj=None, data=None):
        shows_money = obj is None or CONTRACTS.shows(self.request.user, "money", obj)
        initial = None if data is not None else self.get_initial()
        return self.form_class(data=data, instance=obj, initial=initial, shows_money=shows_money)

    def get_initial(self):
        return {"currency": settings.STEWARD_CURRENCY, "status": "draft"}

    def render_form(self, form, obj, status=200, **extra):
        if obj is not None and "annual_value" not in form.fields:
            extra.setdefault("help_text", f"{self.help_text} {HIDDEN_VALUE_NOTE} The value stays as it is.")
        return super().render_form(form, obj, status=status, **extra)


class ContractDeleteView(ObjectDeleteView):
    def get_context_data(self, **kwargs):
        obj = kwargs["object"]
        if obj.status != "draft" and "error" not in kwargs:
            kwargs["error"] = ("Only draft contracts can be deleted; record a renewal decision (cancel) or let it "
                               "expire instead.")
        return kwargs

    def get_queryset(self):
        return contract_queryset(self.request.user)


def contract_list_url(within: int | None = None) -> str:
    url = reverse("finance:contract_list")
    return f"{url}?within={within}" if within else url
