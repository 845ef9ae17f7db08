"""Every API error is JSON: {"message": ..., "code": ..., "fields": {"person.name_latin": [...]}}."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from api.versions import PreconditionFailed, etag
from audit import denials
from cases.services import StaleEdit


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "non_field_errors" and prefix:
                name = prefix
            out.update(_flatten(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            out[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                out.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def exception_handler(exc, context):
    view = context.get("view")
    request = context.get("request")
    if request is not None and view is not None:
        denials.record_denial(request, exc, view_name=f"api:{type(view).__name__}", kwargs=getattr(view, "kwargs", {}))
    stale = exc if isinstance(exc, StaleEdit) else None
    if stale is not None:
        exc = PreconditionFailed()
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, ValueError) and not isinstance(exc, exceptions.APIException):
        exc = exceptions.ValidationError({"non_field_errors": [str(exc)]})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    body = {"code": "error", "message": "", "fields": {}}
    if isinstance(exc, exceptions.ValidationError):
        body["code"] = "invalid"
        body["fields"] = _flatten(exc.detail)
        names = ", ".join(sorted(body["fields"]))
        body["message"] = _("The request is not valid: see %(fields)s.") % {"fields": names} if names else _("The request is not valid.")
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        body["message"] = str(detail if not isinstance(detail, (dict, list)) else _flatten(detail))
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        body["code"] = codes if isinstance(codes, str) else "error"
    response.data = body
    if stale is not None:
        response["ETag"] = etag(stale.current.version)
    return response


def error_response(message: str, *, code: str, status_code: int, fields: dict | None = None) -> Response:
    return Response({"code": code, "message": str(message), "fields": fields or {}}, status=status_code)


__all__ = ["exception_handler", "error_response", "status"]
