from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "stacksteward.changes"
    label = "changes"
    verbose_name = "Change control"

    def ready(self):
        from stacksteward.core.questions import register_askable

        from . import (
            policies,  # noqa: F401
            sections,  # noqa: F401  (its stack-as-code sections)
        )

        register_askable("changes.changerequest")
