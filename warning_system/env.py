"""Tiny typed readers of environment variables (no secret ever has a default in production)."""

import os

from django.core.exceptions import ImproperlyConfigured

_MISSING = object()


def env(name: str, default=_MISSING) -> str:
    value = os.environ.get(name)
    if value is not None:
        return value
    if default is _MISSING or default is None:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return default


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    return default if value is None else [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name: str, *, development: str | None, min_length: int = 0, how: str = "") -> str:
    """A secret from the environment, never a silent default in production.

    `development` stands in when the variable is unset or empty and is given only while DEBUG is on
    (`make run`); without it the settings refuse to load, naming the variable and how to make one.
    """
    value = os.environ.get(name, "")
    if not value:
        if development is not None:
            return development
        raise ImproperlyConfigured(
            f"{name} is not set and DEBUG is off: the site refuses to start without it. Set {name} in "
            f"the environment (.env under docker compose){how}. Only development (DEBUG=true) runs "
            "without it."
        )
    if len(value) < min_length:
        raise ImproperlyConfigured(
            f"{name} is too short ({len(value)} characters): use at least {min_length} random characters{how}."
        )
    return value
