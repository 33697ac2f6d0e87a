from .roles import has_role


def roles(request):
    user = getattr(request, "user", None)
    return {
        "can_edit": bool(user and has_role(user, "editor")),
        "is_admin": bool(user and has_role(user, "admin")),
    }
