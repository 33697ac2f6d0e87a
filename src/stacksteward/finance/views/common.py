"""Helpers shared by the finance pages: errors next to fields, who sees money, the year asked for, charts."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe

from stacksteward.core.services import validation_messages

from .. import services

HIDDEN_VALUE_NOTE = "Only finance, procurement, legal and the owners see the value."


def today() -> datetime.date:
    return services.today()


def add_errors(form, exc: ValidationError) -> None:
    """A service's errors next to the fields they name; the rest at the top of the form."""
    for item in validation_messages(exc):
        field, message = item["field"], item["message"]
        if field in form.fields and not form.fields[field].widget.is_hidden:
            form.add_error(field, message)
        else:
            form.add_error(None, message)


def require(policy, user, action: str, obj=None) -> None:
    """Answer 403 before any work when the policy refuses (the service asks it again)."""
    policy.require(user, action, obj)


def year_from(request) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return today().year


def chart(name: str, *args):
    """The SVG of ``finance.charts.<name>(*args)``, or None while the charts are not there."""
    try:
        from .. import charts
    except ImportError:
        return None
    func = getattr(charts, name, None)
    if func is None:
        return None
    svg = func(*args)
    return mark_safe(svg) if svg else None  # server-side SVG built by finance.charts from escaped data
