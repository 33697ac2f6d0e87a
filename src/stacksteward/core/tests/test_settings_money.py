"""The money settings read from the environment: exchange rates, internal rate, renewal lead time, reminders."""

import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from stacksteward import settings as steward_settings


def test_money_settings_unset_give_the_documented_defaults(monkeypatch):
    for name in ("STEWARD_FX_RATES", "STEWARD_INTERNAL_RATE", "STEWARD_RENEWAL_LEAD_DAYS",
                 "STEWARD_RENEWAL_REMINDERS"):
        monkeypatch.delenv(name, raising=False)

    assert steward_settings._env_fx_rates("STEWARD_FX_RATES") == {}
    assert steward_settings._env_decimal("STEWARD_INTERNAL_RATE", "80") == Decimal("80")
    assert steward_settings._env_days("STEWARD_RENEWAL_LEAD_DAYS", "120", single=True) == 120
    assert steward_settings._env_days("STEWARD_RENEWAL_REMINDERS", "120,60,30,7") == [120, 60, 30, 7]


def test_fx_rates_json_object_gives_decimal_rates_by_upper_case_code(monkeypatch):
    monkeypatch.setenv("STEWARD_FX_RATES", '{"eur": "1.08", "GBP": 1.27}')

    assert steward_settings._env_fx_rates("STEWARD_FX_RATES") == {"EUR": Decimal("1.08"), "GBP": Decimal("1.27")}


@pytest.mark.parametrize("raw, message", [
    ('{"EUR": 1.08', "not valid JSON"),
    ('["EUR", 1.08]', "must be a JSON object"),
    ('{"EURO": "1.08"}', "is not a rate"),
    ('{"EUR": "lots"}', "is not a rate"),
    ('{"EUR": 0}', "is not a rate"),
])
def test_fx_rates_invalid_raises_naming_the_variable(monkeypatch, raw, message):
    monkeypatch.setenv("STEWARD_FX_RATES", raw)

    with pytest.raises(ImproperlyConfigured, match=message) as caught:
        steward_settings._env_fx_rates("STEWARD_FX_RATES")

    assert "STEWARD_FX_RATES" in str(caught.value)


def test_internal_rate_and_lead_days_parse_and_reject_bad_values(monkeypatch):
    monkeypatch.setenv("STEWARD_INTERNAL_RATE", "95.50")
    monkeypatch.setenv("STEWARD_RENEWAL_LEAD_DAYS", " 90 ")
    assert steward_settings._env_decimal("STEWARD_INTERNAL_RATE", "80") == Decimal("95.50")
    assert steward_settings._env_days("STEWARD_RENEWAL_LEAD_DAYS", "120", single=True) == 90

    for name, raw in (("STEWARD_INTERNAL_RATE", "eighty"), ("STEWARD_INTERNAL_RATE", "-5")):
        monkeypatch.setenv(name, raw)
        with pytest.raises(ImproperlyConfigured, match=name):
            steward_settings._env_decimal(name, "80")
    for raw in ("ninety", "90.5", "-1", "90,60"):
        monkeypatch.setenv("STEWARD_RENEWAL_LEAD_DAYS", raw)
        with pytest.raises(ImproperlyConfigured, match="STEWARD_RENEWAL_LEAD_DAYS"):
            steward_settings._env_days("STEWARD_RENEWAL_LEAD_DAYS", "120", single=True)


def test_renewal_reminders_comma_separated_days(monkeypatch):
    monkeypatch.setenv("STEWARD_RENEWAL_REMINDERS", "90, 30,14 ,")
    assert steward_settings._env_days("STEWARD_RENEWAL_REMINDERS", "120,60,30,7") == [90, 30, 14]

    monkeypatch.setenv("STEWARD_RENEWAL_REMINDERS", "")  # set but empty: no reminders
    assert steward_settings._env_days("STEWARD_RENEWAL_REMINDERS", "120,60,30,7") == []

    monkeypatch.setenv("STEWARD_RENEWAL_REMINDERS", "60,soon")
    with pytest.raises(ImproperlyConfigured, match="STEWARD_RENEWAL_REMINDERS"):
        steward_settings._env_days("STEWARD_RENEWAL_REMINDERS", "120,60,30,7")


def test_start_up_with_invalid_fx_rates_stops_with_a_clear_error(tmp_path):
    env = {**os.environ, "STEWARD_FX_RATES": "{EUR: 1.08}", "STEWARD_DATA_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "stacksteward.settings"}

    done = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True,
                          text=True, timeout=60)

    assert done.returncode != 0
    assert "ImproperlyConfigured: STEWARD_FX_RATES is not valid JSON" in done.stderr
