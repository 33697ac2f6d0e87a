import zoneinfo

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.utils import timezone

from .actors import facts


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs a signed-in user except those marked ``@login_not_required``.

    The API under ``/api/`` answers 401 itself (django-ninja auth), so it is left to it.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class TimeZoneMiddleware:
    """Dates and times on pages in the viewer's time zone: their person's own (``org.Person.time_zone``), else
    the company's (``settings.TIME_ZONE``, from ``STEWARD_TIME_ZONE``). Read from ``core.actors.facts``, which
    the permission rules of the same request use: no query of its own once they ran."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = viewer_time_zone(getattr(request, "user", None))
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def viewer_time_zone(user) -> zoneinfo.ZoneInfo | None:
    """The person's own time zone, or None for the company's."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    person = facts(user).person
    name = getattr(person, "time_zone", "") if person is not None else ""
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
