"""API for what every area shares: tags and the audit log."""

import django_filters
from django.core.validators import RegexValidator
from django.db.models import Q
from ninja import Query, Router

from .api_support import LIST_ERRORS, PageParams, apply_filters, errors, filter_schema, page_schema, paginate
from .choices import AuditActionChoices, AuditSourceChoices
from .models import AuditEntry, Tag
from .permissions import is_admin
from .schemas import AuditEntryOut, TagOut

router = Router(tags=["core"])

# Audit entries about accounts and tokens are for admins only.
ADMIN_ONLY_AUDIT = (("auth", "user"), ("org", "apitoken"))


class AuditEntryFilterSet(django_filters.FilterSet):
    object_type = django_filters.CharFilter(
        method="filter_object_type", label="Object type (app_label.model, e.g. catalog.component)",
        validators=[RegexValidator(r"^[a-z_]+\.[a-z_]+$", "Use app_label.model, e.g. catalog.component.")],
    )
    object_id = django_filters.CharFilter(field_name="object_id", label="Object id")
    actor = django_filters.CharFilter(method="filter_actor", label="Actor (username, or a name such as cli or system)")
    action = django_filters.MultipleChoiceFilter(choices=AuditActionChoices.choices)
    source = django_filters.MultipleChoiceFilter(choices=AuditSourceChoices.choices)
    since = django_filters.IsoDateTimeFilter(field_name="timestamp", lookup_expr="gte",
                                             label="Since (ISO 8601 date-time, inclusive)")
    until = django_filters.IsoDateTimeFilter(field_name="timestamp", lookup_expr="lt",
                                             label="Before (ISO 8601 date-time)")

    class Meta:
        model = AuditEntry
        fields = ["object_type", "object_id", "actor", "action", "source", "since", "until"]

    def filter_object_type(self, queryset, name, value):
        app_label, model = value.split(".", 1)
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)

    def filter_actor(self, queryset, name, value):
        return queryset.filter(Q(actor__username=value) | Q(actor_name=value))


def visible_audit_entries(user, queryset=None):
    """Audit entries the user may read, with what an entry row shows in one query."""
    queryset = (AuditEntry.objects.all() if queryset is None else queryset).select_related(
        "content_type", "related_content_type", "actor"
    )
    if not is_admin(user):
        for app_label, model in ADMIN_ONLY_AUDIT:
            queryset = queryset.exclude(content_type__app_label=app_label, content_type__model=model)
    return queryset


AuditEntryFilters = filter_schema(AuditEntryFilterSet)


@router.get("/audit", response={200: page_schema(AuditEntryOut), **errors(*LIST_ERRORS)})
def list_audit_entries(request, filters: Query[AuditEntryFilters], page: Query[PageParams]):
    """Every recorded change, newest first: who, when, from where, before and after."""
    queryset = apply_filters(AuditEntryFilterSet, request, visible_audit_entries(request.auth))
    return paginate(queryset, page)


@router.get("/tags", response={200: page_schema(TagOut), **errors(*LIST_ERRORS)})
def list_tags(request, page: Query[PageParams]):
    """Tags in use on components (created by naming them on a component)."""
    return paginate(Tag.objects.restrict(request.auth, "view"), page)
