"""``steward finance_daily [--date YYYY-MM-DD]``: roll auto-renewals forward, expire lapsed manual
contracts and send the notice-deadline reminders (run once a day from cron)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from stacksteward.core.actors import SystemActor
from stacksteward.finance import services


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date: {text!r} is not a date; use YYYY-MM-DD.")


class Command(BaseCommand):
    help = ("Roll auto-renewing contracts whose term ended into their next term, expire manual ones nobody "
            "renewed, mark those within the renewal lead time (STEWARD_RENEWAL_LEAD_DAYS) as renewing, and "
            "remind owners of notice deadlines at 120, 60, 30 and 7 days (STEWARD_RENEWAL_REMINDERS). "
            "Safe to run more than once a day: nothing is sent twice. "
            "Cron: `30 5 * * * steward finance_daily -v 0`.")

    def add_arguments(self, parser):
        parser.add_argument("--date", metavar="YYYY-MM-DD", help="act as on this day instead of today")

    def handle(self, *args, date=None, verbosity=1, **options):
        on = _date(date) if date else timezone.localdate()
        actor = SystemActor.job("finance_daily")
        rolled = services.contracts_roll_forward(on=on, actor=actor)
        renewing = services.contracts_mark_renewing(on=on, actor=actor)
        reminders = services.contract_reminders(on=on, actor=actor)
        if verbosity:
            people = sum(r.recipient_count for r in reminders)
            self.stdout.write(
                f"{on:%Y-%m-%d}: {rolled['rolled_forward']} contract term(s) rolled forward, "
                f"{rolled['expired']} expired, {renewing} now up for renewal, "
                f"{len(reminders)} reminder(s) sent to {people} people.")
