"""`.env.example` is the production profile: with its required secrets filled in, `manage.py check
--deploy` finds nothing to warn about."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIRED_SECRETS = {"SECRET_KEY", "AUDIT_CHAIN_KEY", "POSTGRES_PASSWORD"}


def profile() -> dict[str, str]:
    """The active KEY=value lines of .env.example, as docker compose reads them."""
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    return dict(re.findall(r"^([A-Z0-9_]+)=(.*)$", text, re.M))


def test_only_the_secrets_are_left_to_fill_in():
    assert {name for name, value in profile().items() if not value} == REQUIRED_SECRETS


def test_check_deploy_finds_no_issue_with_the_production_profile():
    environment = {
        **profile(),
        **{name: secrets.token_urlsafe(50) for name in REQUIRED_SECRETS},
        "DJANGO_SETTINGS_MODULE": "warning_system.settings",
        "PATH": os.environ.get("PATH", ""),
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output and "ERROR" not in output
