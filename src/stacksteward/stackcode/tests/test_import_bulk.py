"""Large imports write in bulk: a bounded number of queries, still one audit entry per object."""

from stacksteward.catalog.models import Component, Relation
from stacksteward.core.models import AuditEntry
from stacksteward.org.models import Person
from stacksteward.stackcode.importer import import_file

from .conftest import row_counts


def big_stack(components: int = 300, relations: int = 1000, people: int = 40) -> bytes:
    lines = ["apiVersion: stacksteward/v1", "kind: Stack", "departments:", "  - slug: marketing",
             "    name: Marketing", "people:"]
    for i in range(people):
        lines += [f"  - email: p{i}@example.com", f"    name: Person {i}", "    department: marketing"]
        if i < people - 1:  # managers defined further down the file, three levels deep
            lines.append(f"    manager: p{people - 1 if i % 2 else i + 1}@example.com")
    lines += ["vendors:", "  - slug: acme", "    name: Acme", "components:"]
    for i in range(components):
        lines += [f"  - slug: c{i}", f"    name: Component {i}", "    vendor: acme", "    category: crm",
                  f"    business_owner: p{i % people}@example.com", f"    tags: [t{i % 7}, shared]",
                  "    data_categories: [user.contact]"]
    lines.append("relations:")
    pairs = [(a, b) for a in range(components) for b in range(a + 1, a + 5) if b < components][:relations]
    for a, b in pairs:
        lines += [f"  - from: c{a}", f"    to: c{b}", "    mechanism: api", "    data_categories: [user.contact]"]
    lines += ["raci:", "  - component: c0", "    activity: integration", "    role: R", "    department: marketing"]
    return ("\n".join(line for line in lines if line) + "\n").encode()


def test_import_large_stack_runs_a_bounded_number_of_queries(db, editor, django_assert_max_num_queries):
    content = big_stack()

    with django_assert_max_num_queries(200):  # about 1,350 objects
        report = import_file("stack.yaml", content, actor=editor, dry_run=False)

    assert not report.errors
    assert Component.objects.count() == 300
    assert Relation.objects.count() == 1000
    assert Person.objects.get(email="p2@example.com").manager.email == "p3@example.com"
    assert Person.objects.get(email="p3@example.com").manager.email == "p39@example.com"
    created = AuditEntry.objects.filter(action="create", source="import", actor=editor)
    assert created.filter(content_type__model="component").count() == 300
    assert created.filter(content_type__model="relation").count() == 1000
    assert created.filter(content_type__model="person").count() == 40
    assert created.filter(content_type__model="raciassignment").count() == 1
    entry = created.get(content_type__model="component", object_repr="Component 3")
    assert entry.before is None
    assert entry.after["slug"] == "c3" and entry.after["vendor"] == "Acme"
    assert entry.after["tags"] == ["shared", "t3"] and entry.after["data_categories"]
    relation = Relation.objects.get(source__slug="c0", target__slug="c1")
    assert created.get(content_type__model="relation", object_id=str(relation.pk)).related_object_id == str(
        relation.source_id)


def test_import_large_stack_again_changes_nothing(db, editor):
    content = big_stack(components=60, relations=150, people=10)
    import_file("stack.yaml", content, actor=editor, dry_run=False)
    before = row_counts()

    report = import_file("stack.yaml", content, actor=editor, dry_run=False)

    assert not report.errors and report.nothing_to_change
    assert row_counts() == before


def test_import_large_stack_dry_run_reports_the_same_and_writes_nothing(db, editor):
    content = big_stack(components=60, relations=150, people=10)
    before = row_counts()

    dry = import_file("stack.yaml", content, actor=editor, dry_run=True)
    assert row_counts() == before
    real = import_file("stack.yaml", content, actor=editor, dry_run=False)

    assert dry.outcome() == real.outcome()
    assert real.created.counts["relations"] == 150


def test_import_refused_rows_in_bulk_are_all_reported_at_their_line_and_nothing_is_written(db, editor):
    content = big_stack(components=20, relations=10, people=4).replace(
        b"    name: Component 5\n", b"    name: Component 5\n    url: not a url\n"
    ).replace(b"    name: Component 9\n", b"    name: Component 9\n    url: also bad\n")
    before = row_counts()

    report = import_file("stack.yaml", content, actor=editor, dry_run=False)

    errors = [str(e) for e in report.errors]
    assert len(errors) == 2
    assert errors[0].startswith('stack.yaml line ') and 'field "url": "not a url" is refused' in errors[0]
    assert 'field "url": "also bad" is refused' in errors[1]
    assert row_counts() == before


def test_import_vendor_named_twice_in_file_with_other_slug_is_refused_at_its_line(db, editor):
    content = b"""\
apiVersion: stacksteward/v1
kind: Stack
vendors:
  - slug: acme
    name: Acme
  - slug: acme-two
    name: ACME
"""
    report = import_file("stack.yaml", content, actor=editor, dry_run=False)

    assert [str(e) for e in report.errors] == [
        'stack.yaml line 7, field "name": "ACME" is refused: A vendor named “ACME” already exists.'
    ]
