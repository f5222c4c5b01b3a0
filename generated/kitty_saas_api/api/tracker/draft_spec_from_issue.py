# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.spec_draft_request import SpecDraftRequest
from ...models.spec_draft_response import SpecDraftResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: SpecDraftRequest,
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
        "url": "/api/v1/tracker/spec-draft/",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | SpecDraftResponse | None:
    if response.status_code == 200:
        response_200 = SpecDraftResponse.from_dict(response.json())

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
) -> Response[ErrorEnvelope | SpecDraftResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SpecDraftRequest,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> Response[ErrorEnvelope | SpecDraftResponse]:
    """Render a mission's first spec.md from a ticket

     Fetches the ticket by its stable `external_issue_id` through the connector of the container
    mapped to the project, with the acting user's linked identity, and renders the first
    `spec.md` of a mission with the connector's one spec template (`create_spec_from_issue`).
    Nothing is stored. The same refusals as a bind, in the same order: the team's origin policy
    (422 `unsupported_provider`), the mapping (404 `resource_mapping_not_found`), the linked
    identity (403 `user_link_required`), then the tracker (404 `ticket_not_found`, 422
    `ticket_out_of_scope`, 429/502/504).

    Args:
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):
        prefer (str | Unset):
        body (SpecDraftRequest): Render the first `spec.md` of a mission from a ticket of the
            container mapped to a project. The SaaS fetches the ticket itself, by its stable id, with
            the acting user's linked identity, and renders it with the connector's one spec template.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | SpecDraftResponse]
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
    body: SpecDraftRequest,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> ErrorEnvelope | SpecDraftResponse | None:
    """Render a mission's first spec.md from a ticket

     Fetches the ticket by its stable `external_issue_id` through the connector of the container
    mapped to the project, with the acting user's linked identity, and renders the first
    `spec.md` of a mission with the connector's one spec template (`create_spec_from_issue`).
    Nothing is stored. The same refusals as a bind, in the same order: the team's origin policy
    (422 `unsupported_provider`), the mapping (404 `resource_mapping_not_found`), the linked
    identity (403 `user_link_required`), then the tracker (404 `ticket_not_found`, 422
    `ticket_out_of_scope`, 429/502/504).

    Args:
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):
        prefer (str | Unset):
        body (SpecDraftRequest): Render the first `spec.md` of a mission from a ticket of the
            container mapped to a project. The SaaS fetches the ticket itself, by its stable id, with
            the acting user's linked identity, and renders it with the connector's one spec template.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | SpecDraftResponse
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
    body: SpecDraftRequest,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> Response[ErrorEnvelope | SpecDraftResponse]:
    """Render a mission's first spec.md from a ticket

     Fetches the ticket by its stable `external_issue_id` through the connector of the container
    mapped to the project, with the acting user's linked identity, and renders the first
    `spec.md` of a mission with the connector's one spec template (`create_spec_from_issue`).
    Nothing is stored. The same refusals as a bind, in the same order: the team's origin policy
    (422 `unsupported_provider`), the mapping (404 `resource_mapping_not_found`), the linked
    identity (403 `user_link_required`), then the tracker (404 `ticket_not_found`, 422
    `ticket_out_of_scope`, 429/502/504).

    Args:
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):
        prefer (str | Unset):
        body (SpecDraftRequest): Render the first `spec.md` of a mission from a ticket of the
            container mapped to a project. The SaaS fetches the ticket itself, by its stable id, with
            the acting user's linked identity, and renders it with the connector's one spec template.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | SpecDraftResponse]
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
    body: SpecDraftRequest,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> ErrorEnvelope | SpecDraftResponse | None:
    """Render a mission's first spec.md from a ticket

     Fetches the ticket by its stable `external_issue_id` through the connector of the container
    mapped to the project, with the acting user's linked identity, and renders the first
    `spec.md` of a mission with the connector's one spec template (`create_spec_from_issue`).
    Nothing is stored. The same refusals as a bind, in the same order: the team's origin policy
    (422 `unsupported_provider`), the mapping (404 `resource_mapping_not_found`), the linked
    identity (403 `user_link_required`), then the tracker (404 `ticket_not_found`, 422
    `ticket_out_of_scope`, 429/502/504).

    Args:
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):
        prefer (str | Unset):
        body (SpecDraftRequest): Render the first `spec.md` of a mission from a ticket of the
            container mapped to a project. The SaaS fetches the ticket itself, by its stable id, with
            the acting user's linked identity, and renders it with the connector's one spec template.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | SpecDraftResponse
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
