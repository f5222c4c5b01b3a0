"""The error tree: one root, status classes, domain classes, and the README's mapping table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from kitty_contracts import ErrorCode, ErrorEnvelope
from kitty_origin import errors
from kitty_origin.errors import (
    APIStatusError,
    SpecKittySaaSError,
    error_class_for,
    error_from_envelope,
    parse_envelope,
)

from tests.client.fakes import envelope, example

README = Path(__file__).resolve().parents[2] / "client" / "README.md"


def readme_rows() -> list[tuple[int, str, str]]:
    rows = []
    for line in README.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| (\d{3}) \| `(\w+)` \| `(\w+)`", line)
        if match:
            rows.append((int(match.group(1)), match.group(2), match.group(3)))
    return rows


def test_readme_table_covers_every_contract_error_code() -> None:
    assert {code for _, code, _ in readme_rows()} == {code.value for code in ErrorCode}


@pytest.mark.parametrize(("status", "code", "name"), readme_rows())
def test_readme_table_matches_the_mapping_function(status: int, code: str, name: str) -> None:
    body = envelope(code, "something happened")
    raised = error_from_envelope(ErrorEnvelope.model_validate(body), status_code=status)
    assert type(raised).__name__ == name
    assert type(raised) is errors.raised_class_for(status, code)
    assert (raised.status_code, raised.error_code) == (status, code)


def test_domain_errors_are_raised_under_their_status_class() -> None:
    raised = error_class_for(409, "origin_already_bound")
    assert issubclass(raised, errors.OriginAlreadyBoundError)
    assert issubclass(raised, errors.ConflictError)
    assert raised is error_class_for(409, "origin_already_bound")
    local = errors.error_for_code(ErrorCode.origin_already_bound, "bound elsewhere")
    assert isinstance(local, errors.ConflictError)
    assert local.status_code == 409


def test_every_error_has_the_single_root() -> None:
    classes = [
        obj
        for obj in vars(errors).values()
        if isinstance(obj, type)
        and issubclass(obj, Exception)
        and obj.__module__ == errors.__name__
    ]
    assert len(classes) > 20
    assert all(issubclass(cls, SpecKittySaaSError) for cls in classes)


def test_domain_errors_keep_the_structured_fields() -> None:
    body = example("searchIssues", 403, "missing_user_link")
    body["request_id"] = "req-1"
    raised = error_from_envelope(ErrorEnvelope.model_validate(body), status_code=403)
    assert isinstance(raised, errors.UserLinkRequiredError)
    assert isinstance(raised, errors.PermissionDeniedError)
    assert raised.user_action_required is True
    assert raised.request_id == "req-1"
    assert raised.envelope is not None
    assert raised.envelope.error_code.value == "user_link_required"


def test_provider_rejected_is_also_an_unsupported_provider_error() -> None:
    raised = error_from_envelope(
        ErrorEnvelope.model_validate(envelope("unsupported_provider")), status_code=422
    )
    assert isinstance(raised, errors.UnsupportedProviderError)
    assert isinstance(raised, errors.UnprocessableEntityError)


def test_code_with_an_unusual_status_falls_back_to_the_status_class() -> None:
    raised = error_from_envelope(
        ErrorEnvelope.model_validate(envelope("user_link_required")), status_code=401
    )
    assert type(raised) is errors.AuthenticationError


def test_unknown_status_maps_to_the_generic_classes() -> None:
    assert error_class_for(599, None) is errors.InternalServerError
    assert error_class_for(418, None) is APIStatusError


def test_body_that_is_not_an_envelope_is_not_parsed() -> None:
    assert parse_envelope(b"<html/>") is None
    assert parse_envelope(b'{"error": "x"}') is None
    assert parse_envelope(b"[]") is None


def test_rate_limit_keeps_the_server_wait() -> None:
    body = example("searchIssues", 429, "rate_limited")
    raised = error_from_envelope(ErrorEnvelope.model_validate(body), status_code=429)
    assert isinstance(raised, errors.RateLimitError)
    assert raised.retry_after_seconds == 2
