"""SQLite with the production connection options (settings.sqlite_options): a slow writer makes the
other writers wait, not fail with "database is locked"."""

import threading
import time

import pytest
from django.db import connections, transaction

from stacksteward import settings as steward_settings

WRITERS = 4
HOLD = 1.0  # seconds the long write keeps its transaction open


@pytest.fixture
def file_database(tmp_path, django_db_blocker):
    """An extra database alias on a real SQLite file (the test database lives in memory, where
    neither the write-ahead log nor the busy timeout apply), opened like the production one."""

    def add(alias, options):
        connections.settings[alias] = connections.configure_settings(
            {
                "default": connections.settings["default"],
                alias: {
                    "ENGINE": "django.db.backends.sqlite3",
                    "NAME": str(tmp_path / "steward.sqlite3"),
                    "OPTIONS": options,
                },
            }
        )[alias]
        added.append(alias)
        return alias

    added = []
    with django_db_blocker.unblock():
        yield add
        for alias in added:
            connections[alias].close()
            del connections.settings[alias]


def _run_writers(alias):
    """One thread holds a write transaction for HOLD seconds; WRITERS others write meanwhile.
    Returns (errors, rows written, seconds the other writers took)."""
    with connections[alias].cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS note (id INTEGER PRIMARY KEY, text TEXT)")
    connections[alias].close()
    errors, started, finished = [], threading.Event(), []

    def long_write():
        try:
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute("INSERT INTO note (text) VALUES ('long')")
                started.set()
                time.sleep(HOLD)
        except Exception as error:  # noqa: BLE001 - recorded and asserted on
            errors.append(str(error))
            started.set()
        finally:
            connections[alias].close()

    def short_write(n):
        try:
            begin = time.monotonic()
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute("INSERT INTO note (text) VALUES (%s)", [f"short {n}"])
            finished.append(time.monotonic() - begin)
        except Exception as error:  # noqa: BLE001 - recorded and asserted on
            errors.append(str(error))
        finally:
            connections[alias].close()

    slow = threading.Thread(target=long_write)
    slow.start()
    started.wait(5)
    others = [threading.Thread(target=short_write, args=(n,)) for n in range(WRITERS)]
    for thread in others:
        thread.start()
    for thread in [slow, *others]:
        thread.join(30)
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM note")
        [count] = cursor.fetchone()
        cursor.execute("PRAGMA journal_mode")
        [mode] = cursor.fetchone()
    return errors, count, finished, mode


def test_concurrent_writers_wait_for_one_long_write_and_all_succeed(file_database):
    alias = file_database("sqlite_file", steward_settings.sqlite_options())

    errors, count, waited, mode = _run_writers(alias)

    assert errors == []
    assert count == 1 + WRITERS
    assert mode == "wal"
    assert len(waited) == WRITERS and max(waited) >= HOLD * 0.5  # they really waited for the long write


def test_without_the_busy_timeout_the_same_writers_fail_with_database_is_locked(file_database):
    """The check above is meaningful: with no time to wait, the very same load fails."""
    alias = file_database("sqlite_no_wait", {**steward_settings.sqlite_options(), "timeout": 0})

    errors, count, _waited, _mode = _run_writers(alias)

    assert errors and all("database is locked" in e for e in errors)
    assert count < 1 + WRITERS


def test_settings_open_sqlite_with_these_options_and_leave_postgresql_alone():
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        options = database["OPTIONS"]
        assert {k: options[k] for k in steward_settings.sqlite_options()} == steward_settings.sqlite_options()
        assert options["timeout"] >= 10 and options["transaction_mode"] == "IMMEDIATE"
    else:
        assert not set(steward_settings.sqlite_options()) & set(database.get("OPTIONS", {}))
