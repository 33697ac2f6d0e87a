import factory

from stacksteward.catalog.models import Category, Component, RaciAssignment, Relation, Vendor
from stacksteward.org.tests.factories import PersonFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor

    name = factory.Sequence(lambda n: f"Vendor {n}")
    slug = factory.Sequence(lambda n: f"vendor-{n}")


class ComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Component

    name = factory.Sequence(lambda n: f"Component {n}")
    slug = factory.Sequence(lambda n: f"component-{n}")
    vendor = factory.SubFactory(VendorFactory)
    business_owner = factory.SubFactory(PersonFactory)
    technical_owner = factory.SubFactory(PersonFactory)


class RelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relation

    source = factory.SubFactory(ComponentFactory)
    target = factory.SubFactory(ComponentFactory)
    type = "data_flow"


class RaciAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RaciAssignment

    component = factory.SubFactory(ComponentFactory)
    activity = "configuration"
    role = "A"
    person = factory.SubFactory(PersonFactory)
