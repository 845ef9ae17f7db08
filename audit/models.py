from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One action by one actor. Append-only: written by audit.services.audit_record alone.

    `seq` numbers the events without gaps from 0 (it is also the leaf index in the Merkle tree);
    `mac` is HMAC-SHA256(audit key, previous mac || canonical content), hex (docs/audit-log.md).
    """

    seq = models.BigIntegerField(unique=True)
    mac = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=150, help_text="Username at the time, or 'system:<task>'.")
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    case_ref = models.CharField(max_length=32, blank=True, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    fields = models.JSONField(default=list, blank=True, help_text="Names of changed fields; never their values.")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            # Keyset paging (ORDER BY seq DESC, seq < n) under each filter of the audit page stays an index walk.
            models.Index(fields=["actor_label", "-seq"], name="audit_actor_seq"),
            models.Index(fields=["action", "-seq"], name="audit_action_seq"),
            models.Index(fields=["case_ref", "-seq"], name="audit_case_seq"),
            models.Index(fields=["target_type", "target_id", "-seq"], name="audit_target_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_type}:{self.target_id}"


class AuditCheckpoint(models.Model):
    """A signed tree head (C2SP tlog-checkpoint). Append-only, like the events; published outside the database."""

    tree_size = models.BigIntegerField(unique=True)
    root_hash = models.CharField(max_length=64, help_text="Hex SHA-256 Merkle root of the first tree_size events.")
    note = models.TextField(help_text="The signed note, byte for byte as published.")
    created_at = models.DateTimeField()
    previous_size = models.BigIntegerField(null=True, blank=True)
    consistency_proof = models.JSONField(default=list, blank=True, help_text="Base64 hashes from previous_size to tree_size.")

    class Meta:
        ordering = ["tree_size"]

    def __str__(self) -> str:
        return f"checkpoint {self.tree_size} {self.root_hash[:16]}"


class AuditTimestamp(models.Model):
    """An RFC 3161 time-stamp token from an outside authority over a checkpoint note or a batch of intake hashes
    (audit/timestamps.py). Whoever later seizes the server and the signing key cannot move history before it."""

    class Kind(models.TextChoices):
        CHECKPOINT = "checkpoint", _("Checkpoint")
        INTAKE = "intake", _("Intake hash batch")

    checkpoint = models.ForeignKey(AuditCheckpoint, on_delete=models.PROTECT, related_name="timestamps")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    message = models.TextField(help_text="The exact text stamped (UTF-8): the note, or the batch of intake hashes.")
    response = models.BinaryField(help_text="The authority's TimeStampResp, DER, as received.")
    gen_time = models.DateTimeField(help_text="The time the authority put in its token.")
    authority = models.CharField(max_length=300, help_text="The authority's URL.")

    class Meta:
        ordering = ["checkpoint__tree_size", "kind"]
        constraints = [models.UniqueConstraint(fields=["checkpoint", "kind"], name="audit_timestamp_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind} timestamp of checkpoint {self.checkpoint_id} at {self.gen_time:%Y-%m-%d %H:%M:%S}"


class AuditTreeTile(models.Model):
    """Stored Merkle tree state (C2SP tlog-tiles layout), so proofs need no rebuild of the tree (audit/tree.py).

    A tile at `level` L and `index` N holds `width` (up to 256) consecutive hashes of the tree's nodes at
    height 8·L, from node N·256: level 0 holds leaf hashes. A partial tile of the tree's right edge is a row of
    its own for each width, so the table is append-only like the log."""

    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    width = models.PositiveSmallIntegerField()
    hashes = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["level", "index", "width"], name="audit_tile_unique")]

    def __str__(self) -> str:
        return f"tile {self.level}/{self.index}.{self.width}"
