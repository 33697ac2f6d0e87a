from django.db import models


class RestrictedQuerySet(models.QuerySet):
    """``.restrict(user, action)``: the rows the user may see or act on (NetBox's pattern).

    Every read in views and API handlers goes through this, so UI and API answer the same.
    A model may define ``restrict_rows(queryset, user, action)`` for row-level rules.
    """

    def restrict(self, user, action: str = "view"):
        from .permissions import has_perm

        if not has_perm(user, action, self.model):
            return self.none()
        narrow = getattr(self.model, "restrict_rows", None)
        return narrow(self, user, action) if narrow else self
