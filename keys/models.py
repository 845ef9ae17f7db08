from django.db import models
from django.utils.translation import gettext_lazy as _


class ProtectionKey(models.Model):
    """A field key (one per protected column) or a blind-index key (one per index), wrapped by a key-encryption key.

    Ids are random so that a key id in a ciphertext never comes to mean another key (after a restore, say).
    `rotate_keys` re-wraps these rows under the newest KEK; the keys themselves, and so the data, stay as they are.
    """

    class Purpose(models.TextChoices):
        FIELD = "field", _("field encryption")
        INDEX = "index", _("blind index")

    id = models.BigIntegerField(primary_key=True)
    purpose = models.CharField(max_length=8, choices=Purpose.choices)
    label = models.CharField(max_length=120, unique=True, help_text="cases.Person.name_latin, or index:person_name")
    kek_id = models.CharField(max_length=300)
    wrapped = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    rewrapped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The table keeps the name it was made with in cases (migration cases 0002), so that the
        # migrations written before the key table moved here still find it.
        db_table = "cases_protectionkey"

    def __str__(self) -> str:
        return f"{self.purpose} key for {self.label}"
