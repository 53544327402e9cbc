"""The workspace's own state, one module per area; the registry and the trail are the core's."""

from .assessment import *  # noqa: F403
from .dual import *  # noqa: F403
from .linked import *  # noqa: F403
