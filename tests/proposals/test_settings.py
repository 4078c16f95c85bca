"""PROPOSALS_PER_HOUR comes from the environment and refuses bad values loudly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]


def _import_settings(value):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-c", "import kb_portal.settings as s; print(s.PROPOSALS_PER_HOUR)"],
        cwd=PROJECT,
        env={**env, "DEBUG": "1", "PROPOSALS_PER_HOUR": value},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_limit_is_read():
    result = _import_settings("25")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "25"


@pytest.mark.parametrize("value", ["0", "-3", "десять", "1.5"])
def test_a_bad_limit_stops_the_start(value):
    result = _import_settings(value)
    assert result.returncode != 0
    assert "PROPOSALS_PER_HOUR" in result.stderr
