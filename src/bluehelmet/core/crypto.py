"""Personal data encrypted at rest, and keyed hashes to find records by it.

Keys are Fernet keys (`Fernet.generate_key()`), from settings.BLUEHELMET_FIELD_KEYS (the
environment variable of that name, comma-separated), else a key generated once and kept in
BLUEHELMET_HOME/field_key (like the secret key).
The first key encrypts; every key decrypts, so keys rotate: put the new key first, keep the
old ones after it, run `bluehelmet reencrypt_fields`, then drop the old keys.

Encrypted values cannot be searched. Where a record must be found by its personal data
(duplicate DDR registrations), store `lookup_hash(...)` beside it and query with
`lookup_hashes(...)`, which gives the hash under every key so rows hashed before a rotation
still match.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
import re
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import connection, models

logger = logging.getLogger(__name__)
KEY_FILE = "field_key"


def _generated_key() -> str:
    path = settings.HOME / KEY_FILE
    if not path.exists():
        path.write_bytes(Fernet.generate_key())
        path.chmod(0o600)
    return path.read_text().strip()


def field_keys() -> tuple[str, ...]:
    return tuple(settings.BLUEHELMET_FIELD_KEYS or [_generated_key()])


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt(text: str) -> str:
    return _fernet(field_keys()).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """The plain text; raises InvalidToken when no configured key opens it."""
    return _fernet(field_keys()).decrypt(token.encode("ascii")).decode("utf-8")


def _hash_key(key: str) -> bytes:
    # A separate key for hashing, derived from the field key, so the hash reveals nothing
    # usable against the encryption.
    return hmac.new(key.encode(), b"bluehelmet lookup hash v1", hashlib.sha256).digest()


def normalise(*parts) -> str:
    """Case, accents, punctuation and spacing removed: "Foday  Sankoh" = "foday sankoh"."""
    return "|".join(_normalise_one("" if part is None else str(part)) for part in parts)


def _normalise_one(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def lookup_hash(*parts) -> str:
    """HMAC-SHA256 of the normalised parts under the encrypting key."""
    return hmac.new(_hash_key(field_keys()[0]), normalise(*parts).encode(), hashlib.sha256).hexdigest()


def lookup_hashes(*parts) -> list[str]:
    """The hash under every configured key (rows hashed before a key rotation match too)."""
    text = normalise(*parts).encode()
    return [hmac.new(_hash_key(key), text, hashlib.sha256).hexdigest() for key in field_keys()]


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; reads back as plain text. Not searchable. A value no
    configured key opens reads as None rather than failing the whole page."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        try:
            return self.from_text(decrypt(value))
        except InvalidToken:
            logger.warning(
                "%s.%s: a value no configured key opens (BLUEHELMET_FIELD_KEYS)", self.model._meta.label, self.name
            )
            return None

    def from_text(self, text: str):
        return text

    def to_text(self, value) -> str:
        return str(value)

    def get_prep_value(self, value):
        value = super(models.TextField, self).get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(self.to_text(value))


class EncryptedDateField(EncryptedTextField):
    """A date stored encrypted (ISO text inside the token)."""

    def from_text(self, text: str):
        return datetime.date.fromisoformat(text)

    def to_text(self, value) -> str:
        return value.isoformat() if isinstance(value, datetime.date) else str(value)

    def to_python(self, value):
        if value in (None, "") or isinstance(value, datetime.date):
            return value
        return models.DateField().to_python(value)

    def formfield(self, **kwargs):
        from django import forms

        return super(models.TextField, self).formfield(**{"form_class": forms.DateField, **kwargs})


def encrypted_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def reencrypt(model, batch_size: int = 500) -> int:
    """Re-encrypt every row's encrypted columns under the first key, token by token (no
    value passes through the ORM's conversions); returns the rows rewritten. A token no
    configured key opens raises InvalidToken and, in the caller's transaction, changes
    nothing."""
    columns = [model._meta.get_field(name).column for name in encrypted_fields(model)]
    if not columns:
        return 0
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    fernet = _fernet(field_keys())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk}, {', '.join(quote(c) for c in columns)} FROM {table}")
        rows = cursor.fetchall()
    assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
    updates = [
        [fernet.rotate(token.encode()).decode() if token else token for token in row[1:]] + [row[0]] for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(updates), batch_size):
            cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", updates[start : start + batch_size])
    return len(updates)
