"""Disarmament, demobilisation and reintegration records."""

from django.db import models  # noqa: F401
