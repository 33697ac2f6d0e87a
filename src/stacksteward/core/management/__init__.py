"""Helpers shared by the ``steward`` management commands (demo, serve, token, user)."""

import argparse
import getpass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from rich.console import Console

from stacksteward.core.actors import SystemActor
from stacksteward.core.services import validation_messages


def add_subcommand_options(parser) -> None:
    """Accept ``-v 0`` and ``--traceback`` after a sub-command too (``steward token create bob -v 0``).

    Django adds them to the command's own parser only, so they would have to come before the
    sub-command's name; ``SUPPRESS`` keeps the command-level default when they are not given.
    """
    parser.add_argument("-v", "--verbosity", type=int, choices=[0, 1, 2, 3], default=argparse.SUPPRESS,
                        help="0 = minimal output, 1 = normal (default).")
    parser.add_argument("--traceback", action="store_true", default=argparse.SUPPRESS,
                        help="Show the traceback of an error.")


def cli_actor() -> SystemActor:
    """The audit actor of a command run from a shell: ``cli:<operating-system user>``."""
    try:
        return SystemActor.cli(getpass.getuser()[:140])
    except (KeyError, OSError):
        return SystemActor.cli()


def console_for(command) -> Console:
    """A rich console writing to the command's stdout (a terminal, or a buffer in tests)."""
    stream = getattr(command.stdout, "_out", command.stdout)
    return Console(file=stream, highlight=False, soft_wrap=True)


def command_error(exc: ValidationError, names: dict[str, str] | None = None) -> CommandError:
    """One line naming the argument: ``--role: …``. ``names`` maps model fields to argument names."""
    names = names or {}
    parts = []
    for item in validation_messages(exc):
        field = item["field"]
        label = names.get(field, field if field != "__all__" else "")
        parts.append(f"{label}: {item['message']}" if label else item["message"])
    return CommandError(" ".join(parts))


def user_by_username(username: str, argument: str = "USERNAME"):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(
            f"{argument}: no user named {username!r}. Create one with "
            f"`steward user create {username} --role viewer`."
        )
    return user
