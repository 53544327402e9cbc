"""Settings of bench/portal: the project's own, with URLs that add one bare view (bench/portal/urls.py)."""

from warning_system.settings import *  # noqa: F403

ROOT_URLCONF = "bench.portal.urls"
