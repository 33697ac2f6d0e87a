"""``steward serve``: migrate, then run gunicorn (sync workers) serving ``stacksteward.wsgi``.

Static files are served by WhiteNoise from inside the app, so no separate web server is needed
for a small installation; in production put a reverse proxy in front (docs/production.md).
More gunicorn settings can be passed in ``GUNICORN_CMD_ARGS`` (gunicorn reads it itself).
"""

import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

WSGI_APP = "stacksteward.wsgi:application"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def default_workers() -> int:
    """``WEB_CONCURRENCY`` when set, else 2 × CPUs + 1 (at most 9)."""
    if os.environ.get("WEB_CONCURRENCY", "").isdigit():
        return max(1, int(os.environ["WEB_CONCURRENCY"]))
    return min(2 * (os.cpu_count() or 1) + 1, 9)


def parse_port(value) -> int:
    try:
        port = int(value)
    except (TypeError, ValueError):
        raise CommandError(f"--port: expected a number from 1 to 65535, got {value!r}.")
    if not 1 <= port <= 65535:
        raise CommandError(f"--port: expected a number from 1 to 65535, got {port}.")
    return port


def positive_int(value, argument: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise CommandError(f"{argument}: expected a whole number of at least 1, got {value!r}.")
    if number < 1:
        raise CommandError(f"{argument}: expected a whole number of at least 1, got {number}.")
    return number


def parse_host(value) -> str:
    host = (value or "").strip()
    if not host or any(c.isspace() or c in "/?#@" for c in host):
        raise CommandError(f"--host: expected an address such as 127.0.0.1 or 0.0.0.0, got {value!r}.")
    return host


def bind_address(host: str, port: int) -> str:
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # IPv6
    return f"{host}:{port}"


def url_for(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in {"0.0.0.0", "::", "[::]"} else host  # noqa: S104 (only for display)
    return f"http://{bind_address(shown, port)}/"


def gunicorn_argv(*, host: str, port: int, workers: int, timeout: int = 60) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", WSGI_APP,
        "--bind", bind_address(host, port),
        "--workers", str(workers),
        "--worker-class", "sync",
        "--timeout", str(timeout),
        "--access-logfile", "-",
        "--error-logfile", "-",
    ]


def exec_gunicorn(argv: list[str]) -> None:
    """Replace this process with gunicorn (tests replace this function)."""
    sys.stdout.flush()
    sys.stderr.flush()
    connections.close_all()
    os.execv(argv[0], argv)  # noqa: S606 (fixed argv: this interpreter running gunicorn)


def run_server(command: BaseCommand, *, host: str, port: int, workers: int, timeout: int = 60) -> None:
    """Print where the app will answer, then hand over to gunicorn."""
    # WhiteNoise serves from the finders until `steward collectstatic` fills STATIC_ROOT; it only
    # needs the folder to exist.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    command.stdout.write(f"Serving Stack Steward at {url_for(host, port)} with gunicorn "
                         f"({workers} sync worker{'s' if workers != 1 else ''}). Press Ctrl+C to stop.")
    if host not in LOCAL_HOSTS and not os.environ.get("ALLOWED_HOSTS"):
        command.stdout.write("Set ALLOWED_HOSTS to the host name people use to reach it "
                             "(see docs/configuration.md), or requests will be refused.")
    exec_gunicorn(gunicorn_argv(host=host, port=port, workers=workers, timeout=timeout))


class Command(BaseCommand):
    help = "Apply migrations, then serve Stack Steward with gunicorn (sync workers)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default: 127.0.0.1; "
                                                                "0.0.0.0 for every interface).")
        parser.add_argument("--port", default="8000", help="Port to listen on (default: 8000).")
        parser.add_argument("--workers", default=None, help="Number of sync worker processes (default: "
                                                            "WEB_CONCURRENCY, else 2 × CPUs + 1, at most 9).")
        parser.add_argument("--timeout", default="60", help="Seconds before a stuck worker is restarted.")
        parser.add_argument("--no-migrate", action="store_true",
                            help="Do not apply migrations first (when a deploy step already did).")

    def handle(self, *args, host, port, workers, timeout, no_migrate, verbosity, **options):
        host = parse_host(host)
        port = parse_port(port)
        workers = positive_int(workers, "--workers") if workers is not None else default_workers()
        timeout = positive_int(timeout, "--timeout")
        if not no_migrate:
            if verbosity:
                self.stdout.write("Applying database migrations…")
            call_command("migrate", interactive=False, verbosity=0)
        run_server(self, host=host, port=port, workers=workers, timeout=timeout)
