"""Protected fields work like ordinary fields in forms, the admin, DRF serializers, templates and commands."""

import datetime
import io

import pytest
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template import Context, Template
from django.test import RequestFactory
from rest_framework import serializers

from cases.models import Person, Source
from tests.factories import make_case


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name_latin", "name_cyrillic", "aliases", "birth_date", "nationality"]


def test_model_form_validates_and_saves(caseworker):
    form = PersonForm(data={"name_latin": "Timur Aliev", "name_cyrillic": "Тимур Алиев", "aliases": "", "birth_date": "1985-07-09", "nationality": "XX"})
    assert isinstance(form.fields["name_latin"].widget, forms.TextInput)
    assert isinstance(form.fields["birth_date"], forms.DateField)
    assert form.is_valid(), form.errors
    person = form.save()
    again = Person.objects.get(pk=person.pk)
    assert again.birth_date == datetime.date(1985, 7, 9) and again.name_cyrillic == "Тимур Алиев"
    bad = PersonForm(data={"name_latin": "X", "birth_date": "not a date", "nationality": "XX"})
    assert not bad.is_valid() and "birth_date" in bad.errors
    edit = PersonForm(instance=again)
    assert edit.initial["name_latin"] == "Timur Aliev"


def test_admin_form_uses_one_line_inputs_and_a_date_widget(caseworker):
    request = RequestFactory().get("/")
    request.user = caseworker
    form_class = admin.ModelAdmin(Person, admin.site).get_form(request)
    assert isinstance(form_class.base_fields["name_latin"].widget, forms.TextInput)
    assert isinstance(form_class.base_fields["birth_date"], forms.DateField)


def test_drf_serializer_reads_and_validates(caseworker):
    class PersonSerializer(serializers.ModelSerializer):
        class Meta:
            model = Person
            fields = ["id", "name_latin", "birth_date"]

    case = make_case(actor=caseworker)
    data = PersonSerializer(Person.objects.get(pk=case.person_id)).data
    assert data["name_latin"] == "Rustam Nysanbaev" and data["birth_date"] == "1994-05-17"
    assert not PersonSerializer(data={"name_latin": "A", "birth_date": "17/05/1994"}).is_valid()


def test_template_shows_the_plaintext(caseworker):
    case = make_case(actor=caseworker)
    person = Person.objects.get(pk=case.person_id)
    html = Template("{{ p.name_latin }} / {{ p.birth_date|date:'Y-m-d' }} / {{ p }}").render(Context({"p": person}))
    assert html == "Rustam Nysanbaev / 1994-05-17 / Rustam Nysanbaev (Рустам Нысанбаев)"


def test_source_url_is_still_validated(caseworker):
    case = make_case(actor=caseworker)
    source = Source(case=case, kind="media", title="Article", url="not a url")
    with pytest.raises(ValidationError) as caught:
        source.full_clean()
    assert "url" in caught.value.message_dict


def test_protect_data_command_is_a_no_op_on_sealed_data(caseworker):
    make_case(actor=caseworker)
    out = io.StringIO()
    call_command("protect_data", stdout=out)
    assert "Sealed 0 rows; indexed 1 people." in out.getvalue()
    with pytest.raises(CommandError, match="batch-size"):
        call_command("protect_data", "--batch-size", "0")
