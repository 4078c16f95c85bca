"""The CX weights come from the environment and refuse bad values loudly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
CX_VARIABLES = ["CX_GROUP_WEIGHTS", "CX_CITIZEN_WEIGHT", "CX_EMPLOYER_WEIGHT", "CSAT_TARGET",
                "CX_INDEX_TARGET", "CX_MIN_RESPONSES"]  # fmt: skip
PRINT = (
    "from django.conf import settings as s; "
    "print(s.CX_GROUP_WEIGHTS, s.CX_CITIZEN_WEIGHT, s.CX_EMPLOYER_WEIGHT, s.CX_MIN_RESPONSES)"
)


def _settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in CX_VARIABLES}
    return subprocess.run(  # noqa: S603 - our own interpreter and project
        [sys.executable, "-c", f"import django; django.setup(); {PRINT}"],
        cwd=PROJECT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "kb_portal.test_settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_defaults_are_equal_weights_and_30_answers():
    result = _settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "{'F': 1.0, 'U': 1.0, 'E': 1.0, 'A': 1.0, 'K': 1.0} 0.5 0.5 30"
    )


def test_weights_from_the_environment():
    result = _settings(
        CX_GROUP_WEIGHTS="f:2, U:1,E:1,A:0,K:1,5", CX_CITIZEN_WEIGHT="0,6", CX_MIN_RESPONSES="50"
    )
    assert result.returncode != 0  # «K:1,5» splits at the comma: refused, not guessed
    result = _settings(CX_GROUP_WEIGHTS="f:2, U:1,E:1,A:0", CX_CITIZEN_WEIGHT="0,6",
                       CX_MIN_RESPONSES="50")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "{'F': 2.0, 'U': 1.0, 'E': 1.0, 'A': 0.0, 'K': 0.0} 0.6 0.5 50"
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CX_GROUP_WEIGHTS", "X:1"),
        ("CX_GROUP_WEIGHTS", "F:много"),
        ("CX_GROUP_WEIGHTS", "F:0,U:0"),
        ("CX_CITIZEN_WEIGHT", "половина"),
        ("CX_EMPLOYER_WEIGHT", "-1"),
        ("CX_MIN_RESPONSES", "0"),
    ],
)
def test_bad_values_stop_the_start(name, value):
    result = _settings(**{name: value})
    assert result.returncode != 0
    assert name in result.stderr
