"""Request dependencies: the runtime, the acting user and team, and contract-validated bodies.

They are `async def` on purpose: FastAPI runs plain `def` dependencies in a thread pool, and
these short SQLite reads cost less than the hop to a worker thread.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from kitty_contracts import ErrorCode
from kitty_contracts.validation import ComponentName, validator

from kitty_mock_saas.errors import ApiError
from kitty_mock_saas.runtime import MockRuntime
from kitty_mock_saas.state import directory
from kitty_mock_saas.state.directory import Team, User


async def get_runtime(request: Request) -> MockRuntime:
    runtime: MockRuntime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[MockRuntime, Depends(get_runtime)]


async def current_user(request: Request, runtime: RuntimeDep) -> User:
    """The user of the bearer token; 401 envelope otherwise."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(
            ErrorCode.unauthenticated,
            "Missing bearer token. Log in with `spec-kitty auth login` and send "
            "`Authorization: Bearer <token>`.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    user = directory.user_by_token(runtime.db, token.strip())
    if user is None:
        raise ApiError(
            ErrorCode.unauthenticated,
            "Unknown or expired access token. Log in again with `spec-kitty auth login`.",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    request.state.user_id = user.id
    return user


UserDep = Annotated[User, Depends(current_user)]


async def current_team(
    runtime: RuntimeDep,
    user: UserDep,
    x_team_slug: Annotated[str | None, Header(alias="X-Team-Slug")] = None,
) -> Team:
    """The team in `X-Team-Slug` (id or slug) if the user is a member; 403 otherwise."""
    if x_team_slug is None or not x_team_slug.strip():
        raise ApiError(
            ErrorCode.validation_failed,
            "The X-Team-Slug header is required.",
            details=[("header.X-Team-Slug", "required")],
        )
    team = directory.team_of_member(runtime.db, user.id, x_team_slug.strip())
    if team is None:
        raise ApiError(
            ErrorCode.forbidden,
            f"You are not a member of team {x_team_slug!r}. Pick one of your teams "
            "(spec-kitty auth status lists them).",
        )
    return team


TeamDep = Annotated[Team, Depends(current_team)]


@dataclass(frozen=True)
class ContractBody:
    """A request body that parsed as JSON and validated against its contract schema."""

    data: dict[str, Any]


def parse_json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(
            ErrorCode.malformed_request,
            f"The request body is not valid JSON: {exc}.",
            details=[("body", "not JSON")],
        ) from exc


def check_contract(name: ComponentName, data: Any) -> dict[str, Any]:
    """`data` if it matches `#/components/schemas/<name>`; a 422 naming each field otherwise."""
    errors = sorted(validator(name).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        details = [
            (".".join(["body", *(str(p) for p in e.absolute_path)]), e.message[:2048])
            for e in errors[:20]
        ]
        raise ApiError(
            ErrorCode.validation_failed,
            f"Invalid request: {details[0][0]}: {details[0][1]}",
            details=details,
        )
    assert isinstance(data, dict)
    return data


def contract_body(name: ComponentName) -> Callable[[Request], Awaitable[ContractBody]]:
    async def dependency(request: Request) -> ContractBody:
        return ContractBody(check_contract(name, parse_json(await request.body())))

    return dependency
