"""Who a user is in the organisation: their person record and department (``core.actors.facts``)."""

from stacksteward.core.actors import facts, is_system  # noqa: F401 (re-exported for the apps)


def person_of(actor):
    """The actor's person record (with its department), or None."""
    return facts(actor).person


def department_id_of(actor) -> int | None:
    return facts(actor).department_id


def read_person(user):
    from .models import Person

    return Person.objects.select_related("department").filter(user=user).first()
