"""Performance and impact records."""

from django.db import models  # noqa: F401
