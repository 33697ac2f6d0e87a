from django.db import models


class RestrictedQuerySet(models.QuerySet):
    """``.restrict(actor, action)``: the rows the actor may see or act on (NetBox's pattern).

    Every read in views and API handlers goes through this, so UI and API answer the same. The
    rows are exactly those the model's policy allows (``core.policies``: ``Policy.rows``).
    """

    def restrict(self, actor, action: str = "view"):
        from .policies import policy_for

        return policy_for(self.model).rows(actor, action, self)
