from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "stacksteward.finance"
    label = "finance"
    verbose_name = "Money and value"

    def ready(self):
        from stacksteward.changes.calendar import register_feed_source

        from . import (
            health,  # noqa: F401  (registers the contract findings)
            policies,  # noqa: F401
            sections,  # noqa: F401  (its stack-as-code sections)
        )
        from .calendar import contract_feed

        register_feed_source(contract_feed)  # notice deadlines and contract ends in the ICS feed
