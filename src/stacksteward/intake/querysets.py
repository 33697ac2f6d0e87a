from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce

from stacksteward.core.choices import QuestionStatusChoices
from stacksteward.core.querysets import RestrictedQuerySet

from .choices import BacklogItemStatusChoices, RequestStatusChoices

CLOSED_REQUEST = (RequestStatusChoices.MEASURED, RequestStatusChoices.DECLINED, RequestStatusChoices.WITHDRAWN)
CLOSED_ITEM = (BacklogItemStatusChoices.DONE, BacklogItemStatusChoices.CANCELLED)


def open_question_count(model):
    """An annotation: how many open questions are asked about each row (one subquery, any row count)."""
    from stacksteward.core.models import Question

    content_type = ContentType.objects.get_for_model(model)
    counted = (Question.objects.filter(content_type=content_type, status=QuestionStatusChoices.OPEN,
                                       object_id=Cast(OuterRef("pk"), CharField()))
               .order_by().values("content_type").annotate(n=Count("id")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def change_order_count(request_ref: str = "pk"):
    """An annotation: how many change orders the request (``request_ref``: the row's own pk, or its
    ``request_id``) has had (one subquery, any row count)."""
    from .models import ChangeOrder

    counted = (ChangeOrder.objects.filter(request_id=OuterRef(request_ref)).order_by().values("request_id")
               .annotate(n=Count("id")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class RequestQuerySet(RestrictedQuerySet):
    def open(self):
        return self.exclude(status__in=CLOSED_REQUEST)

    def with_list_data(self):
        return self.select_related(
            "requester", "requester__department", "capability", "delivering_department", "responder",
        ).prefetch_related("components").annotate(open_questions=open_question_count(self.model),
                                                  change_order_count=change_order_count())


class BacklogItemQuerySet(RestrictedQuerySet):
    def open(self):
        return self.exclude(status__in=CLOSED_ITEM)

    def with_list_data(self):
        return (self.select_related("request", "assignee", "iteration").prefetch_related("components", "depends_on")
                .annotate(request_change_orders=change_order_count("request_id")))
