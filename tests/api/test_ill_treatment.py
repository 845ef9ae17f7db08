"""The API carries the Istanbul Protocol fields of ill-treatment events and refuses what the model refuses."""

from cases.models import Event


def test_api_events_carry_and_validate_the_istanbul_fields(api, cast, case):
    client = api("caseworker1")
    url = f"/api/v1/cases/{case.reference}/events/"
    body = {"type": "ill_treatment", "date": "2024-03", "ill_treatment_methods": ["positional", "sexual"],
            "medical_exam": "refused", "injuries_reported": "Could not walk for a week", "signing_authority": "X"}
    made = client.post(url, body, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["ill_treatment_methods"] == ["positional", "sexual"]
    assert made.json()["signing_authority"] == ""  # a contract's field, emptied on an ill-treatment event
    for bad in ({"ill_treatment_methods": ["beating", "beating"]}, {"ill_treatment_methods": ["nope"]},
                {"medical_exam": "none", "medical_exam_date": "2024-03-02"}):
        response = client.post(url, {**body, **bad}, format="json")
        assert response.status_code == 400, bad
    assert Event.objects.filter(case=case).count() == 1
