"""Blue Helmet: one shared, trusted picture for a peacekeeping mission."""

from .celery import app as celery_app
from .version import __version__

__all__ = ["__version__", "celery_app"]
