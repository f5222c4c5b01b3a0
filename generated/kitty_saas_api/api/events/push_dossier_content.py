# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.dossier_push_request import DossierPushRequest
from ...models.dossier_push_response import DossierPushResponse
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: DossierPushRequest,
    x_spec_kitty_sync_protocol: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_spec_kitty_sync_protocol, Unset):
        headers["X-Spec-Kitty-Sync-Protocol"] = x_spec_kitty_sync_protocol

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/dossier/push-content/",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DossierPushResponse | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = DossierPushResponse.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = DossierPushResponse.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 412:
        response_412 = ErrorEnvelope.from_dict(response.json())

        return response_412

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
) -> Response[DossierPushResponse | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: DossierPushRequest,
    x_spec_kitty_sync_protocol: str | Unset = UNSET,
) -> Response[DossierPushResponse | ErrorEnvelope]:
    """Store one mission artifact body

     Stores an artifact by `(project_uuid, mission_slug, artifact_path, content_hash)`; the same content
    again is `already_exists`. The body may be up to 8 MiB.

    Args:
        x_spec_kitty_sync_protocol (str | Unset):
        body (DossierPushRequest): One mission artifact body pushed by `spec-kitty sync now`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DossierPushResponse | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
        x_spec_kitty_sync_protocol=x_spec_kitty_sync_protocol,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: DossierPushRequest,
    x_spec_kitty_sync_protocol: str | Unset = UNSET,
) -> DossierPushResponse | ErrorEnvelope | None:
    """Store one mission artifact body

     Stores an artifact by `(project_uuid, mission_slug, artifact_path, content_hash)`; the same content
    again is `already_exists`. The body may be up to 8 MiB.

    Args:
        x_spec_kitty_sync_protocol (str | Unset):
        body (DossierPushRequest): One mission artifact body pushed by `spec-kitty sync now`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DossierPushResponse | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
        x_spec_kitty_sync_protocol=x_spec_kitty_sync_protocol,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: DossierPushRequest,
    x_spec_kitty_sync_protocol: str | Unset = UNSET,
) -> Response[DossierPushResponse | ErrorEnvelope]:
    """Store one mission artifact body

     Stores an artifact by `(project_uuid, mission_slug, artifact_path, content_hash)`; the same content
    again is `already_exists`. The body may be up to 8 MiB.

    Args:
        x_spec_kitty_sync_protocol (str | Unset):
        body (DossierPushRequest): One mission artifact body pushed by `spec-kitty sync now`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DossierPushResponse | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
        x_spec_kitty_sync_protocol=x_spec_kitty_sync_protocol,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: DossierPushRequest,
    x_spec_kitty_sync_protocol: str | Unset = UNSET,
) -> DossierPushResponse | ErrorEnvelope | None:
    """Store one mission artifact body

     Stores an artifact by `(project_uuid, mission_slug, artifact_path, content_hash)`; the same content
    again is `already_exists`. The body may be up to 8 MiB.

    Args:
        x_spec_kitty_sync_protocol (str | Unset):
        body (DossierPushRequest): One mission artifact body pushed by `spec-kitty sync now`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DossierPushResponse | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_spec_kitty_sync_protocol=x_spec_kitty_sync_protocol,
        )
    ).parsed
