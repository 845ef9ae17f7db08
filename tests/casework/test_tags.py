"""Tags: admins define them, whoever may edit a case tags it; an unsafe tag's name never reaches a statistic."""

import pytest
from django.db import connection

from audit.models import AuditEvent
from casework import tags
from casework.models import CaseTag, Tag
from patterns import stats
from tests.cast import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def unsafe(cast):
    return tags.tag_create(actor=cast.admin1, name="Wagner recruiter in Samarkand", description="the same recruiter", colour="red")


@pytest.fixture
def safe(cast):
    return tags.tag_create(actor=cast.admin1, name="Debt forgiveness offer", colour="blue", safe_for_statistics=True)


def test_an_admin_defines_a_tag_sealed_at_rest_and_audited_without_its_name(client, cast):
    sign_in(client, cast.admin1)
    response = client.post("/manage/tags/new/", {"name": "Wagner recruiter", "description": "seen in Samarkand", "colour": "red"})
    assert response.status_code == 302
    tag = Tag.objects.get()
    assert (tag.name, tag.safe_for_statistics) == ("Wagner recruiter", False)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, description FROM casework_tag")
        assert "Wagner" not in str(cursor.fetchall())
    event = AuditEvent.objects.get(action="casework.tag.created", target_id=str(tag.pk))
    assert "Wagner" not in str(event.data) and "Samarkand" not in str(event.data)
    assert "Wagner recruiter" in client.get("/manage/tags/").content.decode()


def test_a_second_tag_of_the_same_name_is_refused_and_nothing_is_saved(client, cast, unsafe):
    sign_in(client, cast.admin1)
    response = client.post("/manage/tags/new/", {"name": "  wagner RECRUITER in samarkand ", "colour": "grey"})
    assert response.status_code == 400 and "already a tag with this name" in response.content.decode()
    assert Tag.objects.count() == 1


@pytest.mark.parametrize("who", ["caseworker1", "legal1", "outsider"])
def test_only_admins_define_tags(client, cast, unsafe, who):
    user = getattr(cast, who)
    sign_in(client, user)
    assert client.get("/manage/tags/").status_code == 403
    assert client.post("/manage/tags/new/", {"name": "Mine", "colour": "grey"}).status_code == 403
    assert client.post(f"/manage/tags/{unsafe.pk}/retire").status_code == 403
    with pytest.raises(tags.TagError):
        tags.tag_create(actor=user, name="Mine")
    assert Tag.objects.count() == 1 and Tag.objects.get().retired_at is None


def test_a_caseworker_tags_their_case_and_sees_it_on_the_page_and_in_the_list(client, cast, unsafe, safe):
    sign_in(client, cast.caseworker1)
    ref = cast.case.reference
    assert client.post(f"/cases/{ref}/tags/", {"tag": str(unsafe.pk)}).status_code == 302
    assert client.post(f"/cases/{ref}/tags/", {"tag": str(unsafe.pk)}).status_code == 302  # not offered twice
    assert CaseTag.objects.filter(case=cast.case).count() == 1
    event = AuditEvent.objects.get(action="case.tag.added")
    assert event.case_ref == ref and event.data == {"tag": str(unsafe.pk)}
    assert unsafe.name in client.get(f"/cases/{ref}/").content.decode()
    page = client.get("/").content.decode()
    assert page.count(unsafe.name) >= 2  # the row's badge, the count by tag (and the filter)
    assert ref in client.get(f"/?tag={unsafe.pk}").content.decode()
    assert ref not in client.get(f"/?tag={safe.pk}").content.decode()
    assert client.post(f"/cases/{ref}/tags/{unsafe.pk}/remove").status_code == 302
    assert not CaseTag.objects.exists() and AuditEvent.objects.filter(action="case.tag.removed").exists()


def test_others_cannot_read_or_change_the_tags_of_a_case(client, cast, unsafe):
    tags.case_tag_add(actor=cast.caseworker1, case=cast.case, tag=unsafe)
    ref = cast.case.reference
    for user in (cast.outsider, cast.legal1, cast.admin1):
        sign_in(client, user)
        assert client.post(f"/cases/{ref}/tags/{unsafe.pk}/remove").status_code == 404
        assert client.post(f"/cases/{ref}/tags/", {"tag": str(unsafe.pk)}).status_code == 404
        with pytest.raises(tags.TagError):
            tags.case_tag_remove(actor=user, case=cast.case, tag=unsafe)
    assert client.get(f"/cases/{ref}/tags/").status_code == 404  # the admin has no grant on the case
    sign_in(client, cast.outsider)
    assert client.get(f"/cases/{ref}/tags/").status_code == 404
    listed = client.get(f"/?tag={unsafe.pk}").content.decode()
    assert ref not in listed and cast.case.person.name_latin not in listed
    assert "Cases by tag" not in client.get("/").content.decode()  # the outsider's cases carry no tag
    assert CaseTag.objects.count() == 1


def test_a_retired_tag_stays_on_its_cases_but_is_no_longer_offered(client, cast, unsafe, safe):
    tags.case_tag_add(actor=cast.caseworker1, case=cast.case, tag=unsafe)
    sign_in(client, cast.admin1)
    assert client.post(f"/manage/tags/{safe.pk}/retire").status_code == 302
    safe.refresh_from_db()
    with pytest.raises(tags.TagError):
        tags.case_tag_add(actor=cast.caseworker1, case=cast.case, tag=safe)
    sign_in(client, cast.caseworker1)
    page = client.get(f"/cases/{cast.case.reference}/tags/").content.decode()
    assert unsafe.name in page and safe.name not in page
    assert client.post(f"/cases/{cast.case.reference}/tags/", {"tag": str(safe.pk)}).status_code == 302
    assert not CaseTag.objects.filter(tag=safe).exists()


def test_only_safe_tags_are_counted_in_statistics(client, cast, unsafe, safe):
    tags.case_tag_add(actor=cast.caseworker1, case=cast.case, tag=unsafe)
    tags.case_tag_add(actor=cast.caseworker1, case=cast.case, tag=safe)
    tags.case_tag_add(actor=cast.outsider, case=cast.other_case, tag=safe)
    for user in (cast.legal1, cast.admin1):  # counts over every case, or over the cases they hold
        rows = stats.counts(user, measure="cases", dimension="tag").rows
        assert unsafe.name not in str(rows) and str(unsafe.pk) not in str(rows)
    all_rows = {r.label: r.count for r in stats.counts(cast.admin1, measure="cases", dimension="tag").rows}
    assert all_rows == {"Debt forgiveness offer": 2}
    own = {r.label: r.count for r in stats.counts(cast.caseworker1, measure="cases", dimension="tag").rows}
    assert own == {"Debt forgiveness offer": 1}
    for user in (cast.caseworker1, cast.admin1):
        sign_in(client, user)
        dashboard = client.get("/patterns/").content.decode()
        assert safe.name in dashboard and unsafe.name not in dashboard
        export = client.get("/patterns/stats.csv?dimension=tag").content.decode()
        assert safe.name in export and unsafe.name not in export
        research = client.get("/patterns/research-export?format=json").content.decode()
        assert unsafe.name not in research
