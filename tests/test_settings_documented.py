"""Every variable the settings read is documented in .env.example (STYLE: settings from the environment)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_environment_variable_the_settings_read_is_in_env_example():
    settings_source = (ROOT / "warning_system" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'env(?:_int|_bool|_list|_secret)?\(\s*"([A-Z0-9_]+)"', settings_source))
    documented = set(
        re.findall(r"^#?\s?([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(encoding="utf-8"), re.M)
    )
    assert read - documented == set()
