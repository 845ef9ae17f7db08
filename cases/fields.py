"""Model fields that seal identifying and testimonial data with AES-256-GCM (docs/data-protection.md).

A protected value is stored as text in this versioned format::

    "dp1:" + base64url( key_id (8 bytes, big-endian) || nonce (12 bytes) || ciphertext || tag (16 bytes) )

* ``key_id`` names a row of the key table (``cases.ProtectionKey``): one random 256-bit field key per
  model field, wrapped by the key-encryption key of the key ring (evidence/keyring.py).
* The associated data is ``b"dp1" 0x1f model label 0x1f field name 0x1f primary key``, so a
  ciphertext copied into another row or another column does not open: it raises
  ``ProtectedValueError`` naming the model, field and row, and never shows the other value.
* The protected models use UUID primary keys assigned in Python, so the key is known before the insert.

How the fields behave:

* Reading: the database value stays sealed until the attribute is first read on the instance
  (a descriptor opens it with the instance's primary key). ``values()``/``values_list()`` return
  ``Sealed`` objects; open one with ``unseal(model, field_name, pk, value)``.
* Writing: ``pre_save`` seals the current value with the row's primary key. ``QuerySet.update()``
  and ``bulk_update()`` cannot know each row's key and raise ``ProtectedFieldError``.
* Querying: every lookup except ``isnull`` raises ``ProtectedFieldError`` naming the blind index to
  use instead (cases/blind_index.py), so no query silently compares ciphertexts. Do not order by a
  protected column either: sort a page after it has been read (cases.blind_index.sort_by_person_name).
"""

from __future__ import annotations

import base64
import datetime
import secrets
import threading

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django import forms
from django.core import checks
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import IntegrityError, models, transaction
from django.db.models.query_utils import DeferredAttribute

PREFIX = "dp1:"
_AD_VERSION = b"dp1"
_SEP = b"\x1f"
_KEY_ID_BYTES = 8
_NONCE_BYTES = 12

# Which blind index answers a question about which field (named in the lookup error).
SEARCH_HINTS = {
    "cases.Person.name_latin": "the 'person_name' blind index (cases.blind_index.person_ids_matching)",
    "cases.Person.name_cyrillic": "the 'person_name' blind index (cases.blind_index.person_ids_matching)",
    "cases.Person.aliases": "the 'person_name' blind index (cases.blind_index.person_ids_matching)",
    "cases.Person.birth_date": "the 'person_birth_date' blind index (cases.blind_index.person_ids_matching)",
}


class ProtectedValueError(Exception):
    """A sealed value does not open for the row and column it sits in (moved, altered, or a wrong key)."""


class ProtectedFieldError(FieldError):
    """A query or bulk write that cannot work on an encrypted column."""


# --- field keys -----------------------------------------------------------

_lock = threading.Lock()
_material: dict[int, bytes] = {}  # key id -> plaintext key; ids are random, so an entry never goes stale
_current: dict[str, int] = {}  # key label -> key id, filled only after the key row has committed
_ciphers: dict[int, AESGCM] = {}  # key id -> its AESGCM, made once (building one costs more than a short seal)


def key_context(purpose: str, label: str) -> bytes:
    """The key ring's wrapping context: binds a wrapped key to the column or index it serves."""
    return f"dalil.{purpose}:{label}".encode()


def forget_keys() -> None:
    """Drop cached keys (tests that flush the key table, or after restoring a database)."""
    with _lock:
        _material.clear()
        _current.clear()
        _ciphers.clear()


def _unwrap_row(row) -> bytes:
    from evidence import keyring

    try:
        key = keyring.unwrap(row.kek_id, bytes(row.wrapped), context=key_context(row.purpose, row.label))
    except keyring.KeyUnavailable as exc:
        raise ImproperlyConfigured(
            f"The {row.purpose} key for {row.label} cannot be unwrapped ({exc}): configure the key-encryption keys "
            "this database was sealed with (DALIL_KEK, DALIL_KEK_FILE, DALIL_KEK_DIR or DALIL_KMS_KEY_ID)."
        ) from None
    with _lock:
        _material[row.pk] = key
    return key


def key_by_id(key_id: int) -> bytes | None:
    key = _material.get(key_id)
    if key is not None:
        return key
    from cases.models import ProtectionKey

    row = ProtectionKey.objects.filter(pk=key_id).first()
    return _unwrap_row(row) if row is not None else None


