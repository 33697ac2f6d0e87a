"""One filter definition per list, used by the web UI lists and the API lists alike."""

import django_filters as filters
from django.db.models import Q

from stacksteward.core.api_support import ConcealingOrderingFilter
from stacksteward.org.models import Person

from .choices import (
    ComponentHostingChoices,
    ComponentKindChoices,
    ComponentLifecycleChoices,
    ComponentTierChoices,
    RaciActivityChoices,
    RaciRoleChoices,
    RelationTypeChoices,
    VendorStatusChoices,
)
from .models import Category, Component, DataCategory, RaciAssignment, Relation, Vendor


class ComponentFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label="Search")
    kind = filters.MultipleChoiceFilter(choices=ComponentKindChoices.choices)
    lifecycle = filters.MultipleChoiceFilter(choices=ComponentLifecycleChoices.choices)
    hosting = filters.MultipleChoiceFilter(choices=ComponentHostingChoices.choices)
    tier = filters.MultipleChoiceFilter(choices=ComponentTierChoices.choices)
    category = filters.CharFilter(method="filter_category", label="Category (slug, includes sub-categories)")
    vendor = filters.CharFilter(field_name="vendor__slug", label="Vendor (slug)")
    owner = filters.NumberFilter(method="filter_owner", label="Owner (person id, business or technical)")
    tag = filters.CharFilter(field_name="tags__slug", label="Tag (slug)", distinct=True)
    data_category = filters.CharFilter(field_name="data_categories__key", label="Data category key", distinct=True)
    personal_data = filters.BooleanFilter(method="filter_personal", label="Holds personal data")
    ordering = ConcealingOrderingFilter(  # by cost only among the rows whose cost the caller sees
        fields=(("name", "name"), ("tier", "tier"), ("lifecycle", "lifecycle"), ("annual_cost", "annual_cost"),
                ("updated_at", "updated"), ("vendor__name", "vendor"), ("category__name", "category")),
    )

    class Meta:
        model = Component
        fields = ["q", "kind", "lifecycle", "hosting", "tier", "category", "vendor", "owner", "tag"]

    def search(self, queryset, name, value):
        return queryset.search(value)

    def filter_category(self, queryset, name, value):
        return queryset.filter(Q(category__slug=value) | Q(category__parent__slug=value))

    def filter_owner(self, queryset, name, value):
        return queryset.filter(Q(business_owner_id=value) | Q(technical_owner_id=value))

    def filter_personal(self, queryset, name, value):
        personal = Q(data_categories__is_personal=True)
        return (queryset.filter(personal) if value else queryset.exclude(personal)).distinct()


class VendorFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label="Search")
    status = filters.MultipleChoiceFilter(choices=VendorStatusChoices.choices)
    ordering = filters.OrderingFilter(fields=(("name", "name"), ("status", "status"), ("updated_at", "updated")))

    class Meta:
        model = Vendor
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(notes__icontains=value))


class CategoryFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label="Search")
    parent = filters.CharFilter(field_name="parent__slug", label="Group (slug)")
    top_level = filters.BooleanFilter(field_name="parent", lookup_expr="isnull", label="Top-level groups only")

    class Meta:
        model = Category
        fields = ["q", "parent", "top_level"]


class RelationFilterSet(filters.FilterSet):
    component = filters.CharFilter(method="filter_component", label="Component (slug, either end)")
    source = filters.CharFilter(field_name="source__slug", label="From (slug)")
    target = filters.CharFilter(field_name="target__slug", label="To (slug)")
    type = filters.MultipleChoiceFilter(choices=RelationTypeChoices.choices)
    data_category = filters.CharFilter(field_name="data_categories__key", distinct=True)

    class Meta:
        model = Relation
        fields = ["component", "source", "target", "type"]

    def filter_component(self, queryset, name, value):
        return queryset.filter(Q(source__slug=value) | Q(target__slug=value))


class RaciAssignmentFilterSet(filters.FilterSet):
    component = filters.CharFilter(field_name="component__slug", label="Component (slug)")
    activity = filters.MultipleChoiceFilter(choices=RaciActivityChoices.choices)
    role = filters.MultipleChoiceFilter(choices=RaciRoleChoices.choices)
    department = filters.CharFilter(field_name="department__slug", label="Department (slug)")
    person = filters.ModelChoiceFilter(queryset=Person.objects.all())

    class Meta:
        model = RaciAssignment
        fields = ["component", "activity", "role", "department", "person"]


class DataCategoryFilterSet(filters.FilterSet):
    personal = filters.BooleanFilter(field_name="is_personal")

    class Meta:
        model = DataCategory
        fields = ["personal"]
