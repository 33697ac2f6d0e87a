"""One filter definition per list, used by the web UI lists and the API lists alike."""

import datetime

import django_filters as filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .choices import ContractStatusChoices, CostKindChoices, RenewalTypeChoices, SelectionStatusChoices
from .models import Budget, Contract, CostEntry, Kpi, Objective, RenewalDecision, Selection, ValueScore
from .models.contracts import LIVE

DEADLINE_STATE_CHOICES = (
    ("overdue", "Overdue: past the notice deadline, no decision"),
    ("due", "Due: the notice deadline within 30 days"),
    ("upcoming", "Up for renewal: within the lead time"),
    ("ok", "Not yet up for renewal"),
    ("decided", "Decided: a decision is recorded, the term still live"),
    ("closed", "Closed: not live (draft, renewed, cancelled or expired)"),
)


def deadline_state_q(state: str, on: datetime.date) -> Q:
    """The database form of ``services.deadline_state`` for live contracts (the two must agree)."""
    from .services import renewal_lead_days

    decided = Exists(RenewalDecision.objects.filter(contract=OuterRef("pk")))
    live = Q(status__in=LIVE)
    if state == "closed":
        return ~live
    if state == "decided":
        return live & Q(decided)
    undecided = live & ~Q(decided)
    due_until = on + datetime.timedelta(days=30)
    lead_until = on + datetime.timedelta(days=renewal_lead_days())
    if state == "overdue":
        return undecided & Q(notice_deadline__lt=on)
    if state == "due":
        return undecided & Q(notice_deadline__gte=on, notice_deadline__lte=due_until)
    if state == "upcoming":
        return undecided & Q(notice_deadline__gt=due_until, notice_deadline__lte=lead_until)
    return undecided & Q(notice_deadline__gt=lead_until)


class ContractFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label="Search")
    status = filters.MultipleChoiceFilter(choices=ContractStatusChoices.choices)
    vendor = filters.CharFilter(field_name="vendor__slug", label="Vendor (slug)")
    component = filters.CharFilter(field_name="components__slug", label="Component (slug)", distinct=True)
    deadline_state = filters.MultipleChoiceFilter(choices=DEADLINE_STATE_CHOICES, method="filter_deadline_state",
                                                  label="Deadline state")
    notice_before = filters.DateFilter(field_name="notice_deadline", lookup_expr="lte",
                                       label="Notice deadline on or before")
    renewal_type = filters.MultipleChoiceFilter(choices=RenewalTypeChoices.choices)
    dpa_signed = filters.BooleanFilter(label="Data processing agreement signed")
    owner = filters.NumberFilter(method="filter_owner",
                                 label="Person (id): business owner, procurement owner or legal reviewer")
    ordering = filters.OrderingFilter(fields=(("notice_deadline", "notice_deadline"), ("end_date", "end_date"),
                                              ("reference", "reference"), ("vendor__name", "vendor"),
                                              ("status", "status"), ("updated_at", "updated")))

    class Meta:
        model = Contract
        fields = ["q", "status", "vendor", "component", "deadline_state", "notice_before", "renewal_type",
                  "dpa_signed", "owner"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(reference__icontains=value) | Q(vendor__name__icontains=value)
                               | Q(notes__icontains=value))

    def filter_deadline_state(self, queryset, name, value):
        if not value:
            return queryset
        on = timezone.localdate()
        condition = Q()
        for state in value:
            condition |= deadline_state_q(state, on)
        return queryset.filter(condition)

    def filter_owner(self, queryset, name, value):
        return queryset.filter(Q(business_owner_id=value) | Q(procurement_owner_id=value)
                               | Q(legal_reviewer_id=value))


class SelectionFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label="Search")
    status = filters.MultipleChoiceFilter(choices=SelectionStatusChoices.choices)
    request = filters.NumberFilter(field_name="request_id", label="Request (id)")
    replaces = filters.CharFilter(field_name="replaces__slug", label="Replaces component (slug)")
    ordering = filters.OrderingFilter(fields=(("created_at", "created"), ("title", "title"), ("status", "status"),
                                              ("updated_at", "updated")))

    class Meta:
        model = Selection
        fields = ["q", "status", "request", "replaces"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(need__icontains=value))


class ObjectiveFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label="Search")
    owner = filters.NumberFilter(field_name="owner_id", label="Owner (person id)")
    active_on = filters.DateFilter(method="filter_active_on", label="Period includes this date")

    class Meta:
        model = Objective
        fields = ["q", "owner", "active_on"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(period_start__lte=value, period_end__gte=value)


class KpiFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label="Search")
    objective = filters.NumberFilter(field_name="objective_id", label="Objective (id)")
    component = filters.CharFilter(field_name="components__slug", label="Component (slug)", distinct=True)
    request = filters.NumberFilter(field_name="request_id", label="Request (id)")
    value_kind = filters.MultipleChoiceFilter(choices=Kpi._meta.get_field("value_kind").choices)
    ordering = filters.OrderingFilter(fields=(("name", "name"), ("updated_at", "updated")))

    class Meta:
        model = Kpi
        fields = ["q", "objective", "component", "request", "value_kind"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(definition__icontains=value))


class BudgetFilterSet(filters.FilterSet):
    year = filters.NumberFilter()
    component = filters.CharFilter(field_name="component__slug", label="Component (slug)")
    category = filters.CharFilter(field_name="category__slug", label="Category (slug)")
    currency = filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Budget
        fields = ["year", "component", "category", "currency"]


class CostEntryFilterSet(filters.FilterSet):
    year = filters.NumberFilter()
    component = filters.CharFilter(field_name="component__slug", label="Component (slug)")
    kind = filters.MultipleChoiceFilter(choices=CostKindChoices.choices)

    class Meta:
        model = CostEntry
        fields = ["year", "component", "kind"]


class ValueScoreFilterSet(filters.FilterSet):
    year = filters.NumberFilter()
    component = filters.CharFilter(field_name="component__slug", label="Component (slug)")
    scorer = filters.NumberFilter(field_name="scorer_id", label="Scorer (person id)")

    class Meta:
        model = ValueScore
        fields = ["year", "component", "scorer"]
