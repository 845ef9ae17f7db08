"""Test data built through the real services, so that every fixture case has its audit trail."""

import datetime

import factory
from django.contrib.auth import get_user_model

from cases import services
from cases.models import Nationality

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_case(*, actor, name_latin="Rustam Nysanbaev", name_cyrillic="Рустам Нысанбаев", nationality=Nationality.KAZAKHSTAN, **case):
    person = {
        "name_latin": name_latin,
        "name_cyrillic": name_cyrillic,
        "nationality": nationality,
        "birth_date": datetime.date(1994, 5, 17),
        "birth_date_precision": "day",
    }
    contacts = [{"name": "Aigerim Nysanbaeva", "relationship": "sister", "is_reporter": True, "phone": "+77010000001"}]
    return services.case_create(actor=actor, person=person, case=case, contacts=contacts)
