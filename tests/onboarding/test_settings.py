"""ONBOARDING_DAYS comes from the environment and refuses bad values loudly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]


def _import_settings(value):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-c", "import kb_portal.settings as s; print(s.ONBOARDING_DAYS)"],
        cwd=PROJECT,
        env={**env, "DEBUG": "1", "ONBOARDING_DAYS": value},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_period_is_read():
    result = _import_settings("45")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "45"


def test_the_default_is_ninety_days():
    result = _import_settings("")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "90"


@pytest.mark.parametrize("value", ["0", "-3", "девяносто", "1.5", "100000"])
def test_a_bad_period_stops_the_start(value):
    result = _import_settings(value)
    assert result.returncode != 0
    assert "ONBOARDING_DAYS" in result.stderr
