"""The published OpenAPI schema, the docs page, and schemathesis run against the schema in-process."""

import json
import re
import uuid

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from tests.factories import make_case


def test_schema_is_openapi_3_and_lists_every_endpoint(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {
        "/api/v1/cases/", "/api/v1/cases/{reference}/", "/api/v1/cases/{reference}/events/",
        "/api/v1/cases/{reference}/events/{event_id}/", "/api/v1/cases/{reference}/sources/",
        "/api/v1/cases/{reference}/sources/{source_id}/", "/api/v1/cases/{reference}/files/",
        "/api/v1/cases/{reference}/files/{file_id}/", "/api/v1/cases/{reference}/files/{file_id}/custody/",
        "/api/v1/persons/", "/api/v1/persons/{person_id}/",
    } <= paths
    listing = schema["paths"]["/api/v1/cases/"]["get"]
    assert {"status", "nationality", "pathway", "event_type", "page"} <= {p["name"] for p in listing["parameters"]}
    # A search text is never a URL parameter: it is POSTed to …/search/ (issue 15, item 11).
    assert "query" not in {p["name"] for p in listing["parameters"]}
    body = schema["paths"]["/api/v1/cases/search/"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert "query" in schema["components"]["schemas"][body.rsplit("/", 1)[1]]["properties"]
    assert "Idempotency-Key" in {p["name"] for p in schema["paths"]["/api/v1/cases/"]["post"]["parameters"]}
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert client.get("/api/v1/schema/").status_code == 200  # YAML by default


def test_docs_page_is_served_locally_without_inline_code(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "http://" not in html and "https://" not in html  # nothing from a CDN
    assert "<style" not in html and "style=" not in html
    for script in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        assert "src=" in script[0] and not script[1].strip()  # no inline script: a strict CSP can forbid them
    srcs = re.findall(r'src="([^"]+)"', html)
    assert any("swagger-ui-bundle.js" in s for s in srcs)
    init = next(s for s in srcs if "script" in s and "docs" in s)
    response = client.get(init.replace("&amp;", "&"))
    assert response.status_code == 200 and "SwaggerUIBundle" in response.content.decode()
    bundle = next(s for s in srcs if "swagger-ui-bundle.js" in s)
    assert client.get(bundle).status_code == 200


def excluded(operation):
    """The one rule JSON Schema cannot state: a consistency proof's old size is not larger than its new one (the
    schema says so in words, the API answers 400)."""
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    return [positive_data_acceptance] if operation.path == "/api/v1/audit/consistency/" else []


EXAMPLES = 25  # per operation and mode: enough to reach every operation's branches, the whole run under two minutes


@pytest.fixture
def keep_test_connection():
    """Like Django's test client: the WSGI app must not close the test's database connection after each request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_settings(settings, keep_test_connection):
    settings.DALIL_API_RATE = "100000/min"
    settings.DALIL_API_WRITE_RATE = "100000/min"
    settings.DALIL_EVIDENCE_MAX_BYTES = 64 * 1024
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]  # schemathesis's WSGI client calls itself localhost


def test_schemathesis_with_all_checks_finds_nothing(db, api, cast, fuzz_settings):
    """The issue's outside run, in the suite: every operation, every check (positive and negative data, status codes,
    content types, response schemas), with a caseworker's token and the rate limit raised for this test only."""
    import schemathesis
    from django.core.wsgi import get_wsgi_application
    import schemathesis.specs.openapi.checks  # noqa: F401 - registers the OpenAPI checks
    from schemathesis import GenerationMode
    from schemathesis.checks import CHECKS

    make_case(actor=cast.caseworker1)
    client = api("caseworker1")
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    headers = {"Authorization": f"Bearer {client.raw}"}
    checks = CHECKS.get_all()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 13
    failures = []
    for operation in operations:
        @given(case=st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)))
        @hsettings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck), derandomize=True)
        def run(case):
            fresh = {}
            key = (case.headers or {}).get("Idempotency-Key", "")
            if len(key) <= 255 and re.fullmatch(r"[!-~]([ -~]*[!-~])?", key):
                fresh["Idempotency-Key"] = str(uuid.uuid4())  # a reused key with another body is rightly a 422
            case.call_and_validate(headers=headers | fresh, checks=checks, excluded_checks=excluded(operation))

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
