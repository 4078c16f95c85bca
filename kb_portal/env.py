"""Typed reads of environment variables that fail loudly on bad values.

A typo in production configuration must stop the process at start-up with a
message that names the variable, not surface later as odd behaviour.
"""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name, default, *, minimum=None, maximum=None):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name}={value} must be at most {maximum}.")
    return value


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_float(name, default):
    """A non-negative number; a decimal comma is accepted."""
    raw = env_str(name).strip()
    if not raw:
        return default
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number.") from None
    if value < 0:
        raise ImproperlyConfigured(f"{name}={value} must not be negative.")
    return value


def env_weights(name, default):
    """Weights by code from "F:1,U:2,…"; a code left out weighs 0."""
    raw = env_str(name).strip()
    if not raw:
        return dict(default)
    weights = {}
    for item in raw.split(","):
        code, _sep, value = item.partition(":")
        code = code.strip().upper()
        if code not in default or not value.strip():
            raise ImproperlyConfigured(
                f"{name}={raw!r}: use CODE:weight pairs with codes from {', '.join(default)}."
            )
        try:
            weights[code] = float(value.replace(",", "."))
        except ValueError:
            raise ImproperlyConfigured(f"{name}={raw!r}: {value!r} is not a number.") from None
    if any(weight < 0 for weight in weights.values()) or not any(weights.values()):
        raise ImproperlyConfigured(f"{name}={raw!r}: weights must be ≥ 0 and not all 0.")
    return {code: weights.get(code, 0.0) for code in default}
