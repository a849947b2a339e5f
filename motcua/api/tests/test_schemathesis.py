"""A bounded schemathesis run over the whole API schema, as an officer of a small province.

Every operation gets a few generated requests (valid and invalid, fixed seed), sent to the
WSGI application in the test's own transaction (nothing written survives the test); each
answer must not be a server error and must match the schema (status documented, body of the
documented shape). Real objects stand in for the path codes so that the actions reach their
services, not only the 404 of a random code.
"""

from __future__ import annotations

import os
import time
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from motcua.conftest import Province
from motcua.dossiers import services
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure

# Few examples per operation: the run must stay near a minute on a busy 2-core machine.
# MOTCUA_SCHEMATHESIS_SCALE=10 runs ten times as many, to search deeper by hand.
SCALE = int(os.environ.get("MOTCUA_SCHEMATHESIS_SCALE", "1"))
EXAMPLES = {GenerationMode.POSITIVE: 2 * SCALE, GenerationMode.NEGATIVE: 1 * SCALE}
BUDGET_SECONDS = 90 * SCALE
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


@pytest.fixture
def api_world(people: dict, province: Province, settings: Any) -> dict[str, Any]:
    """Alice (one-stop officer of C1) with a token, a procedure and two dossiers at C1."""
    settings.ALLOWED_HOSTS = ["*"]
    procedure = make_procedure(
        units=[province.commune_a],
        steps=[
            ("Tiếp nhận", province.commune_a, 4),
            ("Thẩm định", province.commune_a, 60),
            ("Phê duyệt", province.commune_a, 16),
        ],
    )
    received = services.receive_dossier(
        actor=people["alice"],
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=local(2025, 3, 3, 9),
    )
    moving = services.transfer_dossier(
        dossier=services.receive_dossier(
            actor=people["alice"],
            procedure=procedure,
            receiving_unit=province.commune_a,
            applicant=APPLICANT,
            at=local(2025, 3, 4, 9),
        ),
        actor=people["alice"],
        to_unit=province.commune_a,
        at=local(2025, 3, 4, 9),
    )
    token = Token.objects.create(user=people["alice"])
    return {
        "token": token.key,
        "codes": {
            "dossiers": [received.code, moving.code],
            "procedures": [procedure.code],
            "units": ["C1"],
            "fields": ["ho-tich"],
        },
    }


def _pin_path_codes(raw: dict[str, Any], codes: dict[str, list[str]]) -> dict[str, Any]:
    """The schema with each object's `{code}` drawn from real codes (valid requests reach the
    services; invalid ones still try other codes), which also spares Hypothesis from drawing
    and filtering free path strings."""
    for path, item in raw["paths"].items():
        values = next(
            (v for k, v in codes.items() if path.startswith(f"/api/v1/{k}/{{code}}")), None
        )
        # Codes of objects the fixture has none of: well-formed, so drawn without filtering.
        schema: dict[str, Any] = {"type": "string", "pattern": "^[A-Z0-9][A-Z0-9.-]{0,19}$"}
        if values is not None:
            schema = {"type": "string", "enum": values}
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] == "code":
                    parameter["schema"] = schema
    return raw


def _exercise(
    operation: Any,
    mode: GenerationMode,
    headers: dict[str, str],
    failures: list[str],
) -> int:
    """Send a few generated requests to one operation; record what fails; return the count."""
    calls = 0

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES[mode],
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        nonlocal calls
        calls += 1
        try:
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{case.method} {case.formatted_path} ({mode.value}): {exc}"[:1500])

    try:
        run()
    except Unsatisfiable:
        # Nothing to get wrong (GET /me/ takes no input): no invalid request exists.
        assert mode is GenerationMode.NEGATIVE, operation.path
    return calls


def test_the_schema_holds_under_generated_requests(api_world: dict) -> None:
    raw = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(_pin_path_codes(raw, api_world["codes"]))
    schema.app = get_wsgi_application()
    # Uncompressed answers: the WSGI client does not undo the site's gzip.
    headers = {"Authorization": f"Token {api_world['token']}", "Accept-Encoding": "identity"}
    failures: list[str] = []
    spent: dict[str, float] = {}
    calls = 0
    started = time.monotonic()
    # Like Django's test client: the request must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        for result in schema.get_all_operations():
            operation = result.ok()  # type: ignore[union-attr]
            began = time.monotonic()
            raw_operation = operation.definition.raw
            takes_input = raw_operation.get("parameters") or raw_operation.get("requestBody")
            modes = [GenerationMode.POSITIVE] + ([GenerationMode.NEGATIVE] if takes_input else [])
            for mode in modes:
                calls += _exercise(operation, mode, headers, failures)
            spent[f"{operation.method.upper()} {operation.path}"] = time.monotonic() - began
            assert time.monotonic() - started < BUDGET_SECONDS, "over the time budget"
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    print(f"{calls} calls in {time.monotonic() - started:.1f} s")
    for name, seconds in sorted(spent.items(), key=lambda kv: -kv[1])[:12]:
        print(f"{seconds:6.2f} s {name}")
    assert calls > 150
    assert not failures, "\n\n".join(failures)
