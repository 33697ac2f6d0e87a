from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "stacksteward.changes"
    label = "changes"
    verbose_name = "Change control"

    def ready(self):
        from stacksteward.core.questions import register_askable

        from . import policies  # noqa: F401

        register_askable("changes.changerequest")
