"""A case's contacts (reporters and relatives) through the API, versioned like cases, events and sources:
every read carries the contact's version as its ETag, and a change must send it back in If-Match (412 when
someone else changed the contact since, 428 without it)."""

from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from api import auditing, versions
from api.schema import PAGE_PARAMETERS, paginated
from api.serializers import ContactInputSerializer
from api.views import PAGE, REFERENCE, ApiView, _versioned
from audit import actions
from cases import selectors, services
from cases.models import Contact

CONTACT_ID = OpenApiParameter("contact_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="Contact id (UUID)")


class ContactSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    case = serializers.CharField(source="case.reference")
    name = serializers.CharField()
    relationship = serializers.ChoiceField(choices=Contact.Relationship.choices)
    relationship_detail = serializers.CharField()
    is_reporter = serializers.BooleanField()
    phone = serializers.CharField()
    messenger = serializers.CharField()
    address = serializers.CharField()
    safe_contact_notes = serializers.CharField()
    consents_to_contact = serializers.BooleanField()
    version = serializers.IntegerField(help_text=_("Also the ETag."))
    created_at = serializers.DateTimeField()


class ContactUpdateSerializer(ContactInputSerializer):
    """The fields sent are changed; the others stay as they are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.fields["is_reporter"].default = serializers.empty
        self.fields["consents_to_contact"].default = serializers.empty


class ContactList(ApiView):
    query = {"GET": PAGE}

    @extend_schema(parameters=[REFERENCE, *PAGE_PARAMETERS], responses=paginated(ContactSerializer),
                   summary="A case's contacts", operation_id="cases_contacts_list")
    def get(self, request, reference):
        case = self.case(reference)
        page, response = self.paginate(selectors.contacts_for(request.user, case=case).select_related("case"), ContactSerializer)
        auditing.read(request, action=actions.CASE_VIEWED, target=case, data={"contacts": [str(c.pk) for c in page]})
        return response


class ContactDetail(ApiView):
    @extend_schema(parameters=[REFERENCE, CONTACT_ID, versions.ETAG_RESPONSE], responses=ContactSerializer, summary="Read a contact")
    def get(self, request, reference, contact_id):
        case = self.case(reference)
        contact = selectors.contact_get_for(request.user, case=case, contact_id=contact_id)
        auditing.read(request, action=actions.CASE_VIEWED, target=case, data={"contacts": [str(contact.pk)]})
        return _versioned(ContactSerializer(contact).data, contact.version)

    @extend_schema(
        parameters=[REFERENCE, CONTACT_ID, versions.IF_MATCH_PARAMETER, versions.ETAG_RESPONSE], request=ContactUpdateSerializer,
        responses=ContactSerializer, summary="Change a contact",
    )
    @sensitive_variables("form")
    def patch(self, request, reference, contact_id):
        case = self.case(reference, perm="change_case")
        contact = selectors.contact_get_for(request.user, case=case, contact_id=contact_id)
        version = versions.expected_version(request)
        form = ContactUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.contact_update(actor=request.user, contact=contact, data=dict(form.validated_data), version=version)
        contact = selectors.contact_get_for(request.user, case=case, contact_id=contact_id)
        return _versioned(ContactSerializer(contact).data, contact.version)
