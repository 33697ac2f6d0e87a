"""Selections, renewal decisions, contract documents and value scores in stack as code: natural keys, services
(audit, the reviewer and scorer rules), a decision that creates no term, and bad rows reported where they are."""

import datetime
import io
import zipfile

import pytest
import yaml
from django.contrib.contenttypes.models import ContentType

from stacksteward.core.actors import SystemActor
from stacksteward.core.models import AuditEntry
from stacksteward.finance.models import (
    Contract,
    ContractDocument,
    RenewalDecision,
    Score,
    Selection,
    SelectionCandidate,
    ValueScore,
)
from stacksteward.stackcode.exporter import export_stack
from stacksteward.stackcode.importer import import_file

from .conftest import row_counts, wipe

HEAD = "apiVersion: stacksteward/v1\nkind: Stack\n"
RECORD_MODELS = (Selection, SelectionCandidate, Score, RenewalDecision, ContractDocument, ValueScore)


def failing(name: str, content: bytes | str, actor=SystemActor.importer()) -> list[str]:
    """Import, check that nothing at all was written, return the error lines."""
    if isinstance(content, str):
        content = content.encode()
    before = row_counts()
    report = import_file(name, content, actor=actor, dry_run=False)
    assert not report.ok
    assert row_counts() == before, "an import with errors wrote something"
    return [str(e) for e in report.errors]


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_yaml_export_names_records_by_natural_keys(finance_records):
    document = yaml.safe_load(export_stack("yaml"))

    assert [s["key"] for s in document["selections"]] == ["dam", "webinar-platform"]
    webinars = document["selections"][1]
    assert webinars["chosen"] == "HubSpot Events" and webinars["replaces"] == "website"
    assert webinars["decided_at"] == datetime.datetime.fromisoformat("2027-02-03T09:30:00+01:00")
    assert "request" not in webinars  # requests have no natural key
    assert document["selection_criteria"][0] == {"selection": "webinar-platform", "department": "it",
                                                 "name": "Security", "weight": "1.50", "description": ""}
    assert document["selection_scores"][0] == {"selection": "webinar-platform", "criterion": "it/Security",
                                               "candidate": "HubSpot Events", "reviewer": "ann@example.com",
                                               "score": 0, "comment": "=No SSO"}
    assert document["renewal_decisions"][0] == {"contract": "hubspot-2026", "decision": "renew",
                                                "reasons": "Keeps the pipeline going.", "new_seats": None,
                                                "notice_sent_on": None, "decided_by": "Zoë Quinn"}
    assert [d["url"] for d in document["contract_documents"]] == ["https://docs.example.com/hs-2026.pdf",
                                                                  "https://docs.example.com/hs-dpa.pdf"]
    assert [(v["component"], v["year"], v["scorer"]) for v in document["value_scores"]] == [
        ("hubspot-crm", 2026, "zoe@example.com"), ("hubspot-crm", 2027, "zoe@example.com"),
        ("warehouse", 2027, "Bob Nomail")]


def test_records_carry_no_money_so_every_export_has_them(finance_records, editor):
    assert b"selection_scores" in export_stack("yaml", for_user=editor)
    assert b"value_scores" in export_stack("yaml", for_user=editor)


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_import_into_empty_catalog_audits_every_record_with_source_import(finance_records, fmt):
    content = export_stack(fmt)
    wipe()

    report = import_file({"yaml": "stack.yaml", "csv": "stack.zip", "xlsx": "stack.xlsx"}[fmt], content,
                         actor=SystemActor.importer(), dry_run=False)

    assert report.ok, [str(e) for e in report.errors]
    for model in RECORD_MODELS:
        audited = set(AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                                action="create", source="import")
                      .values_list("object_id", flat=True))
        assert audited == {str(pk) for pk in model.objects.values_list("pk", flat=True)}, model
    selection = Selection.objects.get(key="webinar-platform")
    assert selection.status == "decided" and selection.chosen.name == "HubSpot Events"


def test_a_renewal_decision_on_a_contract_whose_next_term_is_in_the_file_creates_no_term(finance_records):
    content = export_stack("yaml")
    wipe()

    assert import_file("stack.yaml", content, actor=SystemActor.importer(), dry_run=False).ok

    assert Contract.objects.count() == 3
    first = Contract.objects.get(key="hubspot-2026")
    assert first.decisions.get().decision == "renew" and first.next.key == "hubspot-2027"
    assert first.status == "renewed"  # as the file says, not changed by the decision


def test_new_decision_on_an_active_contract_is_only_a_record(finance_records):
    text = HEAD + ("renewal_decisions:\n- contract: hubspot-2027\n  decision: downsize\n  reasons: Fewer users.\n"
                   "  new_seats: 30\n")

    report = import_file("stack.yaml", text.encode(), actor=SystemActor.importer(), dry_run=False)

    assert report.ok, [str(e) for e in report.errors]
    decision = RenewalDecision.objects.get(contract__key="hubspot-2027")
    assert decision.new_seats == 30 and decision.decided_by_name == "import"
    assert Contract.objects.count() == 3 and Contract.objects.get(key="hubspot-2027").status == "active"


