# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.origin_status_response import OriginStatusResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    mission_id: str,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["X-Team-Slug"] = x_team_slug

    if not isinstance(x_kitty_origin_providers, Unset):
        headers["X-Kitty-Origin-Providers"] = x_kitty_origin_providers

    params: dict[str, Any] = {}

    params["mission_id"] = mission_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/tracker/mission-origin/status/",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | OriginStatusResponse | None:
    if response.status_code == 200:
        response_200 = OriginStatusResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorEnvelope.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = ErrorEnvelope.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorEnvelope.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorEnvelope.from_dict(response.json())

        return response_500

    if response.status_code == 502:
        response_502 = ErrorEnvelope.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = ErrorEnvelope.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = ErrorEnvelope.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | OriginStatusResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    mission_id: str,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
) -> Response[ErrorEnvelope | OriginStatusResponse]:
    """Read the status of a mission's origin ticket

     Asks the tracker, with the acting user's linked identity, for the current status of the
    mission's origin ticket (by its stable id), and answers it with the work package lane it
    suggests and the status categories the SaaS can write to this tracker. The same refusals as
    `refreshMissionOrigin`; nothing is stored.

    Args:
        mission_id (str): A ULID: 48-bit millisecond time and 80 random bits in upper-case
            Crockford base32 (26 characters).
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | OriginStatusResponse]
    """

    kwargs = _get_kwargs(
        mission_id=mission_id,
        x_team_slug=x_team_slug,
        x_kitty_origin_providers=x_kitty_origin_providers,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    mission_id: str,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
) -> ErrorEnvelope | OriginStatusResponse | None:
    """Read the status of a mission's origin ticket

     Asks the tracker, with the acting user's linked identity, for the current status of the
    mission's origin ticket (by its stable id), and answers it with the work package lane it
    suggests and the status categories the SaaS can write to this tracker. The same refusals as
    `refreshMissionOrigin`; nothing is stored.

    Args:
        mission_id (str): A ULID: 48-bit millisecond time and 80 random bits in upper-case
            Crockford base32 (26 characters).
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | OriginStatusResponse
    """

    return sync_detailed(
        client=client,
        mission_id=mission_id,
        x_team_slug=x_team_slug,
        x_kitty_origin_providers=x_kitty_origin_providers,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    mission_id: str,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
) -> Response[ErrorEnvelope | OriginStatusResponse]:
    """Read the status of a mission's origin ticket

     Asks the tracker, with the acting user's linked identity, for the current status of the
    mission's origin ticket (by its stable id), and answers it with the work package lane it
    suggests and the status categories the SaaS can write to this tracker. The same refusals as
    `refreshMissionOrigin`; nothing is stored.

    Args:
        mission_id (str): A ULID: 48-bit millisecond time and 80 random bits in upper-case
            Crockford base32 (26 characters).
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | OriginStatusResponse]
    """

    kwargs = _get_kwargs(
        mission_id=mission_id,
        x_team_slug=x_team_slug,
        x_kitty_origin_providers=x_kitty_origin_providers,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    mission_id: str,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
) -> ErrorEnvelope | OriginStatusResponse | None:
    """Read the status of a mission's origin ticket

     Asks the tracker, with the acting user's linked identity, for the current status of the
    mission's origin ticket (by its stable id), and answers it with the work package lane it
    suggests and the status categories the SaaS can write to this tracker. The same refusals as
    `refreshMissionOrigin`; nothing is stored.

    Args:
        mission_id (str): A ULID: 48-bit millisecond time and 80 random bits in upper-case
            Crockford base32 (26 characters).
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | OriginStatusResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            mission_id=mission_id,
            x_team_slug=x_team_slug,
            x_kitty_origin_providers=x_kitty_origin_providers,
        )
    ).parsed
