"""Auth operations of the contract: who am I, and the OAuth 2.0 refresh grant."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from kitty_contracts import CurrentUser, ErrorCode, TokenRefreshRequest, TokenResponse

from kitty_mock_saas.api.deps import ContractBodyDep, RuntimeDep, UserDep
from kitty_mock_saas.errors import ApiError
from kitty_mock_saas.state import directory

router = APIRouter()
ACCESS_TOKEN_SECONDS = 3600


@router.get("/api/v1/me", operation_id="getCurrentUser")
async def get_current_user(runtime: RuntimeDep, user: UserDep) -> JSONResponse:
    """The acting user and every team they belong to (private teamspaces included)."""
    teams = directory.teams_of(runtime.db, user.id)
    body = CurrentUser.model_validate(
        {
            "user_id": user.id,
            "email": user.email,
            "name": user.name,
            "teams": [
                {
                    "id": t.id,
                    "name": t.name,
                    "role": "owner" if t.is_private else "member",
                    "is_private_teamspace": t.is_private,
                    "slug": t.slug,
                }
                for t in teams
            ],
        }
    )
    return JSONResponse(body.model_dump(mode="json"))


@router.post("/oauth/token", operation_id="refreshAccessToken")
async def refresh_access_token(runtime: RuntimeDep, form: ContractBodyDep) -> JSONResponse:
    """A new access token for a known refresh token; RFC 6749 `invalid_grant` otherwise."""
    grant = TokenRefreshRequest.model_validate(form)
    access_token = directory.access_token_for_refresh(runtime.db, grant.refresh_token)
    if access_token is None:
        raise ApiError(
            ErrorCode.refresh_token_invalid,
            "The refresh token is unknown or expired. Log in again with `spec-kitty auth login`.",
            oauth_error="invalid_grant",
        )
    body = TokenResponse.model_validate(
        {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": ACCESS_TOKEN_SECONDS,
            "refresh_token": grant.refresh_token,
        }
    )
    return JSONResponse(body.model_dump(mode="json"), headers={"Cache-Control": "no-store"})
