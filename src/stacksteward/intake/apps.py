from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "stacksteward.intake"
    label = "intake"
    verbose_name = "Intake, backlog and roadmap"

    def ready(self):
        from stacksteward.core.questions import register_askable

        from . import policies  # noqa: F401

        register_askable("intake.request", "intake.backlogitem", "intake.capability", "catalog.component")
