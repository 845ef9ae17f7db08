"""Read-only admin: evidence is changed only through evidence.services."""

from django.contrib import admin

from evidence.models import CustodyEvent, EvidenceFile


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EvidenceFile)
class EvidenceFileAdmin(ReadOnly):
    list_display = ["id", "case", "state", "size", "sniffed_type", "received_at", "kek_id"]
    exclude = ["wrapped_key", "original_name", "source_label", "description"]


@admin.register(CustodyEvent)
class CustodyEventAdmin(ReadOnly):
    list_display = ["at", "file", "action", "actor_label"]
