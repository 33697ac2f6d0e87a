"""``steward intake_rescore [--date YYYY-MM-DD]``: recompute the stored backlog priority scores (daily cron)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from stacksteward.intake.models import BacklogItem
from stacksteward.intake.services import rescore_items


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date: {text!r} is not a date; use YYYY-MM-DD.")


class Command(BaseCommand):
    help = ("Recompute the priority score of every open backlog item. Urgency grows as needed-by dates come "
            "closer, so run it once a day (e.g. from cron: `0 5 * * * steward intake_rescore -v 0`). Prints how "
            "many scores changed.")

    def add_arguments(self, parser):
        parser.add_argument("--date", metavar="YYYY-MM-DD",
                            help="score as on this day instead of today (to check what tomorrow looks like)")

    def handle(self, *args, date=None, verbosity=1, **options):
        on = _date(date) if date else timezone.localdate()
        open_items = BacklogItem.objects.open().count()
        changed = rescore_items(on=on)
        if verbosity:
            noun = "item" if open_items == 1 else "items"
            self.stdout.write(f"Rescored {open_items} open backlog {noun} as on {on:%Y-%m-%d}: "
                              f"{changed} score{'' if changed == 1 else 's'} changed.")
