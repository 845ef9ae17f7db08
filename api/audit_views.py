"""GET /api/v1/audit/consistency/?old=N&new=M: an RFC 6962 consistency proof between two signed checkpoints.

Any user with an API token may fetch one: it holds two signed checkpoints and hashes, nothing of any event.
The wire form is docs/audit-log.md's ("Consistency proofs"); `manage.py verify_audit --consistency FILE`
and audit/proofs.py check it offline."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api.views import ApiView
from audit import chain, checkpoints

_MAX = 2**63 - 1


class ConsistencyQuery(serializers.Serializer):
    old = serializers.IntegerField(min_value=0, max_value=_MAX, help_text=_("Tree size of the older signed checkpoint; not larger than new."))
    new = serializers.IntegerField(min_value=0, max_value=_MAX, help_text=_("Tree size of the newer signed checkpoint."))

    def validate(self, attrs):
        if attrs["old"] > attrs["new"]:
            raise serializers.ValidationError({"old": [_("The old size must not be larger than the new one.")]})
        return attrs


ConsistencyProofSerializer = inline_serializer(
    "ConsistencyProof",
    {
        "type": serializers.CharField(), "old_size": serializers.IntegerField(), "new_size": serializers.IntegerField(),
        "old_checkpoint": serializers.CharField(), "new_checkpoint": serializers.CharField(),
        "proof": serializers.ListField(child=serializers.CharField()), "verifier_key": serializers.CharField(),
    },
)


class AuditConsistency(ApiView):
    @extend_schema(parameters=[ConsistencyQuery], responses=ConsistencyProofSerializer, summary="Prove the audit log only grew")
    def get(self, request):
        query = ConsistencyQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            proof = checkpoints.consistency_proof(query.validated_data["old"], query.validated_data["new"])
        except (checkpoints.CheckpointError, chain.ChainError) as exc:
            raise NotFound(str(exc)) from None
        return Response(proof)
