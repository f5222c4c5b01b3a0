# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.provider import Provider
from ...models.ticket_missions_response import TicketMissionsResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    provider: Provider,
    external_issue_id: str,
    limit: int | Unset = 50,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["X-Team-Slug"] = x_team_slug

    if not isinstance(x_kitty_origin_providers, Unset):
        headers["X-Kitty-Origin-Providers"] = x_kitty_origin_providers

    params: dict[str, Any] = {}

    json_provider: str = provider
    params["provider"] = json_provider

    params["external_issue_id"] = external_issue_id

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/tracker/mission-origin/by-ticket/",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | TicketMissionsResponse | None:
    if response.status_code == 200:
        response_200 = TicketMissionsResponse.from_dict(response.json())

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
) -> Response[ErrorEnvelope | TicketMissionsResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    provider: Provider,
    external_issue_id: str,
    limit: int | Unset = 50,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
) -> Response[ErrorEnvelope | TicketMissionsResponse]:
    """List the missions that originate from a ticket

     The acting team's missions bound to the ticket with this stable `external_issue_id`, newest
    bind first (at most `limit`). An unknown ticket simply has none. The provider must be allowed
    (422 `unsupported_provider`) and the user hold a linked identity for it (403
    `user_link_required`); when the ticket has missions, the tracker is asked whether that
    identity can see it, and a ticket the user cannot see lists none.

    Args:
        provider (Provider): A task tracker the SaaS mediates. Jira and Linear are the v1 origin
            providers; GitHub Issues is a connector of equal rank that clients enable explicitly.
        external_issue_id (str):
        limit (int | Unset):  Default: 50.
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TicketMissionsResponse]
    """

    kwargs = _get_kwargs(
        provider=provider,
        external_issue_id=external_issue_id,
        limit=limit,
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
    provider: Provider,
    external_issue_id: str,
    limit: int | Unset = 50,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
) -> ErrorEnvelope | TicketMissionsResponse | None:
    """List the missions that originate from a ticket

     The acting team's missions bound to the ticket with this stable `external_issue_id`, newest
    bind first (at most `limit`). An unknown ticket simply has none. The provider must be allowed
    (422 `unsupported_provider`) and the user hold a linked identity for it (403
    `user_link_required`); when the ticket has missions, the tracker is asked whether that
    identity can see it, and a ticket the user cannot see lists none.

    Args:
        provider (Provider): A task tracker the SaaS mediates. Jira and Linear are the v1 origin
            providers; GitHub Issues is a connector of equal rank that clients enable explicitly.
        external_issue_id (str):
        limit (int | Unset):  Default: 50.
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TicketMissionsResponse
    """

    return sync_detailed(
        client=client,
        provider=provider,
        external_issue_id=external_issue_id,
        limit=limit,
        x_team_slug=x_team_slug,
        x_kitty_origin_providers=x_kitty_origin_providers,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    provider: Provider,
    external_issue_id: str,
    limit: int | Unset = 50,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
) -> Response[ErrorEnvelope | TicketMissionsResponse]:
    """List the missions that originate from a ticket

     The acting team's missions bound to the ticket with this stable `external_issue_id`, newest
    bind first (at most `limit`). An unknown ticket simply has none. The provider must be allowed
    (422 `unsupported_provider`) and the user hold a linked identity for it (403
    `user_link_required`); when the ticket has missions, the tracker is asked whether that
    identity can see it, and a ticket the user cannot see lists none.

    Args:
        provider (Provider): A task tracker the SaaS mediates. Jira and Linear are the v1 origin
            providers; GitHub Issues is a connector of equal rank that clients enable explicitly.
        external_issue_id (str):
        limit (int | Unset):  Default: 50.
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TicketMissionsResponse]
    """

    kwargs = _get_kwargs(
        provider=provider,
        external_issue_id=external_issue_id,
        limit=limit,
        x_team_slug=x_team_slug,
        x_kitty_origin_providers=x_kitty_origin_providers,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    provider: Provider,
    external_issue_id: str,
    limit: int | Unset = 50,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
) -> ErrorEnvelope | TicketMissionsResponse | None:
    """List the missions that originate from a ticket

     The acting team's missions bound to the ticket with this stable `external_issue_id`, newest
    bind first (at most `limit`). An unknown ticket simply has none. The provider must be allowed
    (422 `unsupported_provider`) and the user hold a linked identity for it (403
    `user_link_required`); when the ticket has missions, the tracker is asked whether that
    identity can see it, and a ticket the user cannot see lists none.

    Args:
        provider (Provider): A task tracker the SaaS mediates. Jira and Linear are the v1 origin
            providers; GitHub Issues is a connector of equal rank that clients enable explicitly.
        external_issue_id (str):
        limit (int | Unset):  Default: 50.
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TicketMissionsResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            provider=provider,
            external_issue_id=external_issue_id,
            limit=limit,
            x_team_slug=x_team_slug,
            x_kitty_origin_providers=x_kitty_origin_providers,
        )
    ).parsed
