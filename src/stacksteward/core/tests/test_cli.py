"""The ``steward`` CLI: its own commands, the stack-as-code aliases and Django passthrough."""

import io
import os
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from stacksteward import cli
from stacksteward.catalog import services as catalog_services
from stacksteward.catalog.models import Component
from stacksteward.core.actors import SystemActor
from stacksteward.core.models import AuditEntry
from stacksteward.core.roles import role_of
from stacksteward.home.management.commands import serve
from stacksteward.org.models import ApiToken
from stacksteward.org.services import token_authenticate
from stacksteward.org.tests.factories import PersonFactory, UserFactory

KEY = re.compile(r"sst_[A-Za-z0-9_-]{20,}")


@pytest.fixture
def steward(monkeypatch, capsys):
    """``steward(*args)`` → (exit status, stdout, stderr), through ``cli.main``.

    Django closes every database connection when a command run from the command line ends;
    inside a test that would end the test's transaction (on PostgreSQL), so keep it open.
    """
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def run(*args):
        status = cli.main(list(args))
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run


@pytest.fixture
def gunicorn_calls(monkeypatch):
    """Record the gunicorn command instead of replacing the test process with it."""
    calls = []
    monkeypatch.setattr(serve, "exec_gunicorn", calls.append)
    return calls


@pytest.fixture
def forget_content_types():
    """``--reset`` flushes and recreates content types inside the test transaction; once the test
    is rolled back, the cached ids would be stale for the next test."""
    yield
    ContentType.objects.clear_cache()


def _one_line_error(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# main() -----------------------------------------------------------------------------------

def test_main_without_arguments_prints_usage(steward):
    status, out, _ = steward()
    assert status == 0
    assert "steward demo" in out or "demo [--no-serve]" in out
    assert "token create USERNAME" in out


def test_main_unset_settings_module_defaults_to_stacksteward(monkeypatch):
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE")
    seen = []
    monkeypatch.setattr("django.core.management.execute_from_command_line",
                        lambda argv: seen.append((argv, os.environ["DJANGO_SETTINGS_MODULE"])))

    assert cli.main(["check"]) == 0

    assert seen == [(["steward", "check"], "stacksteward.settings")]


def test_main_import_and_export_aliases_run_stackcode_commands(monkeypatch, tmp_path):
    seen = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", seen.append)
    stack = tmp_path / "stack.yaml"
    stack.write_text("apiVersion: stacksteward/v1\n")

    assert cli.main(["import", str(stack), "--dry-run"]) == 0
    assert cli.main(["export", "--format", "csv", "-o", str(tmp_path / "out")]) == 0
    assert cli.main(["help", "export"]) == 0

    assert seen == [
        ["steward", "stack_import", str(stack), "--dry-run"],
        ["steward", "stack_export", "--format", "csv", "-o", str(tmp_path / "out")],
        ["steward", "help", "stack_export"],
    ]


@pytest.mark.django_db
def test_export_then_import_dry_run_through_the_aliases(steward, tmp_path):
    catalog_services.vendor_create(actor=SystemActor("test"), data={"name": "Alias Vendor"})
    path = tmp_path / "stack.yaml"

    status, _, err = steward("export", "--format", "yaml", "-o", str(path))
    assert status == 0, err
    text = path.read_text()
    assert text.startswith("apiVersion: stacksteward/v1") and "alias-vendor" in text

    status, out, err = steward("import", str(path), "--dry-run")
    assert status == 0, err
    assert "Nothing to change" in out


def test_check_passthrough_runs_django_command(steward):
    status, out, err = steward("check")
    assert status == 0, err
    assert "System check identified no issues" in out


def test_unknown_command_exits_nonzero(steward):
    status, _, err = steward("frobnicate")
    assert status == 1
    assert "Unknown command: 'frobnicate'" in err


def test_export_unknown_format_names_the_argument(steward):
    status, _, err = steward("export", "--format=json")
    assert status == 2
    line = _one_line_error(err)
    assert "--format" in line and "'json'" in line and "yaml" in line


def test_import_missing_file_names_the_path(steward, tmp_path):
    missing = tmp_path / "nope.yaml"
    status, _, err = steward("import", str(missing))
    assert status == 2
    line = _one_line_error(err)
    assert line.startswith("steward import: PATH") and "nope.yaml" in line


def test_unexpected_error_one_line_without_traceback(steward, monkeypatch):
    def explode(argv):
        raise RuntimeError("database is locked")

    monkeypatch.setattr("django.core.management.execute_from_command_line", explode)
    status, _, err = steward("migrate")
    assert status == 1
    assert "database is locked" in _one_line_error(err)


# token ------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_token_create_existing_user_prints_key_once_and_stores_only_its_hash():
    alice = UserFactory(username="alice")
    out = io.StringIO()

    call_command("token", "create", "alice", "--name", "laptop", stdout=out)

    keys = KEY.findall(out.getvalue())
    assert len(keys) == 1
    key = keys[0]
    token = ApiToken.objects.get(user=alice)
    assert token.name == "laptop"
    assert token.key_hash == ApiToken.hash_key(key)
    assert key not in {token.key_hash, token.key_hint, token.name}
    assert token_authenticate(key) == alice
    entry = AuditEntry.objects.get(object_id=str(token.pk), content_type__model="apitoken")
    assert entry.source == "cli" and entry.actor_name.startswith("cli")
    assert key not in str(entry.after)


@pytest.mark.django_db
def test_token_create_quiet_prints_only_the_key():
    UserFactory(username="bot")
    out = io.StringIO()

    call_command("token", "create", "bot", verbosity=0, stdout=out)

    assert KEY.fullmatch(out.getvalue().strip())


@pytest.mark.django_db
def test_token_create_unknown_user_one_line_error_nothing_written(steward):
    status, out, err = steward("token", "create", "nobody")

    assert status == 1
    line = _one_line_error(err)
    assert "USERNAME" in line and "'nobody'" in line
    assert not ApiToken.objects.exists()
    assert not KEY.search(out)


@pytest.mark.django_db
def test_token_list_shows_hints_never_keys():
    alice = UserFactory(username="alice")
    key_out = io.StringIO()
    call_command("token", "create", "alice", "--name", "ci", stdout=key_out)
    key = KEY.search(key_out.getvalue()).group()
    out = io.StringIO()

    call_command("token", "list", "alice", stdout=out)

    listing = out.getvalue()
    token = ApiToken.objects.get(user=alice)
    assert f"{token.pk} " in listing and "ci" in listing and token.key_hint in listing and "active" in listing
    assert key not in listing


@pytest.mark.django_db
def test_token_revoke_existing_token_stops_authenticating():
    alice = UserFactory(username="alice")
    out = io.StringIO()
    call_command("token", "create", "alice", stdout=out)
    key = KEY.search(out.getvalue()).group()
    token = ApiToken.objects.get(user=alice)

    call_command("token", "revoke", str(token.pk), stdout=io.StringIO())

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token_authenticate(key) is None
    assert AuditEntry.objects.filter(object_id=str(token.pk), action="update", source="cli").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["999", "twelve"])
