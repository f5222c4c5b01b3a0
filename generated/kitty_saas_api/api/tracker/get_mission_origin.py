# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.origin_link import OriginLink
from ...types import UNSET, Response, Unset


def _get_kwargs(
    mission_id: str,
    *,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["X-Team-Slug"] = x_team_slug

    if not isinstance(x_kitty_origin_providers, Unset):
        headers["X-Kitty-Origin-Providers"] = x_kitty_origin_providers

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/tracker/missions/{mission_id}/origin/".format(
            mission_id=quote(str(mission_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | OriginLink | None:
    if response.status_code == 200:
        response_200 = OriginLink.from_dict(response.json())

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
) -> Response[ErrorEnvelope | OriginLink]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    mission_id: str,
    *,
    client: AuthenticatedClient | Client,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
) -> Response[ErrorEnvelope | OriginLink]:
    """Read a mission's origin link

     The mission's stored origin link in the acting team (404 `origin_not_found` when it has
    none), after the access step every origin operation takes: the provider allowed (422
    `unsupported_provider`), the container mapped (404 `resource_mapping_not_found`), a linked
    identity (403 `user_link_required`) that can see the ticket now (404 `ticket_not_found`, 422
    `ticket_out_of_scope`); tracker failures are 429/502/504. Nothing is stored.

    Args:
        mission_id (str): A ULID: 48-bit millisecond time and 80 random bits in upper-case
            Crockford base32 (26 characters).
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | OriginLink]
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
    mission_id: str,
    *,
    client: AuthenticatedClient | Client,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
) -> ErrorEnvelope | OriginLink | None:
    """Read a mission's origin link

     The mission's stored origin link in the acting team (404 `origin_not_found` when it has
    none), after the access step every origin operation takes: the provider allowed (422
    `unsupported_provider`), the container mapped (404 `resource_mapping_not_found`), a linked
    identity (403 `user_link_required`) that can see the ticket now (404 `ticket_not_found`, 422
    `ticket_out_of_scope`); tracker failures are 429/502/504. Nothing is stored.

    Args:
        mission_id (str): A ULID: 48-bit millisecond time and 80 random bits in upper-case
            Crockford base32 (26 characters).
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | OriginLink
    """

    return sync_detailed(
        mission_id=mission_id,
        client=client,
        x_team_slug=x_team_slug,
        x_kitty_origin_providers=x_kitty_origin_providers,
    ).parsed


async def asyncio_detailed(
    mission_id: str,
    *,
    client: AuthenticatedClient | Client,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
) -> Response[ErrorEnvelope | OriginLink]:
    """Read a mission's origin link

     The mission's stored origin link in the acting team (404 `origin_not_found` when it has
    none), after the access step every origin operation takes: the provider allowed (422
    `unsupported_provider`), the container mapped (404 `resource_mapping_not_found`), a linked
    identity (403 `user_link_required`) that can see the ticket now (404 `ticket_not_found`, 422
    `ticket_out_of_scope`); tracker failures are 429/502/504. Nothing is stored.

    Args:
        mission_id (str): A ULID: 48-bit millisecond time and 80 random bits in upper-case
            Crockford base32 (26 characters).
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | OriginLink]
    """

    kwargs = _get_kwargs(
        mission_id=mission_id,
        x_team_slug=x_team_slug,
        x_kitty_origin_providers=x_kitty_origin_providers,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    mission_id: str,
    *,
    client: AuthenticatedClient | Client,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
) -> ErrorEnvelope | OriginLink | None:
    """Read a mission's origin link

     The mission's stored origin link in the acting team (404 `origin_not_found` when it has
    none), after the access step every origin operation takes: the provider allowed (422
    `unsupported_provider`), the container mapped (404 `resource_mapping_not_found`), a linked
    identity (403 `user_link_required`) that can see the ticket now (404 `ticket_not_found`, 422
    `ticket_out_of_scope`); tracker failures are 429/502/504. Nothing is stored.

    Args:
        mission_id (str): A ULID: 48-bit millisecond time and 80 random bits in upper-case
            Crockford base32 (26 characters).
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | OriginLink
    """

    return (
        await asyncio_detailed(
            mission_id=mission_id,
            client=client,
            x_team_slug=x_team_slug,
            x_kitty_origin_providers=x_kitty_origin_providers,
        )
    ).parsed
