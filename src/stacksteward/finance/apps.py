from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "stacksteward.finance"
    label = "finance"
    verbose_name = "Money and value"

    def ready(self):
        from stacksteward.core.audit import restrict_audit

        from . import health  # noqa: F401  (registers the contract findings)
        from .permissions import sees_all_values

        # The audit log keeps every old and new value: money entries only for those who see all money.
        for label in ("finance.contract", "finance.costentry", "finance.budget"):
            restrict_audit(label, sees_all_values)
