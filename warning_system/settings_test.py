"""Settings of the test suite: the production settings (DEBUG off), with fixed secrets that exist only
here, so that the tests run the code paths a deployment runs (keyed audit chain included).

Set in the environment rather than assigned after the import: warning_system.settings refuses to load
without them, and subprocesses the tests start (manage.py commands) inherit them.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-suite-only-secret-key-" + "x" * 40)
os.environ.setdefault("AUDIT_CHAIN_KEY", "test-suite-only-audit-chain-key-0123456789")

from warning_system.settings import *  # noqa: E402, F403

# Evidence uploaded by the tests goes to a directory of their own, never the checkout's var/.
EVIDENCE_ROOT = Path(tempfile.mkdtemp(prefix="evidence-"))
