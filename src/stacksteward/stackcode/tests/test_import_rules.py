"""Import rules: all or nothing, idempotent, dry run = real run rolled back, audited, never deletes."""

import datetime
from decimal import Decimal

from stacksteward.catalog.models import Component, RaciAssignment, Relation
from stacksteward.core.models import AuditEntry
from stacksteward.org.models import Person
from stacksteward.stackcode.exporter import export_stack
from stacksteward.stackcode.importer import import_file

from .conftest import row_counts

EXAMPLE = b"""\
apiVersion: stacksteward/v1
kind: Stack
departments:
  - slug: marketing
    name: Marketing
    kind: marketing
  - slug: it
    name: IT
    kind: it
people:
  - email: dana@example.com
    name: Dana Ops
    department: marketing
    archetype: maestro
    manager: lee@example.com      # defined further down
  - email: lee@example.com
    name: Lee Lead
    department: marketing
  - name: Sam Noemail
    department: it
    archetype: maker
vendors:
  - slug: acme
    name: Acme Cloud
    website: https://acme.example
categories:
  - slug: lifecycle-email
    name: Lifecycle email
    parent: content-experience
components:
  - slug: crm
    name: CRM
    category: crm
    vendor: acme
    tier: 1
    business_owner: dana@example.com
    technical_owner: Sam Noemail
    tags: [core, sales]
    annual_cost: "24,000.00"
    currency: usd
    renewal_date: 2027-03-31
    data_categories: [user.contact]
  - slug: mailer
    name: Mailer
    category: lifecycle-email
    hosting: SaaS
    lifecycle: pilot
relations:
  - from: crm
    to: mailer
    type: data_flow
    data_categories: [user.contact]
    mechanism: api
    frequency: daily
raci:
  - component: crm
    activity: selection
    role: A
    department: marketing
  - component: crm
    activity: configuration
    role: R
    person: Sam Noemail
"""


def test_import_yaml_into_empty_catalog_creates_everything(db, editor):
    report = import_file("stack.yaml", EXAMPLE, actor=editor, dry_run=False)

    assert report.ok, [str(e) for e in report.errors]
    assert report.created.counts == {"departments": 2, "people": 3, "vendors": 1, "categories": 1,
                                     "components": 2, "relations": 1, "raci": 2}
    crm = Component.objects.get(slug="crm")
    assert crm.vendor.name == "Acme Cloud"
    assert crm.category.slug == "crm"
    assert crm.business_owner.email == "dana@example.com"
    assert crm.technical_owner.name == "Sam Noemail"
    assert crm.annual_cost == Decimal("24000.00") and crm.currency == "USD"
    assert crm.renewal_date == datetime.date(2027, 3, 31)
    assert sorted(t.name for t in crm.tags.all()) == ["core", "sales"]
    assert [dc.key for dc in crm.data_categories.all()] == ["user.contact"]
    mailer = Component.objects.get(slug="mailer")
    assert (mailer.hosting, mailer.lifecycle, mailer.category.parent.slug) == ("saas", "pilot", "content-experience")
    assert Person.objects.get(email="dana@example.com").manager.email == "lee@example.com"
    relation = Relation.objects.get()
    assert (relation.source, relation.target, relation.mechanism) == (crm, mailer, "api")
    assert RaciAssignment.objects.filter(component=crm).count() == 2


def test_import_writes_audit_entries_with_source_import_and_the_actor(db, editor):
    import_file("stack.yaml", EXAMPLE, actor=editor, dry_run=False)

    entries = AuditEntry.objects.all()
    assert entries.count() >= 12
    assert set(entries.values_list("source", flat=True)) == {"import"}
    assert set(entries.values_list("actor", flat=True)) == {editor.pk}
    crm_entry = entries.get(object_repr="CRM", action="create")
    assert crm_entry.after["annual_cost"] == "24000.00"


