"""``steward demo``: migrate, load the demo company, create demo logins, then serve it."""

import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from stacksteward import demo
from stacksteward.core.management import console_for

from .serve import parse_host, parse_port, run_server, url_for

DEMO_WORKERS = 2


class Command(BaseCommand):
    help = (f"Apply migrations, load the demo company ({demo.COMPANY}) unless it is already loaded, create "
            "demo logins (admin, editor, viewer) and start the server on 127.0.0.1:8000.")

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Load the demo and stop; do not start "
                                                                    "the server.")
        parser.add_argument("--reset", action="store_true",
                            help="Erase ALL data in the database first, then load the demo afresh.")
        parser.add_argument("--no-input", "--noinput", action="store_false", dest="interactive",
                            help="Do not ask before --reset erases the database.")
        parser.add_argument("--host", default="127.0.0.1", help="Address to serve on (default: 127.0.0.1).")
        parser.add_argument("--port", default="8000", help="Port to serve on (default: 8000).")

    def handle(self, *args, no_serve, reset, interactive, host, port, verbosity, **options):
        host, port = parse_host(host), parse_port(port)
        console = console_for(self)
        say = console.print if verbosity else (lambda *a, **k: None)

        self._migrate(console, show_progress=bool(verbosity))
        if reset:
            self._confirm_reset(interactive)
            call_command("flush", interactive=False, verbosity=0)
            ContentType.objects.clear_cache()
            say("Erased every record in the database.")

        if demo.demo_loaded() and not reset:
            say(f"The demo company {demo.COMPANY} is already loaded; keeping its data "
                "(use --reset to start over).")
        else:
            self._refuse_real_accounts()
            result = self._load(console, show_progress=bool(verbosity))
            say(f"Loaded {demo.COMPANY}: {result.describe()}.")

        logins = demo.ensure_demo_logins()
        url = url_for(host, port)
        if verbosity:
            self._print_welcome(console, url, logins, serving=not no_serve)
        if no_serve:
            return
        run_server(self, host=host, port=port, workers=DEMO_WORKERS)

    def _refuse_real_accounts(self) -> None:
        """The demo logins have published passwords: never add them next to real accounts."""
        demo_names = [login[0] for login in demo.LOGINS]
        others = list(get_user_model().objects.exclude(username__in=demo_names)
                      .order_by("username").values_list("username", flat=True)[:3])
        if others:
            raise CommandError(
                f"the database already has accounts ({', '.join(others)}…) and the demo adds logins with "
                "published passwords. Try the demo in its own data folder (STEWARD_DATA_DIR=demo-data steward "
                "demo), or add --reset to erase this database first."
            )

    def _confirm_reset(self, interactive: bool) -> None:
        if not interactive or not sys.stdin.isatty():
            return
        name = settings.DATABASES["default"]["NAME"]
        answer = input(f"--reset erases every record in the database {name}. Type 'yes' to go on: ")
        if answer.strip().lower() != "yes":
            raise CommandError("--reset: cancelled; nothing was erased.")

    def _migrate(self, console, *, show_progress: bool) -> None:
        """Apply the migrations, with a progress bar (one step per migration) like the demo's loading."""
        plan = MigrationExecutor(connections[DEFAULT_DB_ALIAS]).migration_plan(
            MigrationExecutor(connections[DEFAULT_DB_ALIAS]).loader.graph.leaf_nodes())
        if not show_progress:
            call_command("migrate", interactive=False, verbosity=0)
            return
        if not plan:
            console.print("The database is up to date (no migrations to apply).")
            return
        columns = (TextColumn("[bold]Applying database migrations[/bold]"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), TextColumn("{task.description}"))
        with Progress(*columns, console=console, transient=False) as progress:
            task = progress.add_task("", total=len(plan))

            def advance(migration) -> None:
                progress.update(task, advance=1, description=f"{migration.app_label} {migration.name}"[:40])

            call_command(_MigrateWithProgress(advance), interactive=False, verbosity=0)
            progress.update(task, description="done")

    def _load(self, console, *, show_progress: bool) -> demo.DemoResult:
        if not show_progress:
            return demo.load_demo()
        columns = (TextColumn("[bold]Loading the demo company[/bold]"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), TextColumn("{task.description}"))
        with Progress(*columns, console=console, transient=False) as progress:
            task = progress.add_task("", total=demo.step_count())

            def advance(label: str) -> None:
                progress.update(task, advance=1, description=label[:40])

            result = demo.load_demo(progress=advance)
            progress.update(task, description="done")
        return result

    def _print_welcome(self, console, url: str, logins: list[demo.DemoLogin], *, serving: bool) -> None:
        table = Table(title=f"Demo logins for {url}", title_justify="left", show_edge=False)
        for heading in ("username", "password", "role", "signs in as"):
            table.add_column(heading)
        for login in logins:
            password = login.password if login.password_matches else "(changed since the demo was loaded)"
            table.add_row(login.username, password, login.role, login.person)
        console.print()
        console.print(table)
        console.print()
        if serving:
            console.print(f"Open {url} and sign in with one of the logins above.")
        else:
            console.print(f"Start the server with `steward serve`, then open {url} and sign in with one of "
                          "the logins above.")


class _MigrateWithProgress(MigrateCommand):
    """Django's ``migrate``, telling ``on_applied`` about each migration as it is applied."""

    def __init__(self, on_applied, **kwargs):
        super().__init__(**kwargs)
        self.on_applied = on_applied

    def migration_progress_callback(self, action, migration=None, fake=False):
        if action == "apply_success":
            self.on_applied(migration)
