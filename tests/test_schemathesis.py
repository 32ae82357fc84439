"""Issue 10: schemathesis over /api/v1/openapi.json — no 5xx for anything, 2xx as declared.

Every operation is tried with generated requests (valid and invalid ones), as each of the four
roles and anonymously, half of them aimed at a real edition, site and ids so that the handlers
are reached; the number of examples is bounded so the run fits CI (under 3 minutes a database).
The figures are printed: `pytest tests/test_schemathesis.py -s`.
"""

import json
from collections import Counter
from datetime import date

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

EXAMPLES_PER_OPERATION = 25


def known_values(edition, ids):
    return {
        "slug": edition.slug,
        "site_slug": edition.sites[0].slug,
        "edition": edition.slug,
        "site": edition.sites[0].slug,
        **ids,
    }


def aim(case, known, draw_known):
    """Point some generated requests at rows that exist, so that handlers are reached."""
    if not draw_known:
        return
    for name in list(case.path_parameters or {}):
        if name in known:
            case.path_parameters[name] = known[name]
    if isinstance(case.query, dict):
        for name in list(case.query):
            if name in known:
                case.query[name] = known[name]


def test_no_operation_answers_5xx_and_2xx_conform(
    app, make_edition, make_user, make_cooperative, api_headers
):
    edition = make_edition(
        status="open", starts_on=date(2022, 11, 5), ends_on=date(2030, 12, 31), hours=(0, 1440)
    )
    cooperative = make_cooperative()
    identities = {
        "anonymous": {},
        "organiser": api_headers(make_user("organiser")),
        "volunteer": api_headers(make_user("volunteer")),
        "cashier": api_headers(make_user("cashier")),
        "cooperative": api_headers(make_user("cooperative", cooperative=cooperative)),
    }
    known = known_values(edition, {"application_id": 1, "workshop_id": 1, "badge_id": 1})
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    figures, failures = Counter(), []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        figures["operations"] += 1
        cases = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=cases, who=st.sampled_from(sorted(identities)), aimed=st.booleans())
        def call(case, who, aimed):
            aim(case, known, aimed)
            # The WSGI transport does not decode bodies: ask for them uncompressed (core/assets.py
            # compresses for clients that accept brotli or gzip).
            response = case.call(headers={**identities[who], "Accept-Encoding": "identity"})
            figures["requests"] += 1
            if response.status_code >= 500:
                figures["5xx"] += 1
                failures.append((case.method, case.formatted_path, who, response.status_code))
                return
            if 200 <= response.status_code < 300:
                figures["2xx"] += 1
                try:
                    case.validate_response(
                        response, checks=[response_schema_conformance, content_type_conformance]
                    )
                except AssertionError as error:
                    failures.append((case.method, case.formatted_path, who, str(error)[:300]))
            elif response.headers.get("Content-Type", "").startswith("application/json"):
                body = json.loads(response.content)
                assert set(body["error"]) >= {"code", "message"}, (case.formatted_path, body)

        call()
    print(f"\nschemathesis: {dict(figures)}")
    assert figures["operations"] >= 26
    assert failures == []


def test_every_2xx_declares_its_body(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    undeclared = [
        (method, path, status)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        for status, response in operation["responses"].items()
        if status.startswith("2")
        and not any(media.get("schema") for media in response.get("content", {}).values())
    ]
    assert undeclared == []