def test_reimport_of_same_file_changes_nothing_and_says_so(db, editor):
    import_file("stack.yaml", EXAMPLE, actor=editor, dry_run=False)
    audit_before = AuditEntry.objects.count()
    versions = list(Component.objects.order_by("slug").values_list("version", flat=True))

    report = import_file("stack.yaml", EXAMPLE, actor=editor, dry_run=False)

    assert report.ok and report.nothing_to_change
    assert report.created.total == 0 and report.changed.total == 0
    assert report.unchanged.counts["components"] == 2
    assert any(line.startswith("Nothing to change") for line in report.summary_lines())
    assert AuditEntry.objects.count() == audit_before
    assert list(Component.objects.order_by("slug").values_list("version", flat=True)) == versions


def test_reimport_of_an_export_changes_nothing(stack, editor):
    report = import_file("stack.yaml", export_stack("yaml"), actor=editor, dry_run=False)
    assert report.nothing_to_change


def test_dry_run_writes_nothing_and_reports_exactly_what_the_real_import_does(db, editor):
    before = row_counts()

    dry = import_file("stack.yaml", EXAMPLE, actor=editor, dry_run=True)

    assert dry.ok and dry.dry_run
    assert row_counts() == before
    real = import_file("stack.yaml", EXAMPLE, actor=editor, dry_run=False)
    assert real.outcome() == dry.outcome()
    assert dry.created.total == real.created.total == 12
    assert any("dry run" in line for line in dry.summary_lines())


def test_dry_run_of_a_changed_file_lists_field_diffs_and_writes_nothing(stack, editor):
    text = export_stack("yaml").decode()
    text = text.replace("  tier: 1\n", "  tier: 2\n", 1).replace("  - core\n", "  - core\n  - renewal-2027\n", 1)
    before = row_counts()

    dry = import_file("stack.yaml", text.encode(), actor=editor, dry_run=True)

    assert row_counts() == before
    assert [c.key for c in dry.changed["components"]] == ["hubspot-crm"]
    fields = dry.changed["components"][0].fields
    assert fields["tier"] == (1, 2)
    assert fields["tags"] == (["core", "Sales, Marketing"], ["core", "renewal-2027", "Sales, Marketing"])
    real = import_file("stack.yaml", text.encode(), actor=editor, dry_run=False)
    assert real.outcome() == dry.outcome()
    crm = Component.objects.get(slug="hubspot-crm")
    assert crm.tier == 2 and crm.version == 2
    entry = AuditEntry.objects.get(object_id=str(crm.pk), action="update")
    assert (entry.before["tier"], entry.after["tier"], entry.source) == (1, 2, "import")


def test_field_left_out_is_kept_and_field_given_empty_is_cleared(stack, editor):
    doc = b"""apiVersion: stacksteward/v1
kind: Stack
components:
  - slug: hubspot-crm
    name: HubSpot CRM
    url: ""
    renewal_date:
"""
    report = import_file("stack.yaml", doc, actor=editor, dry_run=False)

    assert report.ok
    crm = Component.objects.get(slug="hubspot-crm")
    assert crm.url == "" and crm.renewal_date is None
    assert crm.annual_cost == Decimal("12000.50") and crm.tier == 1  # not in the entry: kept
    assert set(report.changed["components"][0].fields) == {"url", "renewal_date"}


def test_import_never_deletes_what_the_file_leaves_out(stack, editor):
    doc = b"apiVersion: stacksteward/v1\nkind: Stack\ncomponents:\n  - slug: new-tool\n    name: New tool\n"

    report = import_file("stack.yaml", doc, actor=editor, dry_run=False)

    assert report.ok and report.created.counts == {"components": 1}
    assert Component.objects.count() == 4
    assert Relation.objects.count() == 2


def test_one_bad_entry_means_nothing_is_written_at_all(db, editor):
    doc = EXAMPLE.replace(b"    lifecycle: pilot\n", b"    lifecycle: pilot\n    tier: 7\n")
    before = row_counts()

    report = import_file("stack.yaml", doc, actor=editor, dry_run=False)

    assert not report.ok
    assert row_counts() == before
    assert report.created.total == 0  # the outcome is cleared: nothing happened
    assert any("nothing was imported" in line for line in report.summary_lines())


