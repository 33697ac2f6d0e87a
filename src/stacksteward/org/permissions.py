from stacksteward.core.permissions import is_admin, rule


@rule("org.apitoken", "view", "change", "delete")
def own_tokens(user, action, obj):
    """Admins manage every token; others see and revoke only their own."""
    if is_admin(user):
        return True
    if obj is None:
        return True  # listing: ApiToken.restrict_rows narrows the rows to the user's own
    return obj.user_id == user.pk


@rule("org.apitoken", "add")
def create_tokens(user, action, obj):
    return True  # any signed-in user may create a token for themselves; services check whose


# Who a user is in the organisation -----------------------------------------------------------

def is_system(user) -> bool:
    """A system actor (the CLI, the demo, an import) is named by a string and trusted, as in ``org.services``."""
    return isinstance(user, str)


def person_of(user):
    """The user's person record (cached on the user), or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_steward_person", "unset")
    if cached == "unset":
        from .models import Person

        cached = Person.objects.select_related("department").filter(user=user).first()
        user._steward_person = cached
    return cached


def department_id_of(user) -> int | None:
    person = person_of(user)
    return person.department_id if person is not None else None
