import django_filters as filters
from django.db.models import Q

from .choices import DepartmentKindChoices, PersonArchetypeChoices
from .models import Department, Person


class DepartmentFilterSet(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label="Search")
    kind = filters.MultipleChoiceFilter(choices=DepartmentKindChoices.choices)
    ordering = filters.OrderingFilter(fields=(("name", "name"), ("kind", "kind")))

    class Meta:
        model = Department
        fields = ["q", "kind"]


class PersonFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label="Search")
    department = filters.CharFilter(field_name="department__slug", label="Department (slug)")
    archetype = filters.MultipleChoiceFilter(choices=PersonArchetypeChoices.choices)
    available = filters.BooleanFilter()
    has_login = filters.BooleanFilter(field_name="user", lookup_expr="isnull", exclude=True, label="Has a login")
    ordering = filters.OrderingFilter(fields=(("name", "name"), ("department__name", "department")))

    class Meta:
        model = Person
        fields = ["q", "department", "archetype", "available"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(email__icontains=value) | Q(title__icontains=value))
