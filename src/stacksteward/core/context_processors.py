from .roles import has_role


class _Once:
    """A value computed on first use in a template, then kept (one query at most per response)."""

    def __init__(self, compute):
        self._compute = compute
        self._value = None
        self._done = False

    def __call__(self):
        if not self._done:
            self._value, self._done = self._compute(), True
        return self._value


def roles(request):
    from .actors import display_names
    from .notifications import unread_count

    user = getattr(request, "user", None)
    return {
        "can_edit": bool(user and has_role(user, "editor")),
        "is_admin": bool(user and has_role(user, "admin")),
        # The unread-notification badge of the header (registered with the roles: one query, only when shown).
        "unread_notifications": _Once(lambda: unread_count(user)),
        # Login → display name, for rows that froze a login (``core.actors.shown_name``): one query, when shown.
        "display_names": _Once(display_names),
    }


def notifications(request):
    """The unread-notification count on its own, for projects that list context processors one by one."""
    from .notifications import unread_count

    user = getattr(request, "user", None)
    return {"unread_notifications": _Once(lambda: unread_count(user))}
