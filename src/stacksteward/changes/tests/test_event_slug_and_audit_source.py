"""Calendar events get a stable slug (the natural key of stack-as-code files), and the approvals a submission
creates are audited with the submission's source (import, CLI, demo), not as UI writes."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from stacksteward.changes import services
from stacksteward.changes.models import CalendarEvent, ChangeApproval
from stacksteward.core.actors import SystemActor
from stacksteward.core.models import AuditEntry

from .factories import at


def _event(actor, **data):
    return services.event_create(actor=actor, data={"name": "Spring launch", "kind": "campaign_launch",
                                                    "start": at(7, 8), "end": at(9, 18), **data})


def test_event_slug_is_made_from_the_name_and_kept_unique(people):
    first = _event(people["ivan"])
    second = _event(people["ivan"])
    named = _event(people["ivan"], slug="launch-2027")

    assert (first.slug, second.slug, named.slug) == ("spring-launch", "spring-launch-2", "launch-2027")
    renamed = services.event_update(first, actor=people["ivan"], data={"name": "Summer launch"},
                                    expected_version=first.version)
    assert renamed.slug == "spring-launch"  # a key does not follow the name


def test_event_slug_taken_or_reserved_is_refused(people):
    _event(people["ivan"], slug="launch")
    with pytest.raises(ValidationError) as exc:
        _event(people["ivan"], slug="launch")
    assert "slug" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _event(people["ivan"], slug="add")
    assert "slug" in exc.value.message_dict
    assert CalendarEvent.objects.count() == 1


def test_event_saved_without_a_slug_gets_one(db):
    event = CalendarEvent.objects.create(name="Q4 freeze", kind="freeze", start=at(1), end=at(2))
    assert event.slug == "q4-freeze"


def test_approvals_created_at_submission_are_audited_with_its_source(people, stack):
    change = services.change_create(actor=SystemActor.cli(), source="import", data={
        "title": "Rename the CRM's lead source field", "components": [stack["crm"]], "requester":
            people["ivan"].person, "window_start": at(7, 10), "window_end": at(7, 12), "rollback_plan": "Rename back."})

    services.change_submit(change, actor=SystemActor.cli(), source="import")

    approvals = ChangeApproval.objects.filter(change=change)
    assert approvals.exists()
    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(ChangeApproval),
                                        object_id__in=[str(pk) for pk in approvals.values_list("pk", flat=True)])
    assert entries.count() == approvals.count()
    assert set(entries.values_list("source", flat=True)) == {"import"}