def test_errors_are_all_collected_not_just_the_first(db, editor):
    doc = EXAMPLE.replace(b"    tier: 1\n", b"    tier: one\n").replace(b"    lifecycle: pilot\n",
                                                                       b"    lifecycle: someday\n")
    doc = doc.replace(b"renewal_date: 2027-03-31", b"renewal_date: soon")

    report = import_file("stack.yaml", doc, actor=editor, dry_run=False)

    fields = sorted(e.field for e in report.errors)
    assert fields == ["lifecycle", "renewal_date", "tier"]


def test_service_validation_errors_are_reported_at_their_field(db, editor):
    doc = b"""apiVersion: stacksteward/v1
kind: Stack
components:
  - slug: crm
    name: CRM
    url: not a url
    seats_purchased: 5
    seats_used: 9
"""
    report = import_file("stack.yaml", doc, actor=editor, dry_run=False)

    assert not report.ok and Component.objects.count() == 0
    by_field = {e.field: str(e) for e in report.errors}
    assert by_field["url"].startswith('stack.yaml line 6, field "url": "not a url" is refused: Enter a valid URL')


def test_progress_is_reported_while_importing(db, editor):
    calls = []
    import_file("stack.yaml", EXAMPLE, actor=editor, dry_run=False, progress=lambda done, total: calls.append(
        (done, total)))
    assert calls and calls[-1][0] == calls[-1][1] == 12


def test_people_without_email_are_matched_by_name_case_insensitively(db, editor):
    Person.objects.create(name="Sam Noemail")
    report = import_file("stack.yaml", EXAMPLE.replace(b"  - name: Sam Noemail", b"  - name: sam noemail"),
                         actor=editor, dry_run=False)
    assert report.ok
    assert Person.objects.filter(name__iexact="sam noemail").count() == 1
    assert report.changed["people"][0].fields["name"] == ("Sam Noemail", "sam noemail")


def test_yaml_anchors_and_merge_keys_are_understood(db, editor):
    doc = b"""apiVersion: stacksteward/v1
kind: Stack
components:
  - &base
    slug: crm
    name: CRM
    hosting: self_hosted
    tier: 2
  - <<: *base
    slug: crm-eu
    name: CRM EU
"""
    report = import_file("stack.yaml", doc, actor=editor, dry_run=False)
    assert report.ok, [str(e) for e in report.errors]
    eu = Component.objects.get(slug="crm-eu")
    assert (eu.name, eu.hosting, eu.tier) == ("CRM EU", "self_hosted", 2)


def test_a_single_section_workbook_is_read_as_the_full_format(db, editor):
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "vendors"
    sheet.append(["slug", "name", "status"])
    sheet.append(["acme", "Acme", "Defunct"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = import_file("vendors.xlsx", buffer.getvalue(), actor=editor, dry_run=False)

    assert report.ok and report.format == "stack as code, XLSX"
    from stacksteward.catalog.models import Vendor

    assert Vendor.objects.get(slug="acme").status == "defunct"


def test_a_person_without_email_in_the_file_keeps_the_email_of_the_only_person_of_that_name(db, editor):
    Person.objects.create(name="Sam Noemail", email="sam@example.com")
    doc = b"apiVersion: stacksteward/v1\nkind: Stack\npeople:\n  - name: Sam Noemail\n    email: ''\n    title: Ops\n"

    report = import_file("stack.yaml", doc, actor=editor, dry_run=False)

    assert report.ok
    sam = Person.objects.get(name="Sam Noemail")
    assert (sam.email, sam.title) == ("sam@example.com", "Ops")


def test_duplicate_people_are_found_by_email_and_by_name(db, editor):
    doc = (b"apiVersion: stacksteward/v1\nkind: Stack\npeople:\n  - name: A\n    email: a@example.com\n"
           b"  - name: B\n    email: A@example.com\n  - name: Cy\n  - name: cy\n")
    report = import_file("stack.yaml", doc, actor=editor, dry_run=False)
    assert [str(e) for e in report.errors] == [
        'stack.yaml line 7, field "email": "a@example.com" appears twice in people (first at line 4).',
        'stack.yaml line 9, field "name": "cy" appears twice in people (first at line 8).',
    ]
