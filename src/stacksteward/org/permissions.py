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
