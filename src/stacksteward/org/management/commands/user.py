"""``steward user create|list``: sign-in accounts and their roles from the command line."""

import getpass
import sys

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from stacksteward.core.choices import AuditSourceChoices, RoleChoices
from stacksteward.core.management import add_subcommand_options, cli_actor, command_error
from stacksteward.core.roles import role_of
from stacksteward.org.models import Person
from stacksteward.org.services import user_create

ROLES = ", ".join(RoleChoices.values[:-1]) + " or " + RoleChoices.values[-1]


class Command(BaseCommand):
    help = "Create sign-in accounts with a role (viewer, editor, admin) and list them."
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,list}")
        create = actions.add_parser("create", help="Create a user with a role.")
        create.add_argument("username", metavar="USERNAME")
        # Checked in handle() rather than with argparse choices, for a one-line message.
        create.add_argument("--role", required=True, help=f"One of {ROLES}.")
        create.add_argument("--password", help="Asked for when omitted on a terminal; without one the account "
                                               "can only use API tokens until `steward changepassword`.")
        create.add_argument("--email", default="")
        create.add_argument("--person", metavar="EMAIL", help="Link the account to the person with this email.")
        add_subcommand_options(actions.add_parser("list", help="List users and their roles."))
        add_subcommand_options(create)

    def handle(self, *args, action, **options):
        return getattr(self, f"handle_{action}")(**options)

    def handle_create(self, *, username, role, password, email, person, **options):
        role = (role or "").strip().lower()
        if role not in RoleChoices.values:
            raise CommandError(f"--role: unknown role {role!r}; choose {ROLES}.")
        User = get_user_model()
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"USERNAME: the username {username!r} is taken.")
        linked = None
        if person:
            linked = Person.objects.filter(email__iexact=person.strip()).first()
            if linked is None:
                raise CommandError(f"--person: no person with the email {person!r}.")
            if linked.user_id:
                raise CommandError(f"--person: {linked} already has the account {linked.user}.")
        stdin = options.get("stdin") or sys.stdin
        if password is None and stdin.isatty():
            password = self._ask_password()
        if password:
            try:
                password_validation.validate_password(password, User(username=username, email=email))
            except ValidationError as exc:
                raise CommandError("--password: " + " ".join(exc.messages))
        try:
            user = user_create(actor=cli_actor(), username=username, password=password or None, role=role,
                               email=email, person=linked, source=AuditSourceChoices.CLI)
        except ValidationError as exc:
            raise command_error(exc, {"username": "USERNAME", "email": "--email"})
        self.stdout.write(f"Created user {user.get_username()} with the role {role}"
                          + (f", linked to {linked}." if linked else "."))
        if not password:
            self.stdout.write(f"No password set: {username} can use API tokens "
                              f"(`steward token create {username}`) and sign in after "
                              f"`steward changepassword {username}`.")

    def _ask_password(self) -> str:
        while True:
            first = getpass.getpass("Password (empty for none): ")
            if not first:
                return ""
            if getpass.getpass("Password (again): ") == first:
                return first
            self.stderr.write("The passwords differ; try again.")

    def handle_list(self, **options):
        User = get_user_model()
        users = list(User.objects.order_by("username"))
        for user in users:
            state = "" if user.is_active else "  (deactivated)"
            self.stdout.write(f"{user.get_username():<24} {role_of(user) or '-':<7}{state}".rstrip())
        if not users:
            self.stdout.write("No users yet. Create one with `steward user create USERNAME --role admin`.")
