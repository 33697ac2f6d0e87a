"""Small helpers for htmx partial updates that still work as plain pages without JavaScript."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers

RESULTS_TARGET = "results"


def wants_partial(request, target: str = RESULTS_TARGET) -> bool:
    """True for an htmx request that asks to replace only ``#<target>`` (not boosted, not a history restore)."""
    htmx = getattr(request, "htmx", None)
    if not htmx or htmx.boosted or htmx.history_restore_request:
        return False
    return htmx.target == target


def render_page_or_partial(request, page_template: str, partial_template: str, context: dict,
                           target: str = RESULTS_TARGET, status: int = 200):
    """The whole page, or only the fragment that htmx swaps into ``#<target>``."""
    template = partial_template if wants_partial(request, target) else page_template
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response
