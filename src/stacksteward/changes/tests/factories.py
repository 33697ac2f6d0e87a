import datetime

import factory
from django.utils import timezone

from stacksteward.changes.models import CalendarEvent, ChangeRequest
from stacksteward.org.tests.factories import PersonFactory


def at(days: float, hour: int = 10) -> datetime.datetime:
    """An aware date-time ``days`` from today at ``hour`` o'clock (UTC)."""
    base = timezone.now().astimezone(datetime.UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    return base + datetime.timedelta(days=days)


class ChangeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChangeRequest
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Change {n}")
    type = "normal"
    requester = factory.SubFactory(PersonFactory)
    window_start = factory.LazyFunction(lambda: at(7, 10))
    window_end = factory.LazyFunction(lambda: at(7, 12))
    rollback_plan = "Restore the previous configuration from the export."
    status = "submitted"

    @factory.post_generation
    def components(self, create, extracted, **kwargs):
        if create and extracted:
            self.components.set(extracted)


class CalendarEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarEvent
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Event {n}")
    kind = "campaign_launch"
    start = factory.LazyFunction(lambda: at(7, 0))
    end = factory.LazyFunction(lambda: at(8, 0))

    @factory.post_generation
    def components(self, create, extracted, **kwargs):
        if create and extracted:
            self.components.set(extracted)
