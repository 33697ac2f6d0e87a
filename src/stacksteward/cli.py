"""The ``steward`` command: Stack Steward's own commands and every Django management command.

``main`` translates the two stack-as-code aliases (``import`` → ``stack_import``, ``export`` →
``stack_export``) and hands everything else to Django's command runner, so ``steward migrate``,
``steward createsuperuser`` or ``steward check`` work as ``manage.py`` would. The commands
``demo`` and ``serve`` are management commands of the ``home`` app (above every domain app),
``token`` and ``user`` of ``org``.

Bad input ends with a one-line message naming the argument and a non-zero exit status, never a
traceback (add ``--traceback`` to see one).
"""

import os
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ALIASES = {"import": "stack_import", "export": "stack_export"}
EXPORT_FORMATS = ("yaml", "csv", "xlsx")

USAGE = """\
usage: steward COMMAND [OPTIONS]

Stack Steward: one source of truth for the martech stack, shared by Marketing and IT.

Commands:
  demo [--no-serve] [--reset]        migrate, load the demo company, create demo logins and serve
                                     it on http://127.0.0.1:8000/
  serve [--host] [--port] [--workers]
                                     migrate, then run gunicorn (sync workers)
  import PATH [--dry-run]            import a stack-as-code file (YAML, CSV or XLSX)
  export [--format yaml|csv|xlsx] [-o PATH]
                                     export the stack as code
  token create USERNAME [--name NAME]
                                     create an API token (the key is printed once)
  token list USERNAME                list a user's tokens
  token revoke ID                    revoke a token
  user create USERNAME --role viewer|editor|admin [--password PASSWORD]
                                     create a sign-in account
  user list                          list accounts and their roles

Every Django management command works too: steward migrate, steward createsuperuser,
steward changepassword, steward check, steward shell, … (`steward help` lists them all;
`steward help COMMAND` explains one).

Settings come from the environment (DATABASE_URL, STEWARD_DATA_DIR, SECRET_KEY, DEBUG, …):
see docs/configuration.md.
"""


def _version() -> str:
    try:
        return version("stacksteward")
    except PackageNotFoundError:
        return "unknown"


def _option_value(args: list[str], *names: str) -> str | None:
    """The value given to an option (``--format x`` or ``--format=x``), or None."""
    for i, arg in enumerate(args):
        for name in names:
            if arg == name and i + 1 < len(args):
                return args[i + 1]
            if arg.startswith(name + "="):
                return arg.split("=", 1)[1]
    return None


def _precheck(args: list[str]) -> str | None:
    """Problems the stack-as-code aliases can name before Django starts (one line, or None)."""
    command, rest = args[0], args[1:]
    if command == "export":
        fmt = _option_value(rest, "--format")
        if fmt is not None and fmt.lower() not in EXPORT_FORMATS:
            return f"--format: unknown format {fmt!r}; choose {', '.join(EXPORT_FORMATS)}."
    if command == "import":
        if not rest or rest[0].startswith("-"):
            return "PATH: name the file to import, e.g. `steward import stack.yaml --dry-run`."
        path = rest[0]
        if path != "-" and not Path(path).exists():
            return f"PATH: no such file {path!r}."
    return None


def _exit_status(code) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or exc.__class__.__name__
    return text if len(text) <= 300 else text[:297] + "…"


def main(argv: list[str] | None = None) -> int:
    """Run ``steward`` with ``argv`` (default: the process arguments); returns the exit status."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stacksteward.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(USAGE, end="")
        return 0
    if args[0] in ("--version", "version"):
        print(f"steward {_version()}")
        return 0

    asks_help = "-h" in args or "--help" in args
    problem = None if asks_help else _precheck(args)
    if problem:
        print(f"steward {args[0]}: {problem}", file=sys.stderr)
        return 2
    if args[0] in ALIASES:
        args[0] = ALIASES[args[0]]
    if args[0] == "help" and len(args) > 1 and args[1] in ALIASES:
        args[1] = ALIASES[args[1]]

    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["steward", *args])
    except SystemExit as exc:
        return _exit_status(exc.code)
    except KeyboardInterrupt:
        print("steward: interrupted.", file=sys.stderr)
        return 130
    except Exception as exc:
        if "--traceback" in args:
            raise
        print(f"steward {args[0]}: {_one_line(exc)} (run again with --traceback for details)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
