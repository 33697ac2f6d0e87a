"""Set-up tells what it is doing: `make demo PORT=…` and the migration progress of `steward demo`."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader

ROOT = Path(__file__).resolve().parents[4]


def _make_n(*args: str) -> str:
    result = subprocess.run(["make", "-n", "demo", *args], cwd=ROOT, capture_output=True, text=True, check=True,
                            env={**os.environ, "VENV": "/nonexistent-venv"})
    return result.stdout


def test_make_demo_passes_port_to_steward_demo():
    assert re.search(r"steward demo --host 127\.0\.0\.1 --port 9123$", _make_n("PORT=9123"), re.MULTILINE)
    assert re.search(r"steward demo --host 127\.0\.0\.1 --port 8000$", _make_n(), re.MULTILINE)


def test_make_demo_announces_each_stage_and_lets_pip_show_progress():
    out = _make_n("PORT=9123")
    stages = [line for line in out.splitlines() if line.startswith("echo \"==> ")]
    assert [s.split("==> ")[1].split(" ")[0] for s in stages] == ["Creating", "Installing", "Installing",
                                                                   "Checking", "Starting"]
    assert "http://127.0.0.1:9123/" in stages[-1]
    assert "--quiet" not in out and "--silent" not in out


def test_demo_on_an_empty_data_folder_shows_migration_progress(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # a fresh SQLite file in tmp_path
    env.update(STEWARD_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="stacksteward.settings",
               PYTHONPATH=str(ROOT / "src"), COLUMNS="120")
    result = subprocess.run([sys.executable, "-m", "stacksteward.cli", "demo", "--no-serve"], env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    total = len(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    assert re.search(rf"Applying database migrations\s.*\s{total}/{total}\s.*done", result.stdout), result.stdout
    assert re.search(r"Loading the demo company\s.*\s(\d+)/\1\s", result.stdout)
    assert result.stdout.index("Applying database migrations") < result.stdout.index("Loading the demo company")


def test_demo_on_a_migrated_database_says_it_is_up_to_date(db):
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert "The database is up to date (no migrations to apply)." in out.getvalue()
