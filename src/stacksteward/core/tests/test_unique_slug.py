from stacksteward.catalog.models import Vendor
from stacksteward.catalog.tests.factories import VendorFactory
from stacksteward.core.models import unique_slug


def test_unique_slug_numbers_taken_reserved_and_in_file_names(db):
    assert unique_slug(Vendor, "Acme Inc.") == "acme-inc"
    VendorFactory(slug="acme-inc")
    assert unique_slug(Vendor, "Acme Inc.") == "acme-inc-2"
    assert unique_slug(Vendor, "Acme Inc.", taken={"acme-inc-2"}) == "acme-inc-3"
    assert unique_slug(Vendor, "Add") == "add-2"  # "add" is the page that adds new entries
    assert unique_slug(Vendor, "!!!", fallback="vendor") == "vendor"
    existing = Vendor.objects.get(slug="acme-inc")
    assert unique_slug(Vendor, "Acme Inc.", exclude_pk=existing.pk) == "acme-inc"


def test_unique_slug_tries_the_suffix_before_numbering(db):
    VendorFactory(slug="hubspot")
    assert unique_slug(Vendor, "HubSpot", suffix="2027") == "hubspot-2027"
    VendorFactory(slug="hubspot-2027")
    assert unique_slug(Vendor, "HubSpot", suffix="2027") == "hubspot-2027-2"
