from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


class RequestTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "too_large"


def check_length(request, limit: int) -> None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise exceptions.ParseError(_("Content-Length is not a number.")) from None
    if length > limit:
        raise RequestTooLarge(_("The request is larger than %(limit)d bytes.") % {"limit": limit})


class LimitedJSONParser(parsers.JSONParser):
    """JSON bodies up to DALIL_API_MAX_JSON_BYTES; DRF reads the stream itself, past Django's own limit."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DALIL_API_MAX_JSON_BYTES
        request = (parser_context or {}).get("request")
        if request is not None:
            check_length(request, limit)
        data = stream.read(limit + 1) if stream is not None else b""
        if len(data) > limit:
            raise RequestTooLarge(_("The request is larger than %(limit)d bytes.") % {"limit": limit})
        import io

        return super().parse(io.BytesIO(data), media_type, parser_context)
