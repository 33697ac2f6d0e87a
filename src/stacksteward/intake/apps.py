from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "stacksteward.intake"
    label = "intake"
    verbose_name = "Intake, backlog and roadmap"

    def ready(self):
        from stacksteward.core.questions import register_askable

        from . import (
            policies,  # noqa: F401
            sections,  # noqa: F401  (its stack-as-code sections)
        )

        register_askable("intake.request", "intake.backlogitem", "intake.capability", "catalog.component")
