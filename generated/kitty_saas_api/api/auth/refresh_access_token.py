# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.token_refresh_request import TokenRefreshRequest
from ...models.token_response import TokenResponse
from ...types import Response


def _get_kwargs(
    *,
    body: TokenRefreshRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/oauth/token",
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | TokenResponse | None:
    if response.status_code == 200:
        response_200 = TokenResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())

        return response_400

    if response.status_code == 413:
        response_413 = ErrorEnvelope.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = ErrorEnvelope.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorEnvelope.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorEnvelope.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = ErrorEnvelope.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | TokenResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TokenRefreshRequest,
) -> Response[ErrorEnvelope | TokenResponse]:
    """Exchange a refresh token for a new access token

     The OAuth 2.0 refresh grant. Errors carry the envelope plus the RFC 6749 `error` code
    (`invalid_grant` for an unknown or expired refresh token: log in again).

    Args:
        body (TokenRefreshRequest): OAuth 2.0 refresh grant (RFC 6749 §6), form-encoded, as `spec-
            kitty` sends it when an access token is rejected.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TokenResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: TokenRefreshRequest,
) -> ErrorEnvelope | TokenResponse | None:
    """Exchange a refresh token for a new access token

     The OAuth 2.0 refresh grant. Errors carry the envelope plus the RFC 6749 `error` code
    (`invalid_grant` for an unknown or expired refresh token: log in again).

    Args:
        body (TokenRefreshRequest): OAuth 2.0 refresh grant (RFC 6749 §6), form-encoded, as `spec-
            kitty` sends it when an access token is rejected.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TokenResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TokenRefreshRequest,
) -> Response[ErrorEnvelope | TokenResponse]:
    """Exchange a refresh token for a new access token

     The OAuth 2.0 refresh grant. Errors carry the envelope plus the RFC 6749 `error` code
    (`invalid_grant` for an unknown or expired refresh token: log in again).

    Args:
        body (TokenRefreshRequest): OAuth 2.0 refresh grant (RFC 6749 §6), form-encoded, as `spec-
            kitty` sends it when an access token is rejected.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TokenResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: TokenRefreshRequest,
) -> ErrorEnvelope | TokenResponse | None:
    """Exchange a refresh token for a new access token

     The OAuth 2.0 refresh grant. Errors carry the envelope plus the RFC 6749 `error` code
    (`invalid_grant` for an unknown or expired refresh token: log in again).

    Args:
        body (TokenRefreshRequest): OAuth 2.0 refresh grant (RFC 6749 §6), form-encoded, as `spec-
            kitty` sends it when an access token is rejected.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TokenResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