def test_dry_run_reports_changed_score_and_writes_nothing(finance_records):
    Selection.objects.filter(key="webinar-platform").update(status="open")
    text = HEAD + ("selection_scores:\n- selection: webinar-platform\n  criterion: it/Security\n"
                   "  candidate: ON24\n  reviewer: ann@example.com\n  score: 1\n")
    before = row_counts()

    report = import_file("stack.yaml", text.encode(), actor=SystemActor.importer(), dry_run=True)

    assert report.ok, [str(e) for e in report.errors]
    assert report.changed["selection_scores"][0].fields == {"score": (3, 1)}
    assert row_counts() == before and Score.objects.get(candidate__name="ON24", reviewer__email="ann@example.com"
                                                        ).score == 3


def test_score_naming_an_unknown_candidate_is_reported_at_its_line(finance_records):
    text = HEAD + ("selection_scores:\n- selection: webinar-platform\n  criterion: it/Security\n"
                   "  candidate: Zoom\n  reviewer: ann@example.com\n  score: 3\n")

    errors = failing("stack.yaml", text)

    assert errors == ['stack.yaml line 6, field "candidate": "Zoom" is not a candidate of the selection '
                      '"webinar-platform" in the file or the catalog.']


def test_score_by_an_unknown_reviewer_is_reported_at_its_row(finance_records):
    content = zipped({"selection_scores.csv": "selection,criterion,candidate,reviewer,score\n"
                                              "webinar-platform,it/Security,ON24,nobody@example.com,3\n"})

    errors = failing("stack.zip", content)

    assert errors == ['stack.zip/selection_scores.csv row 2, column "reviewer": "nobody@example.com" is not a '
                      'person in the file or the catalog.']


@pytest.mark.parametrize("score", ["6", "-1"])
def test_score_out_of_zero_to_five_is_refused(finance_records, score):
    content = zipped({"selection_scores.csv": "selection,criterion,candidate,reviewer,score\n"
                                              f"webinar-platform,it/Security,ON24,ann@example.com,{score}\n"})

    errors = failing("stack.zip", content)

    assert len(errors) == 1 and 'row 2, column "score"' in errors[0] and f'"{score}"' in errors[0]


def test_value_score_outside_one_to_five_is_refused(finance_records):
    text = HEAD + ("value_scores:\n- component: warehouse\n  year: 2027\n  scorer: Bob Nomail\n  score: 0\n"
                   "  reasons: None.\n")

    assert failing("stack.yaml", text) == ['stack.yaml line 7, field "score": "0" is not a score from 1 to 5.']


def test_decision_for_an_unknown_contract_key_is_reported(finance_records):
    text = HEAD + "renewal_decisions:\n- contract: no-such-contract\n  decision: renew\n  reasons: Why not.\n"

    assert failing("stack.yaml", text) == ['stack.yaml line 4, field "contract": "no-such-contract" is not a '
                                           'contract in the file or the catalog.']


def test_two_decisions_for_one_contract_are_refused(finance_records):
    text = HEAD + ("renewal_decisions:\n- contract: hubspot-2027\n  decision: renew\n  reasons: A.\n"
                   "- contract: hubspot-2027\n  decision: cancel\n  reasons: B.\n")

    assert failing("stack.yaml", text) == ['stack.yaml line 7, field "contract": "hubspot-2027" appears twice in '
                                           'renewal_decisions (first at line 4).']


def test_a_user_may_not_record_other_peoples_value_scores(finance_records, admin_user):
    text = HEAD + ("value_scores:\n- component: warehouse\n  year: 2028\n  scorer: Bob Nomail\n  score: 3\n"
                   "  reasons: Used more.\n")

    errors = failing("stack.yaml", text, actor=admin_user)

    assert errors == ['stack.yaml line 6, field "scorer": "Bob Nomail" is refused: You can only record your own '
                      'value score.']


def test_scores_of_a_decided_selection_cannot_change(finance_records):
    text = HEAD + ("selection_scores:\n- selection: webinar-platform\n  criterion: it/Security\n"
                   "  candidate: ON24\n  reviewer: ann@example.com\n  score: 1\n")

    errors = failing("stack.yaml", text)

    assert errors == ['stack.yaml line 8, field "score": "1" is refused: The selection is decided: scores can '
                      'no longer change.']


@pytest.mark.django_db
def test_selection_key_is_made_from_the_title_and_kept_unique():
    first = Selection.objects.create(title="New webinar platform")
    second = Selection.objects.create(title="New webinar platform")

    assert (first.key, second.key) == ("new-webinar-platform", "new-webinar-platform-2")
