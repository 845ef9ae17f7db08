from django.conf import settings
from django.db import models


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
