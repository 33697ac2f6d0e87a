from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "stacksteward.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from . import policies, roles  # noqa: F401  (core's policies; role groups after migrate)
