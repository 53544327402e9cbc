from . import assessment, dual, linked  # noqa: F401