def current_key(purpose: str, label: str) -> tuple[int, bytes]:
    """The key for a column or index, made (and wrapped by the newest KEK) on first use."""
    key_id = _current.get(label)
    if key_id is not None and key_id in _material:
        return key_id, _material[key_id]
    from cases.models import ProtectionKey

    row = ProtectionKey.objects.filter(label=label).first()
    if row is None:
        from evidence import keyring

        key, kek_id, wrapped = keyring.generate_data_key(context=key_context(purpose, label))
        try:
            with transaction.atomic():
                row = ProtectionKey.objects.create(
                    id=secrets.randbits(63), purpose=purpose, label=label, kek_id=kek_id, wrapped=wrapped
                )
        except IntegrityError:
            # Another process made this key first: use theirs.
            row = ProtectionKey.objects.get(label=label)
        else:
            with _lock:
                _material[row.pk] = key
    if row.pk not in _material:
        _unwrap_row(row)
    # Only a committed key row may be remembered: a rolled-back one would leave values sealed under a lost key.
    transaction.on_commit(lambda: _current.__setitem__(label, row.pk))
    return row.pk, _material[row.pk]


# --- sealing ----------------------------------------------------------------


def _cipher(key_id: int, key: bytes) -> AESGCM:
    cipher = _ciphers.get(key_id)
    if cipher is None:
        cipher = _ciphers[key_id] = AESGCM(key)
    return cipher


def _associated_data(model_label: str, field_name: str, pk) -> bytes:
    return _SEP.join((_AD_VERSION, model_label.encode(), field_name.encode(), str(pk).encode()))


def seal_text(plaintext: str, *, model_label: str, field_name: str, pk) -> str:
    if pk is None:
        raise ProtectedFieldError(f"{model_label}.{field_name}: a row needs its primary key before a value can be sealed.")
    key_id, key = current_key("field", f"{model_label}.{field_name}")
    nonce = secrets.token_bytes(_NONCE_BYTES)
    body = _cipher(key_id, key).encrypt(nonce, plaintext.encode("utf-8"), _associated_data(model_label, field_name, pk))
    blob = key_id.to_bytes(_KEY_ID_BYTES, "big") + nonce + body
    return PREFIX + base64.urlsafe_b64encode(blob).decode("ascii").rstrip("=")


def open_text(token: str, *, model_label: str, field_name: str, pk) -> str:
    where = f"{model_label}.{field_name} of row {pk}"
    if not token.startswith(PREFIX):
        raise ProtectedValueError(f"{where} holds an unsealed value: run `manage.py migrate` (or protect_data) to encrypt it.")
    try:
        blob = base64.urlsafe_b64decode(token[len(PREFIX):] + "=" * (-len(token) % 4))
    except ValueError:
        raise ProtectedValueError(f"{where} is not a well-formed sealed value.") from None
    if len(blob) < _KEY_ID_BYTES + _NONCE_BYTES + 16:
        raise ProtectedValueError(f"{where} is not a well-formed sealed value.")
    key_id = int.from_bytes(blob[:_KEY_ID_BYTES], "big")
    key = key_by_id(key_id)
    if key is None:
        raise ProtectedValueError(f"{where} was sealed under field key {key_id}, which is not in the key table.")
    nonce, body = blob[_KEY_ID_BYTES:_KEY_ID_BYTES + _NONCE_BYTES], blob[_KEY_ID_BYTES + _NONCE_BYTES:]
    try:
        return _cipher(key_id, key).decrypt(nonce, body, _associated_data(model_label, field_name, pk)).decode("utf-8")
    except InvalidTag:
        raise ProtectedValueError(
            f"{where} does not decrypt: the value was sealed for another row or column, or was altered."
        ) from None


class Sealed:
    """A value as stored, not yet opened (what values()/values_list() return for a protected field)."""

    __slots__ = ("token",)

    def __init__(self, token: str):
        self.token = token

    def __repr__(self) -> str:
        return "<Sealed>"

    def __str__(self) -> str:
        return "[encrypted]"

    def __eq__(self, other):
        return isinstance(other, Sealed) and other.token == self.token

    def __hash__(self):
        return hash(self.token)


class _Ciphertext(str):
    """A freshly sealed value on its way to the database (only pre_save makes these)."""


def unseal(model, field_name: str, pk, value):
    """Open a value read with values()/values_list(): the model, the field and the row's primary key."""
    field = model._meta.get_field(field_name)
    if not isinstance(value, Sealed):
        return value
    return field.from_plaintext(open_text(value.token, model_label=model._meta.label, field_name=field.name, pk=pk))


