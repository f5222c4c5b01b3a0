# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.origin_refresh_request import OriginRefreshRequest
from ...models.origin_refresh_response import OriginRefreshResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: OriginRefreshRequest,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["X-Team-Slug"] = x_team_slug

    if not isinstance(x_kitty_origin_providers, Unset):
        headers["X-Kitty-Origin-Providers"] = x_kitty_origin_providers

    if not isinstance(prefer, Unset):
        headers["Prefer"] = prefer

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/tracker/mission-origin/refresh/",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | OriginRefreshResponse | None:
    if response.status_code == 200:
        response_200 = OriginRefreshResponse.from_dict(response.json())

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
) -> Response[ErrorEnvelope | OriginRefreshResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: OriginRefreshRequest,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> Response[ErrorEnvelope | OriginRefreshResponse]:
    """Refresh a mission's origin link from the tracker

     Fetches the mission's origin ticket again by its stable `external_issue_id`, through the
    connector of the mapped container with the acting user's linked identity, and stores its
    current key, URL, title and status (keys move, titles and statuses change); `changed` names
    what differed. The same refusals as a bind: no link → 404 `origin_not_found`, the provider
    no longer allowed → 422 `unsupported_provider`, no linked
    identity → 403 `user_link_required`, a ticket deleted or no longer visible → 404
    `ticket_not_found`, moved out of the mapped container → 422 `ticket_out_of_scope`, tracker
    failures → 429/502/504; in each case the stored link is unchanged.

    Args:
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):
        prefer (str | Unset):
        body (OriginRefreshRequest): Refresh a mission's origin link from the tracker: the SaaS
            fetches the ticket again by its stable id (keys move, titles and statuses change) with the
            acting user's linked identity.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | OriginRefreshResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        x_team_slug=x_team_slug,
        x_kitty_origin_providers=x_kitty_origin_providers,
        prefer=prefer,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: OriginRefreshRequest,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> ErrorEnvelope | OriginRefreshResponse | None:
    """Refresh a mission's origin link from the tracker

     Fetches the mission's origin ticket again by its stable `external_issue_id`, through the
    connector of the mapped container with the acting user's linked identity, and stores its
    current key, URL, title and status (keys move, titles and statuses change); `changed` names
    what differed. The same refusals as a bind: no link → 404 `origin_not_found`, the provider
    no longer allowed → 422 `unsupported_provider`, no linked
    identity → 403 `user_link_required`, a ticket deleted or no longer visible → 404
    `ticket_not_found`, moved out of the mapped container → 422 `ticket_out_of_scope`, tracker
    failures → 429/502/504; in each case the stored link is unchanged.

    Args:
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):
        prefer (str | Unset):
        body (OriginRefreshRequest): Refresh a mission's origin link from the tracker: the SaaS
            fetches the ticket again by its stable id (keys move, titles and statuses change) with the
            acting user's linked identity.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | OriginRefreshResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        x_team_slug=x_team_slug,
        x_kitty_origin_providers=x_kitty_origin_providers,
        prefer=prefer,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: OriginRefreshRequest,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> Response[ErrorEnvelope | OriginRefreshResponse]:
    """Refresh a mission's origin link from the tracker

     Fetches the mission's origin ticket again by its stable `external_issue_id`, through the
    connector of the mapped container with the acting user's linked identity, and stores its
    current key, URL, title and status (keys move, titles and statuses change); `changed` names
    what differed. The same refusals as a bind: no link → 404 `origin_not_found`, the provider
    no longer allowed → 422 `unsupported_provider`, no linked
    identity → 403 `user_link_required`, a ticket deleted or no longer visible → 404
    `ticket_not_found`, moved out of the mapped container → 422 `ticket_out_of_scope`, tracker
    failures → 429/502/504; in each case the stored link is unchanged.

    Args:
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):
        prefer (str | Unset):
        body (OriginRefreshRequest): Refresh a mission's origin link from the tracker: the SaaS
            fetches the ticket again by its stable id (keys move, titles and statuses change) with the
            acting user's linked identity.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | OriginRefreshResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        x_team_slug=x_team_slug,
        x_kitty_origin_providers=x_kitty_origin_providers,
        prefer=prefer,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: OriginRefreshRequest,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> ErrorEnvelope | OriginRefreshResponse | None:
    """Refresh a mission's origin link from the tracker

     Fetches the mission's origin ticket again by its stable `external_issue_id`, through the
    connector of the mapped container with the acting user's linked identity, and stores its
    current key, URL, title and status (keys move, titles and statuses change); `changed` names
    what differed. The same refusals as a bind: no link → 404 `origin_not_found`, the provider
    no longer allowed → 422 `unsupported_provider`, no linked
    identity → 403 `user_link_required`, a ticket deleted or no longer visible → 404
    `ticket_not_found`, moved out of the mapped container → 422 `ticket_out_of_scope`, tracker
    failures → 429/502/504; in each case the stored link is unchanged.

    Args:
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):
        prefer (str | Unset):
        body (OriginRefreshRequest): Refresh a mission's origin link from the tracker: the SaaS
            fetches the ticket again by its stable id (keys move, titles and statuses change) with the
            acting user's linked identity.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | OriginRefreshResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_team_slug=x_team_slug,
            x_kitty_origin_providers=x_kitty_origin_providers,
            prefer=prefer,
        )
    ).parsed
