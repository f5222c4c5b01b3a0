"""Request dependencies: the runtime, the acting user and team, and the contract-checked body.

They are `async def` on purpose: FastAPI runs plain `def` dependencies in a thread pool, and
these short SQLite reads cost less than the hop to a worker thread.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, Request
from kitty_contracts import ErrorCode

from kitty_mock_saas.errors import ApiError
from kitty_mock_saas.runtime import MockRuntime
from kitty_mock_saas.stage import CONTRACT_BODY
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
    x_team_slug: Annotated[str, Header(alias="X-Team-Slug")],
) -> Team:
    """The team in `X-Team-Slug` (id or slug) if the user is a member; 403 otherwise."""
    team = directory.team_of_member(runtime.db, user.id, x_team_slug)
    if team is None:
        raise ApiError(
            ErrorCode.forbidden,
            f"You are not a member of team {x_team_slug!r}. Pick one of your teams "
            "(spec-kitty auth status lists them).",
        )
    return team


TeamDep = Annotated[Team, Depends(current_team)]


async def contract_body(request: Request) -> dict[str, Any]:
    """The request body, parsed and valid: the contract stage checked it before the handler ran."""
    body = getattr(request.state, CONTRACT_BODY, None)
    if not isinstance(body, dict):
        # Only a request the stage let through unchecked (no credentials) lacks it, and those
        # are answered 401 by the auth dependency declared before this one.
        raise ApiError(ErrorCode.internal_error, "The request body was not checked.")
    return body


ContractBodyDep = Annotated[dict[str, Any], Depends(contract_body)]
