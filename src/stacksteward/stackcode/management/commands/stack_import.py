"""``steward import PATH [--dry-run] [--actor USERNAME]``: import a stack file or an inventory spreadsheet."""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from stacksteward.core.actors import SystemActor
from stacksteward.core.choices import AuditSourceChoices
from stacksteward.core.roles import has_role
from stacksteward.stackcode.importer import import_path
from stacksteward.stackcode.rendering import render_report


class Command(BaseCommand):
    help = ("Import a stack file (YAML, a CSV zip or folder, XLSX) or an inventory spreadsheet (CSV, XLSX). "
            "All or nothing: with any error nothing is written and the command fails listing every error.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="the file, or a folder of CSV files written by stack_export")
        parser.add_argument("--dry-run", action="store_true",
                            help="show what would be created and changed, and write nothing")
        parser.add_argument("--actor", metavar="USERNAME",
                            help="the user recorded in the audit log (an editor); default: “cli”")

    def handle(self, *args, path, dry_run=False, actor=None, **options):
        source_path = Path(path)
        if not source_path.exists():
            raise CommandError(f"{path}: no such file or folder.")
        who = self._actor(actor)
        stderr = Console(file=sys.stderr)
        with Progress(TextColumn("Importing {task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=stderr, transient=True,
                      disable=not stderr.is_terminal) as progress:
            task = progress.add_task(source_path.name, total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            report = import_path(source_path, actor=who, dry_run=dry_run, source=AuditSourceChoices.IMPORT,
                                 progress=advance)
        color = hasattr(self.stdout, "isatty") and self.stdout.isatty()
        self.stdout.write(render_report(report, verbose=options.get("verbosity", 1) >= 2, color=color), ending="")
        if not report.ok:
            n = len(report.errors)
            raise CommandError(f"{n} error{'s' if n != 1 else ''} in {report.file}; nothing was imported:\n"
                               + "\n".join(str(e) for e in report.errors))

    def _actor(self, username):
        if not username:
            return SystemActor.cli()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"--actor {username}: no such user.")
        if not has_role(user, "editor"):
            raise CommandError(f"--actor {username}: importing needs the editor role.")
        return user
