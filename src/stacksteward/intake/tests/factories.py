import datetime

import factory

from stacksteward.intake.models import BacklogItem, Capability, Iteration, Milestone, Request, Roadmap
from stacksteward.org.tests.factories import DepartmentFactory, PersonFactory


def in_days(days: int) -> datetime.date:
    return datetime.date.today() + datetime.timedelta(days=days)


class CapabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Capability

    name = factory.Sequence(lambda n: f"Capability {n}")
    slug = factory.Sequence(lambda n: f"capability-{n}")
    department = factory.SubFactory(DepartmentFactory)
    lead_time_days = 10


class RequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Request
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Request {n}")
    objective = "A landing page for the spring campaign."
    why = "Campaign traffic has nowhere to land."
    lost_cost_amount = 1500
    needed_by = factory.LazyFunction(lambda: in_days(60))
    capability = factory.SubFactory(CapabilityFactory)
    delivering_department = factory.SelfAttribute("capability.department")
    requester = factory.SubFactory(PersonFactory)


class RoadmapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Roadmap

    name = factory.Sequence(lambda n: f"Roadmap {n}")
    slug = factory.Sequence(lambda n: f"roadmap-{n}")
    vision = "One view of every customer."


class IterationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Iteration

    roadmap = factory.SubFactory(RoadmapFactory)
    name = factory.Sequence(lambda n: f"Iteration {n}")
    start = factory.LazyFunction(lambda: in_days(1))
    end = factory.LazyFunction(lambda: in_days(14))


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    roadmap = factory.SubFactory(RoadmapFactory)
    name = factory.Sequence(lambda n: f"Milestone {n}")
    due = factory.LazyFunction(lambda: in_days(30))


class BacklogItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BacklogItem

    title = factory.Sequence(lambda n: f"Item {n}")
    effort_days = 2
    value = 5