def test_token_revoke_unknown_id_names_the_argument(value):
    with pytest.raises(CommandError, match=r"^ID: "):
        call_command("token", "revoke", value)


# user -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_user_create_with_role_and_password_creates_audited_user(steward):
    status, out, err = steward("user", "create", "dana", "--role", "editor", "--password", "Tr1cky-Passw0rd!")

    assert status == 0, err
    user = get_user_model().objects.get(username="dana")
    assert role_of(user) == "editor"
    assert user.check_password("Tr1cky-Passw0rd!")
    assert "dana" in out and "editor" in out
    entry = AuditEntry.objects.get(content_type__model="user", object_id=str(user.pk))
    assert entry.source == "cli" and entry.after["role"] == "editor"


@pytest.mark.django_db
def test_user_create_without_password_on_no_terminal_makes_token_only_account():
    out = io.StringIO()
    call_command("user", "create", "robot", "--role", "viewer", stdout=out, stdin=io.StringIO())

    user = get_user_model().objects.get(username="robot")
    assert not user.has_usable_password()
    assert "No password set" in out.getvalue()


@pytest.mark.django_db
def test_user_create_bad_role_one_line_error_nonzero_exit_nothing_written(steward):
    status, out, err = steward("user", "create", "eve", "--role", "boss", "--password", "Tr1cky-Passw0rd!")

    assert status == 1
    line = _one_line_error(err)
    assert "--role" in line and "'boss'" in line and "viewer" in line
    assert not get_user_model().objects.filter(username="eve").exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_user_create_taken_username_names_the_argument(steward):
    UserFactory(username="frank")
    status, _, err = steward("user", "create", "frank", "--role", "viewer")
    assert status == 1
    assert "USERNAME" in _one_line_error(err)


@pytest.mark.django_db
def test_user_create_weak_password_refused(steward):
    status, _, err = steward("user", "create", "gina", "--role", "viewer", "--password", "short")
    assert status == 1
    assert "--password" in _one_line_error(err)
    assert not get_user_model().objects.filter(username="gina").exists()


@pytest.mark.django_db
def test_user_create_with_person_links_the_account():
    person = PersonFactory(email="hal@example.com")

    call_command("user", "create", "hal", "--role", "admin", "--person", "HAL@example.com",
                 "--password", "Tr1cky-Passw0rd!", stdout=io.StringIO())

    person.refresh_from_db()
    assert person.user.username == "hal"
    assert role_of(person.user) == "admin"


