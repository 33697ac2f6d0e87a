"""Does the needed-by date leave enough time? Checked against the capability's standard lead time and,
once enough requests of that capability were delivered, against their observed median delivery time."""

import datetime
from dataclasses import dataclass, field

from .choices import RequestStatusChoices
from .workdays import median, working_days_between

MIN_HISTORY = 3  # delivered requests of a capability before their median counts


@dataclass
class LeadTimeCheck:
    needed_by: datetime.date
    filed_on: datetime.date
    working_days_available: int
    standard_days: int | None = None
    observed_median_days: float | None = None
    history_count: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.warnings

    def as_dict(self) -> dict:
        return {
            "needed_by": self.needed_by, "filed_on": self.filed_on,
            "working_days_available": self.working_days_available, "standard_days": self.standard_days,
            "observed_median_days": self.observed_median_days, "history_count": self.history_count,
            "min_history": MIN_HISTORY, "warnings": list(self.warnings), "ok": self.ok,
        }


def observed_delivery_days(capability, *, exclude_pk=None) -> list[int]:
    """Working days from filing to delivery of the capability's delivered requests (one query)."""
    from .models import Request

    done = (RequestStatusChoices.DELIVERED, RequestStatusChoices.MEASURED)
    rows = (Request.objects.filter(capability=capability, status__in=done, delivered_on__isnull=False)
            .exclude(pk=exclude_pk).values_list("created_at", "delivered_on"))
    return [max(0, working_days_between(created.date(), delivered)) for created, delivered in rows]


def _days(value: float) -> str:
    return f"{value:g} working day" + ("" if value == 1 else "s")


def lead_time_check(capability, needed_by: datetime.date, filed_on: datetime.date, *, exclude_pk=None
                    ) -> LeadTimeCheck:
    available = working_days_between(filed_on, needed_by)
    check = LeadTimeCheck(needed_by=needed_by, filed_on=filed_on, working_days_available=available)
    if capability is None:
        return check
    check.standard_days = capability.lead_time_days
    history = observed_delivery_days(capability, exclude_pk=exclude_pk)
    check.history_count = len(history)
    if len(history) >= MIN_HISTORY:
        check.observed_median_days = median(history)
    left = f"Needed by {needed_by:%Y-%m-%d} leaves {_days(available)}"
    if available < capability.lead_time_days:
        check.warnings.append(f"{left}; “{capability.name}” takes {_days(capability.lead_time_days)} as standard.")
    if check.observed_median_days is not None and available < check.observed_median_days:
        check.warnings.append(
            f"{left}; the last {len(history)} delivered requests of “{capability.name}” took a median of "
            f"{_days(check.observed_median_days)}.")
    return check
