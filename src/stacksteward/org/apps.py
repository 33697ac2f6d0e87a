from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "stacksteward.org"
    label = "org"
    verbose_name = "Organisation"

    def ready(self):
        from . import permissions  # noqa: F401
