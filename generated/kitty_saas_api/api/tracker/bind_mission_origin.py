# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.operation import Operation
from ...models.origin_bind_request import OriginBindRequest
from ...models.origin_bind_response import OriginBindResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: OriginBindRequest,
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
        "url": "/api/v1/tracker/mission-origin/bind/",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | Operation | OriginBindResponse | None:
    if response.status_code == 200:
        response_200 = OriginBindResponse.from_dict(response.json())

        return response_200

    if response.status_code == 202:
        response_202 = Operation.from_dict(response.json())

        return response_202

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

    if response.status_code == 409:
        response_409 = ErrorEnvelope.from_dict(response.json())

        return response_409

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
) -> Response[ErrorEnvelope | Operation | OriginBindResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: OriginBindRequest,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> Response[ErrorEnvelope | Operation | OriginBindResponse]:
    """Bind a mission to its origin ticket

     Creates the authoritative MissionOriginLink. Before it records anything the SaaS checks the
    team's origin provider policy (422 `unsupported_provider`), the resource mapping (404
    `resource_mapping_not_found`) and the acting user's linked identity (403
    `user_link_required`), then resolves the ticket by its stable `external_issue_id` through the
    connector of the mapped container with that identity: a ticket that is missing, deleted or
    invisible to the user is a 404 `ticket_not_found`, one outside the mapped container (another
    project, team or repository, or moved there) a 422 `ticket_out_of_scope`; tracker failures
    are 429/502/504 with `effect_certainty: no_effect`. The stored link and the answer carry the
    tracker's canonical key, URL, title and status; the display fields of the request are only the
    client's view (the key may have moved). The same mission bound to the same
    `external_issue_id` again returns the existing link (`outcome: existing`, same
    `origin_link_id`) without asking the tracker; a different issue for an already bound mission is
    a 409 (unbind it first). Many missions may originate from the same project or team. The same
    `Idempotency-Key` with the same body replays the stored answer (`Idempotency-Replayed: true`);
    with a different body it is a 422. With `Prefer: respond-async` the SaaS answers 202 with an
    operation to poll; the ticket is resolved the same way before the operation completes, and a
    refusal ends it `failed` with the envelope.

    Args:
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):
        idempotency_key (str | Unset):
        prefer (str | Unset):
        body (OriginBindRequest): Create the authoritative MissionOriginLink for a mission. One
            origin per mission: the same issue again is a no-op success, a different issue is a 409.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | Operation | OriginBindResponse]
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
    body: OriginBindRequest,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> ErrorEnvelope | Operation | OriginBindResponse | None:
    """Bind a mission to its origin ticket

     Creates the authoritative MissionOriginLink. Before it records anything the SaaS checks the
    team's origin provider policy (422 `unsupported_provider`), the resource mapping (404
    `resource_mapping_not_found`) and the acting user's linked identity (403
    `user_link_required`), then resolves the ticket by its stable `external_issue_id` through the
    connector of the mapped container with that identity: a ticket that is missing, deleted or
    invisible to the user is a 404 `ticket_not_found`, one outside the mapped container (another
    project, team or repository, or moved there) a 422 `ticket_out_of_scope`; tracker failures
    are 429/502/504 with `effect_certainty: no_effect`. The stored link and the answer carry the
    tracker's canonical key, URL, title and status; the display fields of the request are only the
    client's view (the key may have moved). The same mission bound to the same
    `external_issue_id` again returns the existing link (`outcome: existing`, same
    `origin_link_id`) without asking the tracker; a different issue for an already bound mission is
    a 409 (unbind it first). Many missions may originate from the same project or team. The same
    `Idempotency-Key` with the same body replays the stored answer (`Idempotency-Replayed: true`);
    with a different body it is a 422. With `Prefer: respond-async` the SaaS answers 202 with an
    operation to poll; the ticket is resolved the same way before the operation completes, and a
    refusal ends it `failed` with the envelope.

    Args:
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):
        idempotency_key (str | Unset):
        prefer (str | Unset):
        body (OriginBindRequest): Create the authoritative MissionOriginLink for a mission. One
            origin per mission: the same issue again is a no-op success, a different issue is a 409.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | Operation | OriginBindResponse
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
    body: OriginBindRequest,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> Response[ErrorEnvelope | Operation | OriginBindResponse]:
    """Bind a mission to its origin ticket

     Creates the authoritative MissionOriginLink. Before it records anything the SaaS checks the
    team's origin provider policy (422 `unsupported_provider`), the resource mapping (404
    `resource_mapping_not_found`) and the acting user's linked identity (403
    `user_link_required`), then resolves the ticket by its stable `external_issue_id` through the
    connector of the mapped container with that identity: a ticket that is missing, deleted or
    invisible to the user is a 404 `ticket_not_found`, one outside the mapped container (another
    project, team or repository, or moved there) a 422 `ticket_out_of_scope`; tracker failures
    are 429/502/504 with `effect_certainty: no_effect`. The stored link and the answer carry the
    tracker's canonical key, URL, title and status; the display fields of the request are only the
    client's view (the key may have moved). The same mission bound to the same
    `external_issue_id` again returns the existing link (`outcome: existing`, same
    `origin_link_id`) without asking the tracker; a different issue for an already bound mission is
    a 409 (unbind it first). Many missions may originate from the same project or team. The same
    `Idempotency-Key` with the same body replays the stored answer (`Idempotency-Replayed: true`);
    with a different body it is a 422. With `Prefer: respond-async` the SaaS answers 202 with an
    operation to poll; the ticket is resolved the same way before the operation completes, and a
    refusal ends it `failed` with the envelope.

    Args:
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):
        idempotency_key (str | Unset):
        prefer (str | Unset):
        body (OriginBindRequest): Create the authoritative MissionOriginLink for a mission. One
            origin per mission: the same issue again is a no-op success, a different issue is a 409.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | Operation | OriginBindResponse]
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
    body: OriginBindRequest,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> ErrorEnvelope | Operation | OriginBindResponse | None:
    """Bind a mission to its origin ticket

     Creates the authoritative MissionOriginLink. Before it records anything the SaaS checks the
    team's origin provider policy (422 `unsupported_provider`), the resource mapping (404
    `resource_mapping_not_found`) and the acting user's linked identity (403
    `user_link_required`), then resolves the ticket by its stable `external_issue_id` through the
    connector of the mapped container with that identity: a ticket that is missing, deleted or
    invisible to the user is a 404 `ticket_not_found`, one outside the mapped container (another
    project, team or repository, or moved there) a 422 `ticket_out_of_scope`; tracker failures
    are 429/502/504 with `effect_certainty: no_effect`. The stored link and the answer carry the
    tracker's canonical key, URL, title and status; the display fields of the request are only the
    client's view (the key may have moved). The same mission bound to the same
    `external_issue_id` again returns the existing link (`outcome: existing`, same
    `origin_link_id`) without asking the tracker; a different issue for an already bound mission is
    a 409 (unbind it first). Many missions may originate from the same project or team. The same
    `Idempotency-Key` with the same body replays the stored answer (`Idempotency-Replayed: true`);
    with a different body it is a 422. With `Prefer: respond-async` the SaaS answers 202 with an
    operation to poll; the ticket is resolved the same way before the operation completes, and a
    refusal ends it `failed` with the envelope.

    Args:
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):
        idempotency_key (str | Unset):
        prefer (str | Unset):
        body (OriginBindRequest): Create the authoritative MissionOriginLink for a mission. One
            origin per mission: the same issue again is a no-op success, a different issue is a 409.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | Operation | OriginBindResponse
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
