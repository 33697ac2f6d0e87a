from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "stacksteward.catalog"
    label = "catalog"
    verbose_name = "Catalog"

    def ready(self):
        from . import (
            policies,  # noqa: F401
            sections,  # noqa: F401  (its stack-as-code sections)
        )
