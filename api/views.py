"""The REST API: thin views over cases.selectors (reads) and cases.services (writes).

A case is resolved through the same selector as in the web UI, for the same
permission, so a token sees exactly what its user would and gets 404 otherwise.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import parsers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api import auditing, idempotency, versions
from api.errors import error_response
from api import selectors as api_selectors
from api import serializers as s
from api.pagination import Pagination
from api.schema import PAGE_PARAMETERS, paginated
from api.permissions import may_open_cases
from audit import actions
from cases import selectors, services
from evidence import selectors as evidence_selectors
from evidence import services as evidence_services
from evidence.models import EvidenceFile
from evidence.uploads import EncryptingUploadHandler, SealedUpload
from keys import ring

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    name=idempotency.HEADER, type={"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"^[!-~]([ -~]*[!-~])?$"},
    location=OpenApiParameter.HEADER, required=False,
    description=_("Any unique string (e.g. a UUID). A retry with the same key replays the first result instead of creating again."),
)
REFERENCE = OpenApiParameter("reference", str, OpenApiParameter.PATH, description="Case reference, e.g. DAL-2025-0001")


PAGE = frozenset({"page", "page_size"})


class ApiView(APIView):
    """`query` names the query parameters each method reads (as its schema lists them); any other is a 400."""

    audit_case = None
    query: dict[str, frozenset] = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        unknown = sorted(set(request.query_params) - self.query.get(request.method, frozenset()))
        if unknown:
            raise ValidationError(dict.fromkeys(unknown, [_("This query parameter is not part of the API.")]))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        auditing.request_done(request, response, case=self.audit_case)
        return response

    def case(self, reference: str, *, perm: str = "view_case"):
        case = selectors.case_get_for(self.request.user, reference=reference, perm=perm)
        self.audit_case = case
        return case

    def paginate(self, queryset, serializer_class):
        paginator = Pagination()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        return page, paginator.get_paginated_response(serializer_class(page, many=True).data)

    @staticmethod
    def filters(serializer_class, data, *, in_url: bool = False) -> dict:
        # A name in a query string lands in proxy and server logs: name searches are POSTed (…/search/).
        if in_url and "query" in data:
            raise ValidationError({"query": [_("Send a search by POST to the list's search/ address, never in the URL.")]})
        form = serializer_class(data=data)
        form.is_valid(raise_exception=True)
        return {k: v for k, v in form.validated_data.items() if v}

    def case_list(self, request, filters: dict):
        qs = selectors.case_list_for(request.user, **filters)
        page, response = self.paginate(qs, s.CaseSummarySerializer)
        auditing.read(request, action=actions.CASE_LIST_VIEWED, data={"cases": [str(c.pk) for c in page]})
        return response

    def person_list(self, request, filters: dict):
        qs = api_selectors.persons_for(request.user, **filters)
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        auditing.read(request, action=actions.CASE_LIST_VIEWED, data={"cases": [str(c.pk) for c in page], "persons": True})
        return paginator.get_paginated_response(s.PersonSerializer([c.person for c in page], many=True).data)


# How the API answers each kind of refused upload (evidence.uploads.FAILURES).
UPLOAD_FAILURE_STATUS = {"too_large": 413, "key_unavailable": 503, "storage_full": 507, "storage_failed": 503}


class CaseListCreate(ApiView):
    query = {"GET": PAGE | {"query", *s.CasePlainFilterSerializer().fields}}
    @extend_schema(parameters=[s.CasePlainFilterSerializer, *PAGE_PARAMETERS], responses=paginated(s.CaseSummarySerializer), summary="List cases", operation_id="cases_list")
    def get(self, request):
        return self.case_list(request, self.filters(s.CaseFilterSerializer, request.query_params, in_url=True))

    @extend_schema(request=s.CaseCreateSerializer, responses={201: s.CaseSerializer}, parameters=[IDEMPOTENCY_PARAMETER], summary="Open a case with its person and contact")
    @sensitive_variables("data", "person", "contacts")
    def post(self, request):
        if not may_open_cases(request.user):
            raise PermissionDenied(_("Your role may not open cases."))
        form = s.CaseCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)

        def perform():
            data = dict(form.validated_data)
            person = data.pop("person")
            person.pop("birth_date_approximate", None)
            contacts = data.pop("contacts", [])
            if "contact" in data:
                contacts = [data.pop("contact"), *contacts]
            case = services.case_create(actor=request.user, person=person, case=data, contacts=contacts)
            return self._created(case), case.reference

        return idempotency.run(
            request, endpoint="cases.create", content=(request.data,),
            perform=perform, replay=lambda reference: self._created(self.case(reference)),
        )

    def _created(self, case):
        self.audit_case = case
        case = selectors.case_get_for(self.request.user, reference=case.reference)
        return Response(s.CaseSerializer(case).data, status=status.HTTP_201_CREATED, headers={"Location": f"{self.request.path}{case.reference}/"})


def _versioned(data, version: int) -> Response:
    return Response(data, headers={"ETag": versions.etag(version)})


class CaseDetail(ApiView):
    @extend_schema(parameters=[REFERENCE, versions.ETAG_RESPONSE], responses=s.CaseSerializer, summary="Read a case")
    def get(self, request, reference):
        case = self.case(reference)
        auditing.read(request, action=actions.CASE_VIEWED, target=case)
        return _versioned(s.CaseSerializer(case).data, case.version)

    @extend_schema(
        parameters=[REFERENCE, versions.IF_MATCH_PARAMETER, versions.ETAG_RESPONSE], request=s.CaseUpdateSerializer,
        responses=s.CaseSerializer, summary="Change a case and its person",
    )
    @sensitive_variables("data", "person")
    def patch(self, request, reference):
        case = self.case(reference, perm="change_case")
        version = versions.expected_version(request)
        form = s.CaseUpdateSerializer(data=request.data, context={"person": case.person, "status": case.status})
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        person = data.pop("person", {})
        person.pop("birth_date_approximate", None)
        services.case_update(actor=request.user, case=case, person=person, data=data, version=version)
        case = selectors.case_get_for(request.user, reference=reference)
        return _versioned(s.CaseSerializer(case).data, case.version)


class CaseSearch(ApiView):
    query = {"POST": PAGE}
    @extend_schema(request=s.CaseFilterSerializer, parameters=PAGE_PARAMETERS, responses=paginated(s.CaseSummarySerializer), summary="Search cases (a name goes in the body, never in the URL)")
    def post(self, request):
        return self.case_list(request, self.filters(s.CaseFilterSerializer, request.data))


class PersonList(ApiView):
    query = {"GET": PAGE | {"query", *s.PersonPlainFilterSerializer().fields}}
    @extend_schema(parameters=[s.PersonPlainFilterSerializer, *PAGE_PARAMETERS], responses=paginated(s.PersonSerializer), summary="List the people of your cases", operation_id="persons_list")
    def get(self, request):
        return self.person_list(request, self.filters(s.PersonFilterSerializer, request.query_params, in_url=True))


class PersonSearch(ApiView):
    query = {"POST": PAGE}
    @extend_schema(request=s.PersonFilterSerializer, parameters=PAGE_PARAMETERS, responses=paginated(s.PersonSerializer), summary="Search the people of your cases (by POST)")
    def post(self, request):
        return self.person_list(request, self.filters(s.PersonFilterSerializer, request.data))


class PersonDetail(ApiView):
    @extend_schema(responses=s.PersonSerializer, summary="Read a person")
    def get(self, request, person_id):
        person = api_selectors.person_get_for(request.user, person_id=person_id)
        self.audit_case = person.case
        auditing.read(request, action=actions.PERSON_VIEWED, target=person, case=person.case)
        return Response(s.PersonSerializer(person).data)


class EventListCreate(ApiView):
    query = {"GET": PAGE}
    @extend_schema(parameters=[REFERENCE, *PAGE_PARAMETERS], responses=paginated(s.EventSerializer), summary="A case's timeline", operation_id="cases_events_list")
    def get(self, request, reference):
        case = self.case(reference)
        page, response = self.paginate(selectors.events_for(request.user, case=case), s.EventSerializer)
        return response

    @extend_schema(parameters=[REFERENCE, IDEMPOTENCY_PARAMETER], request=s.EventCreateSerializer, responses={201: s.EventSerializer}, summary="Add an event")
    def post(self, request, reference):
        case = self.case(reference, perm="change_case")
        form = s.EventCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        sources, perpetrators = self.relations(request, case, data)

        def perform():
            event = services.event_add(actor=request.user, case=case, data=data, perpetrators=perpetrators, sources=sources)
            return self._created(case, event.pk), str(event.pk)

        return idempotency.run(
            request, endpoint=f"events.create:{case.pk}", content=(request.data,),
            perform=perform, replay=lambda event_id: self._created(case, event_id),
        )

    @staticmethod
    def relations(request, case, data: dict) -> tuple[list, list]:
        """Resolve the ids in `data` (changed in place: a place id becomes the place) to this case's records."""
        source_ids = data.pop("sources", [])
        perpetrator_ids = data.pop("perpetrators", [])
        sources = list(selectors.sources_for(request.user, case=case).filter(pk__in=source_ids))
        if len(sources) != len(set(source_ids)):
            raise ValidationError({"sources": [_("A source is not one of this case's sources.")]})
        perpetrators = api_selectors.perpetrators_by_ids(perpetrator_ids)
        if len(perpetrators) != len(set(perpetrator_ids)):
            raise ValidationError({"perpetrators": [_("No such perpetrator.")]})
        if data.get("location") is not None:
            data["location"] = api_selectors.location_get(data["location"])
            if data["location"] is None:
                raise ValidationError({"location": [_("No such place.")]})
        for name in [k for k, v in data.items() if v is None and k not in ("date", "location")]:
            del data[name]
        return sources, perpetrators

    def _created(self, case, event_id):
        event = selectors.event_get_for(self.request.user, case=case, event_id=event_id)
        return Response(s.EventSerializer(event).data, status=status.HTTP_201_CREATED)


