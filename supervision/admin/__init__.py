from . import dual, linked  # noqa: F401
