from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "stacksteward.org"
    label = "org"
    verbose_name = "Organisation"

    def ready(self):
        from stacksteward.core.actors import set_person_reader

        from . import (
            policies,  # noqa: F401
            sections,  # noqa: F401  (its stack-as-code sections)
        )
        from .permissions import read_person

        set_person_reader(read_person)