@pytest.mark.django_db
def test_user_create_unknown_person_names_the_argument():
    with pytest.raises(CommandError, match=r"^--person: "):
        call_command("user", "create", "ivy", "--role", "viewer", "--person", "ghost@example.com")
    assert not get_user_model().objects.filter(username="ivy").exists()


@pytest.mark.django_db
def test_user_list_shows_roles():
    call_command("user", "create", "jo", "--role", "editor", stdin=io.StringIO(), stdout=io.StringIO())
    out = io.StringIO()
    call_command("user", "list", stdout=out)
    assert re.search(r"^jo\s+editor$", out.getvalue(), re.MULTILINE)


# serve ------------------------------------------------------------------------------------

def test_serve_arguments_build_the_gunicorn_command(steward, gunicorn_calls):
    status, out, err = steward("serve", "--host", "0.0.0.0", "--port", "9001", "--workers", "3", "--no-migrate")

    assert status == 0, err
    [argv] = gunicorn_calls
    assert argv[1:4] == ["-m", "gunicorn", "stacksteward.wsgi:application"]
    options = dict(zip(argv[4::2], argv[5::2], strict=False))
    assert options["--bind"] == "0.0.0.0:9001"
    assert options["--workers"] == "3"
    assert options["--worker-class"] == "sync"
    assert "http://127.0.0.1:9001/" in out


@pytest.mark.django_db
def test_serve_defaults_migrate_then_bind_localhost(gunicorn_calls, monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    out = io.StringIO()

    call_command("serve", stdout=out)

    [argv] = gunicorn_calls
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8000"
    assert argv[argv.index("--workers") + 1] == "4"
    assert "Applying database migrations" in out.getvalue()


def test_serve_ipv6_host_is_bracketed():
    assert serve.bind_address("::1", 8000) == "[::1]:8000"


@pytest.mark.parametrize(("args", "argument"), [
    (["--port", "99999"], "--port"),
    (["--port", "http"], "--port"),
    (["--workers", "0"], "--workers"),
    (["--host", "a b"], "--host"),
])
def test_serve_bad_arguments_one_line_error_no_server(steward, gunicorn_calls, args, argument):
    status, _, err = steward("serve", "--no-migrate", *args)
    assert status == 1
    assert argument in _one_line_error(err)
    assert gunicorn_calls == []


# demo -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_demo_no_serve_loads_company_prints_url_and_logins(steward, gunicorn_calls):
    status, out, err = steward("demo", "--no-serve")

    assert status == 0, err
    assert gunicorn_calls == []
    assert 40 <= Component.objects.count() <= 60
    assert "Loading the demo company" in out
    assert "http://127.0.0.1:8000/" in out
    for username, password, role, _ in (
        ("admin", "steward-admin", "admin", None), ("editor", "steward-editor", "editor", None),
        ("viewer", "steward-viewer", "viewer", None),
    ):
        assert re.search(rf"{username}\s.*{password}\s.*{role}", out), username
        assert get_user_model().objects.get(username=username).check_password(password)


@pytest.mark.django_db
def test_demo_second_run_keeps_data_and_serves(steward, gunicorn_calls):
    steward("demo", "--no-serve")
    audit_count = AuditEntry.objects.count()

    status, out, err = steward("demo", "--port", "8123")

    assert status == 0, err
    assert "already loaded" in out
    assert AuditEntry.objects.count() == audit_count
    [argv] = gunicorn_calls
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8123"
    assert argv[argv.index("--worker-class") + 1] == "sync"


# --reset flushes the database (TRUNCATE on PostgreSQL), which cannot run inside a test's
# transaction; serialized rollback restores the seeded taxonomy for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_demo_reset_erases_other_data_and_reloads(steward, gunicorn_calls, forget_content_types):
    steward("demo", "--no-serve")
    Component.objects.filter(slug="segment").update(name="Renamed by hand")
    UserFactory(username="stranger")

    status, out, err = steward("demo", "--no-serve", "--reset", "--no-input")

    assert status == 0, err
    assert Component.objects.get(slug="segment").name == "Segment"
    assert not get_user_model().objects.filter(username="stranger").exists()
    assert 40 <= Component.objects.count() <= 60
    assert get_user_model().objects.get(username="admin").check_password("steward-admin")


@pytest.mark.django_db
def test_demo_database_with_real_accounts_refused_nothing_loaded(steward, gunicorn_calls):
    UserFactory(username="alice")

    status, _, err = steward("demo", "--no-serve")

    assert status == 1
    assert "already has accounts (alice" in _one_line_error(err)
    assert not Component.objects.exists()
    assert not get_user_model().objects.filter(username="admin").exists()


@pytest.mark.django_db
def test_demo_bad_port_one_line_error_nothing_loaded(steward, gunicorn_calls):
    status, _, err = steward("demo", "--port", "0")
    assert status == 1
    assert "--port" in _one_line_error(err)
    assert not Component.objects.exists()