class EventDetail(ApiView):
    @extend_schema(parameters=[REFERENCE, versions.ETAG_RESPONSE], responses=s.EventSerializer, summary="Read an event")
    def get(self, request, reference, event_id):
        case = self.case(reference)
        event = selectors.event_get_for(request.user, case=case, event_id=event_id)
        return _versioned(s.EventSerializer(event).data, event.version)

    @extend_schema(
        parameters=[REFERENCE, versions.IF_MATCH_PARAMETER, versions.ETAG_RESPONSE], request=s.EventUpdateSerializer,
        responses=s.EventSerializer, summary="Change an event",
    )
    @sensitive_variables("data")
    def patch(self, request, reference, event_id):
        case = self.case(reference, perm="change_case")
        event = selectors.event_get_for(request.user, case=case, event_id=event_id)
        version = versions.expected_version(request)
        form = s.EventUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        sources, perpetrators = EventListCreate.relations(request, case, data)
        services.event_update(
            actor=request.user, event=event, data=data, version=version,
            sources=sources if "sources" in request.data else None,
            perpetrators=perpetrators if "perpetrators" in request.data else None,
        )
        event = selectors.event_get_for(request.user, case=case, event_id=event_id)
        return _versioned(s.EventSerializer(event).data, event.version)


class SourceList(ApiView):
    query = {"GET": PAGE}
    @extend_schema(parameters=[REFERENCE, *PAGE_PARAMETERS], responses=paginated(s.SourceSerializer), summary="A case's sources", operation_id="cases_sources_list")
    def get(self, request, reference):
        case = self.case(reference)
        page, response = self.paginate(selectors.sources_for(request.user, case=case), s.SourceSerializer)
        return response


