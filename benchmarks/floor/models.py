from django.conf import settings
from django.db import models


class Row(models.Model):
    """What a report is at its least: who sent it, its client id, a text."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    client_id = models.UUIDField()
    narrative = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
