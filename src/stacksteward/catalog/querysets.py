from django.db.models import Count, Q

from stacksteward.core.querysets import RestrictedQuerySet


class ComponentQuerySet(RestrictedQuerySet):
    def with_list_data(self):
        """Everything a list row shows, in a constant number of queries."""
        return self.select_related(
            "category", "category__parent", "vendor", "business_owner", "technical_owner"
        ).prefetch_related("tags", "data_categories")

    def active(self):
        return self.exclude(lifecycle="retired")

    def with_relation_counts(self):
        return self.annotate(
            downstream_count=Count("outgoing_relations", distinct=True),
            upstream_count=Count("incoming_relations", distinct=True),
        )

    def holding_personal_data(self):
        return self.filter(data_categories__is_personal=True).distinct()

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text) | Q(slug__icontains=text) | Q(description__icontains=text)
            | Q(vendor__name__icontains=text) | Q(tags__name__iexact=text)
        ).distinct()


class RelationQuerySet(RestrictedQuerySet):
    def with_list_data(self):
        return self.select_related("source", "target").prefetch_related("data_categories")