class SourceDetail(ApiView):
    @extend_schema(parameters=[REFERENCE, versions.ETAG_RESPONSE], responses=s.SourceSerializer, summary="Read a source")
    def get(self, request, reference, source_id):
        case = self.case(reference)
        source = selectors.source_get_for(request.user, case=case, source_id=source_id)
        return _versioned(s.SourceSerializer(source).data, source.version)

    @extend_schema(
        parameters=[REFERENCE, versions.IF_MATCH_PARAMETER, versions.ETAG_RESPONSE], request=s.SourceUpdateSerializer,
        responses=s.SourceSerializer, summary="Change a source",
    )
    @sensitive_variables("form")
    def patch(self, request, reference, source_id):
        case = self.case(reference, perm="change_case")
        source = selectors.source_get_for(request.user, case=case, source_id=source_id)
        version = versions.expected_version(request)
        form = s.SourceUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.source_update(actor=request.user, source=source, data=dict(form.validated_data), version=version)
        source = selectors.source_get_for(request.user, case=case, source_id=source_id)
        return _versioned(s.SourceSerializer(source).data, source.version)


FILE_ID = OpenApiParameter("file_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="Evidence file id (UUID)")


class FileListUpload(ApiView):
    query = {"GET": PAGE}
    parser_classes = [parsers.MultiPartParser]

    @extend_schema(parameters=[REFERENCE, *PAGE_PARAMETERS], responses=paginated(s.EvidenceFileSerializer), summary="A case's evidence files (metadata)", operation_id="cases_files_list")
    def get(self, request, reference):
        case = self.case(reference)
        page, response = self.paginate(evidence_selectors.files_for(request.user, case=case), s.EvidenceFileSerializer)
        return response

    @extend_schema(
        parameters=[REFERENCE, IDEMPOTENCY_PARAMETER],
        request={"multipart/form-data": s.EvidenceUploadSerializer},
        responses={201: s.EvidenceFileSerializer},
        summary="Upload an evidence file",
        description=_("Streamed and encrypted as it arrives, exactly as in the web UI; refused (and nothing kept) unless "
                      "the server's SHA-256 of what arrived equals the client's `sha256`."),
    )
    @sensitive_variables("form", "upload")
    def post(self, request, reference):
        # Access first: nobody streams into storage for a case they may not change.
        case = self.case(reference, perm="change_case")
        handler = EncryptingUploadHandler(request._request, max_bytes=evidence_services.max_bytes())
        request._request.upload_handlers = [handler]
        try:
            return self._upload(request, case, handler)
        finally:
            handler.cleanup()

    def _upload(self, request, case, handler):
        try:
            data = request.data
            uploads = request.FILES.getlist("file")
        except ring.KeyUnavailable:
            handler.fail("key_unavailable")
            data, uploads = {}, []
        if handler.error:
            status_code = UPLOAD_FAILURE_STATUS.get(handler.kind, 400)
            return error_response(handler.error, code="upload_failed", status_code=status_code, fields={"file": [str(handler.error)]})
        form = s.EvidenceUploadSerializer(data={k: v for k, v in data.items() if k != "file"} | {"file": uploads[0] if uploads else None})
        form.is_valid(raise_exception=True)
        if len(uploads) != 1 or not isinstance(uploads[0], SealedUpload):
            raise ValidationError({"file": [_("Send exactly one file, in a part named 'file'.")]})
        upload = uploads[0]
        if upload.sealed.size == 0:
            raise ValidationError({"file": [_("The file is empty.")]})
        client_sha = form.validated_data["sha256"].lower()
        if upload.sealed.sha256 != client_sha:
            raise ValidationError({"sha256": [_("The file that arrived has SHA-256 %(server)s, not the %(client)s you sent: it was not kept.")
                                              % {"server": upload.sealed.sha256, "client": client_sha}]})
        source = event = None
        try:
            if form.validated_data.get("source"):
                source = selectors.source_get_for(request.user, case=case, source_id=form.validated_data["source"])
            if form.validated_data.get("event"):
                event = selectors.event_get_for(request.user, case=case, event_id=form.validated_data["event"])
        except Http404:
            raise ValidationError({"event" if source is not None or not form.validated_data.get("source") else "source": [_("Not one of this case's.")]}) from None

        def perform():
            try:
                record = evidence_services.evidence_attach(
                    actor=request.user, case=case, content=upload.sealed, original_name=upload.name,
                    source_label=form.validated_data.get("source_label", ""), source=source, event=event,
                    description=form.validated_data.get("description", ""), method=EvidenceFile.Method.UPLOAD,
                    claimed_type=upload.content_type or "",
                )
            except evidence_services.EvidenceError as exc:
                raise ValidationError({"file": [str(exc)]}) from None
            handler.claim(upload.sealed)
            return self._created(case, record.pk), str(record.pk)

        return idempotency.run(
            request, endpoint=f"files.upload:{case.pk}", content=(client_sha, upload.name),
            perform=perform, replay=lambda file_id: self._created(case, file_id),
        )

    def _created(self, case, file_id):
        record = evidence_selectors.file_get_for(self.request.user, case=case, file_id=file_id)
        return Response(s.EvidenceFileSerializer(record).data, status=status.HTTP_201_CREATED)


class FileDetail(ApiView):
    @extend_schema(parameters=[REFERENCE, FILE_ID], responses=s.EvidenceFileSerializer, summary="Read a file's metadata")
    def get(self, request, reference, file_id):
        case = self.case(reference)
        return Response(s.EvidenceFileSerializer(evidence_selectors.file_get_for(request.user, case=case, file_id=file_id)).data)


class FileCustody(ApiView):
    query = {"GET": PAGE}
    @extend_schema(parameters=[REFERENCE, FILE_ID, *PAGE_PARAMETERS], responses=paginated(s.CustodyEventSerializer), summary="A file's chain of custody")
    def get(self, request, reference, file_id):
        case = self.case(reference)
        record = evidence_selectors.file_get_for(request.user, case=case, file_id=file_id)
        page, response = self.paginate(evidence_selectors.custody_for(request.user, file=record).order_by("at", "id"), s.CustodyEventSerializer)
        return response