class SealedAttribute(DeferredAttribute):
    """Opens the stored value with the instance's own primary key on first read."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            field = self.field
            value = field.from_plaintext(
                open_text(value.token, model_label=field.model._meta.label, field_name=field.name, pk=instance.pk)
            )
            instance.__dict__[field.attname] = value
        return value

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class ProtectedMixin:
    descriptor_class = SealedAttribute

    def get_internal_type(self):
        return "TextField"

    def from_plaintext(self, text: str):
        return text

    def to_plaintext(self, value) -> str:
        return str(value)

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        pk = self.model._meta.pk
        if not (isinstance(pk, models.UUIDField) and pk.has_default()):
            errors.append(
                checks.Error(
                    f"{self.model._meta.label}.{self.name} is protected, so its model needs a UUID primary key with a "
                    "default: the key is part of the associated data and must be known before the insert.",
                    obj=self,
                    id="cases.E101",
                )
            )
        return errors

    def from_db_value(self, value, expression, connection):
        return None if value is None else Sealed(value)

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value is None:
            return None
        return _Ciphertext(
            seal_text(
                self.to_plaintext(value),
                model_label=self.model._meta.label,
                field_name=self.name,
                pk=model_instance.pk,
            )
        )

    def get_db_prep_save(self, value, connection):
        if value is None or isinstance(value, _Ciphertext):
            return value if value is None else str(value)
        if hasattr(value, "resolve_expression"):
            return value
        raise ProtectedFieldError(
            f"{self.model._meta.label}.{self.name} is encrypted with each row's primary key: set it on the instance "
            "and save() it; QuerySet.update() and bulk_update() cannot seal it."
        )

    def _lookup_error(self, lookup_name: str) -> ProtectedFieldError:
        label = f"{self.model._meta.label}.{self.name}"
        hint = SEARCH_HINTS.get(label, "decrypt the rows in Python after a query on plain fields")
        return ProtectedFieldError(
            f"{label} is encrypted: the database cannot compare it ('{lookup_name}'). Search {hint} instead."
        )

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise self._lookup_error(lookup_name)

    def get_transform(self, lookup_name):
        raise self._lookup_error(lookup_name)

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return "" if value is None else self.to_plaintext(value)


class ProtectedTextField(ProtectedMixin, models.TextField):
    """Free text that identifies someone or records testimony."""


class ProtectedCharField(ProtectedMixin, models.TextField):
    """A short identifying value (a name, a phone number): a one-line input, stored as text so that ciphertext fits."""

    def formfield(self, **kwargs):
        widget = kwargs.get("widget")
        # The admin offers a textarea for every TextField; a name or a phone number is one line.
        if widget is None or (isinstance(widget, type) and issubclass(widget, forms.Textarea)) or isinstance(widget, forms.Textarea):
            kwargs["widget"] = forms.TextInput
        return super().formfield(**kwargs)


class ProtectedDateField(ProtectedMixin, models.DateField):
    """A date that identifies someone (a date of birth): a date everywhere but in the database, where it is sealed."""

    def from_plaintext(self, text: str):
        return datetime.date.fromisoformat(text) if text else None

    def to_plaintext(self, value) -> str:
        return self.to_python(value).isoformat()

    def get_db_prep_value(self, value, connection, prepared=False):
        # Only isnull reaches here from a query; saving goes through get_db_prep_save.
        return value


# --- key rotation and start-up check ------------------------------------------


def rewrap_protection_keys(*, progress=None) -> int:
    """Re-wrap every field and index key not yet under the newest KEK (a rotate_keys re-wrapper; resumable).

    Returns how many keys this run re-wrapped (0 when all are under the newest KEK already).

    Only the wrapping changes: the keys, and so every sealed value and index entry, stay as they are.
    """
    from django.utils import timezone

    from cases.models import ProtectionKey
    from evidence import keyring

    newest = keyring.current_kek_id()
    total = ProtectionKey.objects.count()
    done = ProtectionKey.objects.filter(kek_id=newest).count()
    rewrapped = 0
    for key_id in ProtectionKey.objects.exclude(kek_id=newest).order_by("pk").values_list("pk", flat=True):
        # One short transaction per key: a crash leaves every key wrapped by one KEK or the other, never neither.
        with transaction.atomic():
            row = ProtectionKey.objects.select_for_update().get(pk=key_id)
            context = key_context(row.purpose, row.label)
            try:
                row.kek_id, wrapped = keyring.rewrap(row.kek_id, bytes(row.wrapped), context=context)
            except keyring.KeyUnavailable as exc:
                raise ImproperlyConfigured(f"The {row.purpose} key for {row.label} cannot be re-wrapped: {exc}.") from None
            row.wrapped = wrapped
            row.rewrapped_at = timezone.now()
            row.save(update_fields=["kek_id", "wrapped", "rewrapped_at"])
        done += 1
        rewrapped += 1
        if progress:
            progress(done, total, "protected field and index keys")
    return rewrapped


def verify_protection_keys() -> None:
    """Raise ImproperlyConfigured (one line) unless every stored field and index key unwraps with the key ring."""
    from cases.models import ProtectionKey

    for row in ProtectionKey.objects.all():
        _unwrap_row(row)
