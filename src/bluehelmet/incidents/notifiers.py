"""How alerts reach people beyond the app: e-mail through Django's mail framework
(settings.EMAIL_BACKEND), SMS through a pluggable sender.

No SMS sender is configured by default, so nothing leaves the machine: a deployment sets
BLUEHELMET_SMS_SENDER to the dotted path of a class with `send(phone, text) -> None`
(a gateway of its choice), and the alert pages say whether one is configured.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsSender:
    """The interface an SMS gateway implements."""

    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


def sms_sender() -> SmsSender | None:
    path = getattr(settings, "BLUEHELMET_SMS_SENDER", "")
    return import_string(path)() if path else None


def sms_configured() -> bool:
    return bool(getattr(settings, "BLUEHELMET_SMS_SENDER", ""))


def send_alert_email(address: str, subject: str, body: str) -> bool:
    try:
        send_mail(subject, body, None, [address])
    except Exception:  # a mail server down must not lose the alert itself
        logger.exception("alert e-mail to %s failed", address)
        return False
    return True


def send_alert_sms(phone: str, text: str) -> bool:
    sender = sms_sender()
    if sender is None or not phone:
        return False
    try:
        sender.send(phone, text[:320])
    except Exception:
        logger.exception("alert SMS to %s failed", phone)
        return False
    return True
