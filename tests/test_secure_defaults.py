"""The settings refuse to run a site without its secrets, and development still starts without them."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

SETTINGS = Path(__file__).resolve().parents[1] / "warning_system" / "settings.py"
LONG = "a-long-random-value-" + "x" * 40


def load_settings(monkeypatch, **environment) -> dict:
    """warning_system/settings.py as it loads with exactly these secrets and DEBUG in the environment."""
    for name in ("DEBUG", "SECRET_KEY", "AUDIT_CHAIN_KEY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_without_a_secret_key_and_debug_off_the_settings_refuse_to_load(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is not set and DEBUG is off"):
        load_settings(monkeypatch, AUDIT_CHAIN_KEY=LONG)


def test_an_empty_secret_key_counts_as_none(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is not set"):
        load_settings(monkeypatch, SECRET_KEY="", AUDIT_CHAIN_KEY=LONG)


def test_without_an_audit_chain_key_and_debug_off_the_settings_refuse_to_load(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="AUDIT_CHAIN_KEY is not set and DEBUG is off"):
        load_settings(monkeypatch, SECRET_KEY=LONG)


def test_a_short_audit_chain_key_is_refused(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="AUDIT_CHAIN_KEY is too short"):
        load_settings(monkeypatch, SECRET_KEY=LONG, AUDIT_CHAIN_KEY="secret")


def test_with_both_secrets_the_settings_use_them(monkeypatch):
    loaded = load_settings(monkeypatch, SECRET_KEY=LONG, AUDIT_CHAIN_KEY=LONG + "chain")

    assert (loaded["SECRET_KEY"], loaded["AUDIT_CHAIN_KEY"]) == (LONG, LONG + "chain")


def test_development_with_debug_on_starts_without_secrets(monkeypatch):
    loaded = load_settings(monkeypatch, DEBUG="true")

    assert loaded["SECRET_KEY"].startswith("django-insecure-")  # check --deploy names it
    assert "insecure" in loaded["AUDIT_CHAIN_KEY"]


def test_make_run_turns_debug_on_unless_told_otherwise():
    run_script = (SETTINGS.parents[1] / "scripts" / "run.py").read_text(encoding="utf-8")

    assert 'os.environ.setdefault("DEBUG", "1")' in run_script
