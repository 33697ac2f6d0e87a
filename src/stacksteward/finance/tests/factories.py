import datetime

import factory

from stacksteward.catalog.tests.factories import VendorFactory
from stacksteward.finance.models import Contract


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract
        skip_postgeneration_save = True

    vendor = factory.SubFactory(VendorFactory)
    reference = factory.Sequence(lambda n: f"C-{n:04d}")
    start_date = datetime.date(2026, 1, 1)
    end_date = datetime.date(2026, 12, 31)
    notice_period_days = 90
    annual_value = 12000
    currency = "USD"
    status = "active"

    @factory.post_generation
    def components(self, create, extracted, **kwargs):
        if create and extracted:
            self.components.set(extracted)
