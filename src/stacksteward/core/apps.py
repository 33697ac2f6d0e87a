from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "stacksteward.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from . import roles  # noqa: F401  (creates role groups after migrate)
