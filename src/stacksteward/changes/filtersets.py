"""One filter definition per list, used by the web UI lists and the API lists alike."""

import django_filters as filters
from django.db.models import Q

from stacksteward.org.permissions import department_id_of

from .choices import (
    ApprovalDecisionChoices,
    CalendarEventKindChoices,
    ChangeStatusChoices,
    ChangeTypeChoices,
    MeetingStatusChoices,
    RiskLevelChoices,
)
from .models import CalendarEvent, ChangeRequest, Meeting


class ChangeRequestFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label="Search")
    status = filters.MultipleChoiceFilter(choices=ChangeStatusChoices.choices)
    type = filters.MultipleChoiceFilter(choices=ChangeTypeChoices.choices)
    risk = filters.MultipleChoiceFilter(choices=RiskLevelChoices.choices)
    component = filters.CharFilter(field_name="components__slug", label="Component (slug)", distinct=True)
    requester = filters.NumberFilter(field_name="requester_id", label="Requester (person id)")
    implementer = filters.NumberFilter(field_name="implementer_id", label="Implementer (person id)")
    window_from = filters.IsoDateTimeFilter(field_name="window_end", lookup_expr="gt",
                                            label="Window ends after (ISO date-time)")
    window_to = filters.IsoDateTimeFilter(field_name="window_start", lookup_expr="lt",
                                          label="Window starts before (ISO date-time)")
    awaiting_my_approval = filters.BooleanFilter(method="filter_awaiting_mine",
                                                 label="Awaiting my department's approval")
    ordering = filters.OrderingFilter(fields=(("window_start", "window_start"), ("created_at", "filed"),
                                              ("status", "status"), ("title", "title"),
                                              ("updated_at", "updated")))

    class Meta:
        model = ChangeRequest
        fields = ["q", "status", "type", "risk", "component", "requester", "implementer"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def filter_awaiting_mine(self, queryset, name, value):
        """Changes with a pending approval by the signed-in user's department (none without one); a rejected
        change needs no more decisions."""
        department_id = department_id_of(getattr(self.request, "user", None))
        pending = queryset.model.objects.filter(
            approvals__department_id=department_id, approvals__decision=ApprovalDecisionChoices.PENDING,
        ).exclude(status=ChangeStatusChoices.REJECTED).values("pk")
        if department_id is None:
            return queryset.none() if value else queryset
        return queryset.filter(pk__in=pending) if value else queryset.exclude(pk__in=pending)


class CalendarEventFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label="Search")
    kind = filters.MultipleChoiceFilter(choices=CalendarEventKindChoices.choices)
    component = filters.CharFilter(method="filter_component",
                                   label="Component (slug; events relying on every component included)")
    start_from = filters.IsoDateTimeFilter(field_name="end", lookup_expr="gt", label="Ends after (ISO date-time)")
    start_to = filters.IsoDateTimeFilter(field_name="start", lookup_expr="lt", label="Starts before (ISO date-time)")

    class Meta:
        model = CalendarEvent
        fields = ["q", "kind", "component"]

    def filter_component(self, queryset, name, value):
        return queryset.filter(Q(all_components=True) | Q(components__slug=value)).distinct()


class MeetingFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="title", lookup_expr="icontains", label="Search")
    series = filters.NumberFilter(field_name="series_id", label="Series (id)")
    status = filters.MultipleChoiceFilter(choices=MeetingStatusChoices.choices)
    starts_from = filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte",
                                            label="Starts on or after (ISO date-time)")
    starts_to = filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt",
                                          label="Starts before (ISO date-time)")

    class Meta:
        model = Meeting
        fields = ["q", "series", "status"]
