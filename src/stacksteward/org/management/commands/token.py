"""``steward token create|list|revoke``: API tokens from the command line."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from stacksteward.core.choices import AuditSourceChoices
from stacksteward.core.management import add_subcommand_options, cli_actor, user_by_username
from stacksteward.org.models import ApiToken
from stacksteward.org.services import token_create, token_revoke


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "never"


class Command(BaseCommand):
    help = "Create, list and revoke API tokens. The key is printed once, at creation; only its hash is stored."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,list,revoke}")
        create = actions.add_parser("create", help="Create a token for a user and print its key once.")
        create.add_argument("username", metavar="USERNAME")
        create.add_argument("--name", default="cli", help="A label to tell tokens apart (default: cli).")
        listing = actions.add_parser("list", help="List a user's tokens (never their keys).")
        listing.add_argument("username", metavar="USERNAME")
        revoke = actions.add_parser("revoke", help="Revoke a token by its id (see `steward token list`).")
        revoke.add_argument("token_id", metavar="ID")
        add_subcommand_options(create)
        add_subcommand_options(listing)
        add_subcommand_options(revoke)

    def handle(self, *args, action, **options):
        return getattr(self, f"handle_{action}")(**options)

    def handle_create(self, *, username, name, verbosity, **options):
        user = user_by_username(username)
        if not user.is_active:
            raise CommandError(f"USERNAME: the user {username!r} is deactivated.")
        token, key = token_create(actor=cli_actor(), user=user, name=name, source=AuditSourceChoices.CLI)
        if verbosity == 0:
            self.stdout.write(key)
            return
        self.stdout.write(f"Created API token #{token.pk} “{token.name}” for {user.get_username()}. "
                          "Copy the key now; it is not shown again:")
        self.stdout.write(key)
        self.stdout.write("Send it in the header “Authorization: Bearer <key>”.")

    def handle_list(self, *, username, **options):
        user = user_by_username(username)
        tokens = list(ApiToken.objects.filter(user=user).order_by("created_at", "pk"))
        if not tokens:
            self.stdout.write(f"{user.get_username()} has no API tokens.")
            return
        rows = [("ID", "NAME", "KEY", "CREATED", "LAST USED", "STATUS")]
        for t in tokens:
            if t.revoked_at:
                status = f"revoked {_when(t.revoked_at)}"
            elif not t.is_active:
                status = f"expired {_when(t.expires_at)}"
            else:
                status = f"active until {_when(t.expires_at)}" if t.expires_at else "active"
            rows.append((str(t.pk), t.name or "-", f"{t.key_hint}…", _when(t.created_at), _when(t.last_used_at),
                         status))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())

    def handle_revoke(self, *, token_id, **options):
        try:
            pk = int(token_id)
        except (TypeError, ValueError):
            raise CommandError(f"ID: expected a token number such as 12, got {token_id!r}.")
        token = ApiToken.objects.select_related("user").filter(pk=pk).first()
        if token is None:
            raise CommandError(f"ID: there is no token #{pk}. See `steward token list USERNAME`.")
        if token.revoked_at is not None:
            self.stdout.write(f"Token #{pk} of {token.user.get_username()} was already revoked on "
                              f"{_when(token.revoked_at)}.")
            return
        token_revoke(token, actor=cli_actor(), source=AuditSourceChoices.CLI)
        self.stdout.write(f"Revoked token #{pk} “{token.name}” of {token.user.get_username()}.")
