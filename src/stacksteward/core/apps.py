from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "stacksteward.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from . import roles  # noqa: F401  (creates role groups after migrate)
        from .audit import restrict_audit
        from .permissions import is_admin

        # Accounts and API tokens: their audit entries are for admins only.
        restrict_audit("auth.user", is_admin)
        restrict_audit("org.apitoken", is_admin)
