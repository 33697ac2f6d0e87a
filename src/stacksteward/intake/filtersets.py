"""One filter definition per list, used by the web UI lists and the API lists alike."""

import django_filters as filters
from django.db.models import Q

from .choices import (
    BacklogItemKindChoices,
    BacklogItemStatusChoices,
    CapabilityOfferingChoices,
    FeasibilityChoices,
    IterationStatusChoices,
    RequestStatusChoices,
    ScheduleFieldChoices,
)
from .models import BacklogItem, Capability, Iteration, Milestone, Request, Roadmap, ScheduleChange
from .querysets import CLOSED_ITEM, CLOSED_REQUEST


class CapabilityFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label="Search")
    department = filters.CharFilter(field_name="department__slug", label="Department (slug)")
    offering = filters.MultipleChoiceFilter(choices=CapabilityOfferingChoices.choices)
    active = filters.BooleanFilter(label="Offered for new requests")
    ordering = filters.OrderingFilter(fields=(("name", "name"), ("lead_time_days", "lead_time"),
                                              ("department__name", "department")))

    class Meta:
        model = Capability
        fields = ["q", "department", "offering", "active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value)
                               | Q(can_do__icontains=value) | Q(cannot_do__icontains=value))


class RequestFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label="Search")
    status = filters.MultipleChoiceFilter(choices=RequestStatusChoices.choices)
    open = filters.BooleanFilter(method="filter_open", label="Still open (not measured, declined or withdrawn)")
    capability = filters.CharFilter(field_name="capability__slug", label="Capability (slug)")
    department = filters.CharFilter(field_name="delivering_department__slug", label="Delivering department (slug)")
    requester = filters.NumberFilter(field_name="requester_id", label="Requester (person id)")
    component = filters.CharFilter(field_name="components__slug", label="Component (slug)", distinct=True)
    feasibility = filters.MultipleChoiceFilter(choices=FeasibilityChoices.choices)
    needed_before = filters.DateFilter(field_name="needed_by", lookup_expr="lte", label="Needed by on or before")
    ordering = filters.OrderingFilter(fields=(("created_at", "filed"), ("needed_by", "needed_by"),
                                              ("status", "status"), ("title", "title"),
                                              ("lost_cost_amount", "lost_cost"), ("updated_at", "updated")))

    class Meta:
        model = Request
        fields = ["q", "status", "open", "capability", "department", "requester", "component", "feasibility"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(objective__icontains=value) | Q(why__icontains=value))

    def filter_open(self, queryset, name, value):
        return queryset.exclude(status__in=CLOSED_REQUEST) if value else queryset.filter(status__in=CLOSED_REQUEST)


class BacklogItemFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label="Search")
    kind = filters.MultipleChoiceFilter(choices=BacklogItemKindChoices.choices)
    status = filters.MultipleChoiceFilter(choices=BacklogItemStatusChoices.choices)
    open = filters.BooleanFilter(method="filter_open", label="Still open (not done or cancelled)")
    component = filters.CharFilter(field_name="components__slug", label="Component (slug)", distinct=True)
    request = filters.NumberFilter(field_name="request_id", label="Request (id)")
    iteration = filters.NumberFilter(field_name="iteration_id", label="Iteration (id)")
    unplanned = filters.BooleanFilter(field_name="iteration", lookup_expr="isnull", label="Not in an iteration")
    assignee = filters.NumberFilter(field_name="assignee_id", label="Assignee (person id)")
    overridden = filters.BooleanFilter(field_name="priority_override", lookup_expr="isnull", exclude=True,
                                       label="Priority set by hand")
    ordering = filters.OrderingFilter(fields=(("score", "score"), ("title", "title"), ("effort_days", "effort"),
                                              ("value", "value"), ("created_at", "created"),
                                              ("updated_at", "updated")))

    class Meta:
        model = BacklogItem
        fields = ["q", "kind", "status", "open", "component", "request", "iteration", "assignee"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def filter_open(self, queryset, name, value):
        return queryset.exclude(status__in=CLOSED_ITEM) if value else queryset.filter(status__in=CLOSED_ITEM)


class RoadmapFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label="Search")

    class Meta:
        model = Roadmap
        fields = ["q"]


class IterationFilterSet(filters.FilterSet):
    roadmap = filters.CharFilter(field_name="roadmap__slug", label="Roadmap (slug)")
    status = filters.MultipleChoiceFilter(choices=IterationStatusChoices.choices)
    ends_after = filters.DateFilter(field_name="end", lookup_expr="gte", label="Ends on or after")

    class Meta:
        model = Iteration
        fields = ["roadmap", "status"]


class MilestoneFilterSet(filters.FilterSet):
    roadmap = filters.CharFilter(field_name="roadmap__slug", label="Roadmap (slug)")
    reached = filters.BooleanFilter()

    class Meta:
        model = Milestone
        fields = ["roadmap", "reached"]


class ScheduleChangeFilterSet(filters.FilterSet):
    request = filters.NumberFilter(field_name="request_id", label="Request (id)")
    backlog_item = filters.NumberFilter(field_name="backlog_item_id", label="Backlog item (id)")
    iteration = filters.NumberFilter(field_name="iteration_id", label="Iteration (id)")
    milestone = filters.NumberFilter(field_name="milestone_id", label="Milestone (id)")
    field = filters.MultipleChoiceFilter(choices=ScheduleFieldChoices.choices)
    since = filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label="Recorded on or after")

    class Meta:
        model = ScheduleChange
        fields = ["request", "backlog_item", "iteration", "milestone", "field"]
