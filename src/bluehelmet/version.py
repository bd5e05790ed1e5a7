"""The version of Blue Helmet, in a module that imports nothing (the package's __init__ starts
Celery, which the bottom layers must not pull in)."""

__version__ = "0.1.0"
