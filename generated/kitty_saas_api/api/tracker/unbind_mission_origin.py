# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.origin_unbind_request import OriginUnbindRequest
from ...models.origin_unbind_response import OriginUnbindResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: OriginUnbindRequest,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["X-Team-Slug"] = x_team_slug

    if not isinstance(x_kitty_origin_providers, Unset):
        headers["X-Kitty-Origin-Providers"] = x_kitty_origin_providers

    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    if not isinstance(prefer, Unset):
        headers["Prefer"] = prefer

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/tracker/mission-origin/unbind/",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | OriginUnbindResponse | None:
    if response.status_code == 200:
        response_200 = OriginUnbindResponse.from_dict(response.json())

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
) -> Response[ErrorEnvelope | OriginUnbindResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: OriginUnbindRequest,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> Response[ErrorEnvelope | OriginUnbindResponse]:
    """Remove a mission's origin link

     Removes the mission's origin link in the acting team and answers what was removed. Idempotent:
    a mission without an origin answers 200 `outcome: not_bound` and removes nothing. An unbind is
    as authoritative as a bind. Who may remove a link: the member who bound it, with a linked
    identity for its provider (even when the ticket was deleted since), or any other member of the
    team who holds a linked identity for the provider and can see the ticket now through the
    mapped container. Refusals, with nothing removed: the provider no longer allowed → 422
    `unsupported_provider`; no linked identity → 403 `user_link_required`; the link's container no
    longer mapped → 404 `resource_mapping_not_found`; the ticket invisible to a member who did not
    bind it → 404 `ticket_not_found` (moved out of the container: 422 `ticket_out_of_scope`);
    tracker failures → 429/502/504. After an unbind the mission may be bound to another ticket;
    the client records `MissionOriginUnbound` in its event outbox and drops `origin_ticket` from
    `meta.json` only after this answer. The same `Idempotency-Key` with the same body replays the
    stored answer.

    Args:
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):
        idempotency_key (str | Unset):
        prefer (str | Unset):
        body (OriginUnbindRequest): Remove a mission's origin link in the acting team. Idempotent:
            unbinding a mission without an origin is a success that removes nothing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | OriginUnbindResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        x_team_slug=x_team_slug,
        x_kitty_origin_providers=x_kitty_origin_providers,
        idempotency_key=idempotency_key,
        prefer=prefer,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: OriginUnbindRequest,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> ErrorEnvelope | OriginUnbindResponse | None:
    """Remove a mission's origin link

     Removes the mission's origin link in the acting team and answers what was removed. Idempotent:
    a mission without an origin answers 200 `outcome: not_bound` and removes nothing. An unbind is
    as authoritative as a bind. Who may remove a link: the member who bound it, with a linked
    identity for its provider (even when the ticket was deleted since), or any other member of the
    team who holds a linked identity for the provider and can see the ticket now through the
    mapped container. Refusals, with nothing removed: the provider no longer allowed → 422
    `unsupported_provider`; no linked identity → 403 `user_link_required`; the link's container no
    longer mapped → 404 `resource_mapping_not_found`; the ticket invisible to a member who did not
    bind it → 404 `ticket_not_found` (moved out of the container: 422 `ticket_out_of_scope`);
    tracker failures → 429/502/504. After an unbind the mission may be bound to another ticket;
    the client records `MissionOriginUnbound` in its event outbox and drops `origin_ticket` from
    `meta.json` only after this answer. The same `Idempotency-Key` with the same body replays the
    stored answer.

    Args:
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):
        idempotency_key (str | Unset):
        prefer (str | Unset):
        body (OriginUnbindRequest): Remove a mission's origin link in the acting team. Idempotent:
            unbinding a mission without an origin is a success that removes nothing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | OriginUnbindResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        x_team_slug=x_team_slug,
        x_kitty_origin_providers=x_kitty_origin_providers,
        idempotency_key=idempotency_key,
        prefer=prefer,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: OriginUnbindRequest,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> Response[ErrorEnvelope | OriginUnbindResponse]:
    """Remove a mission's origin link

     Removes the mission's origin link in the acting team and answers what was removed. Idempotent:
    a mission without an origin answers 200 `outcome: not_bound` and removes nothing. An unbind is
    as authoritative as a bind. Who may remove a link: the member who bound it, with a linked
    identity for its provider (even when the ticket was deleted since), or any other member of the
    team who holds a linked identity for the provider and can see the ticket now through the
    mapped container. Refusals, with nothing removed: the provider no longer allowed → 422
    `unsupported_provider`; no linked identity → 403 `user_link_required`; the link's container no
    longer mapped → 404 `resource_mapping_not_found`; the ticket invisible to a member who did not
    bind it → 404 `ticket_not_found` (moved out of the container: 422 `ticket_out_of_scope`);
    tracker failures → 429/502/504. After an unbind the mission may be bound to another ticket;
    the client records `MissionOriginUnbound` in its event outbox and drops `origin_ticket` from
    `meta.json` only after this answer. The same `Idempotency-Key` with the same body replays the
    stored answer.

    Args:
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):
        idempotency_key (str | Unset):
        prefer (str | Unset):
        body (OriginUnbindRequest): Remove a mission's origin link in the acting team. Idempotent:
            unbinding a mission without an origin is a success that removes nothing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | OriginUnbindResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        x_team_slug=x_team_slug,
        x_kitty_origin_providers=x_kitty_origin_providers,
        idempotency_key=idempotency_key,
        prefer=prefer,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: OriginUnbindRequest,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> ErrorEnvelope | OriginUnbindResponse | None:
    """Remove a mission's origin link

     Removes the mission's origin link in the acting team and answers what was removed. Idempotent:
    a mission without an origin answers 200 `outcome: not_bound` and removes nothing. An unbind is
    as authoritative as a bind. Who may remove a link: the member who bound it, with a linked
    identity for its provider (even when the ticket was deleted since), or any other member of the
    team who holds a linked identity for the provider and can see the ticket now through the
    mapped container. Refusals, with nothing removed: the provider no longer allowed → 422
    `unsupported_provider`; no linked identity → 403 `user_link_required`; the link's container no
    longer mapped → 404 `resource_mapping_not_found`; the ticket invisible to a member who did not
    bind it → 404 `ticket_not_found` (moved out of the container: 422 `ticket_out_of_scope`);
    tracker failures → 429/502/504. After an unbind the mission may be bound to another ticket;
    the client records `MissionOriginUnbound` in its event outbox and drops `origin_ticket` from
    `meta.json` only after this answer. The same `Idempotency-Key` with the same body replays the
    stored answer.

    Args:
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):
        idempotency_key (str | Unset):
        prefer (str | Unset):
        body (OriginUnbindRequest): Remove a mission's origin link in the acting team. Idempotent:
            unbinding a mission without an origin is a success that removes nothing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | OriginUnbindResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_team_slug=x_team_slug,
            x_kitty_origin_providers=x_kitty_origin_providers,
            idempotency_key=idempotency_key,
            prefer=prefer,
        )
    ).parsed
