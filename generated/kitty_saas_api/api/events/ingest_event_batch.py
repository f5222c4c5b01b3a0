# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.event_batch_request import EventBatchRequest
from ...models.event_batch_response import EventBatchResponse
from ...models.ingest_event_batch_content_encoding import (
    IngestEventBatchContentEncoding,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: EventBatchRequest,
    x_spec_kitty_sync_protocol: str | Unset = UNSET,
    content_encoding: IngestEventBatchContentEncoding | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_spec_kitty_sync_protocol, Unset):
        headers["X-Spec-Kitty-Sync-Protocol"] = x_spec_kitty_sync_protocol

    if not isinstance(content_encoding, Unset):
        headers["Content-Encoding"] = str(content_encoding)

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/events/batch/",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | EventBatchResponse | None:
    if response.status_code == 200:
        response_200 = EventBatchResponse.from_dict(response.json())

        return response_200

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
) -> Response[ErrorEnvelope | EventBatchResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: EventBatchRequest,
    x_spec_kitty_sync_protocol: str | Unset = UNSET,
    content_encoding: IngestEventBatchContentEncoding | Unset = UNSET,
) -> Response[ErrorEnvelope | EventBatchResponse]:
    """Deliver a batch of events

     Accepts plain or gzip-compressed JSON (at most 512 KiB decompressed). Each event is checked
    against `EventEnvelope` on its own and deduplicated by `event_id`; the answer has one result
    per event, in order. An origin event (`MissionOriginBound`, `MissionOriginUnbound`) whose
    provider the event's team does not allow as an origin provider is `rejected` (category
    `authorization`), as upstream refuses it: GitHub origins only in a team whose policy enables
    GitHub (C-001 holds by default).

    Args:
        x_spec_kitty_sync_protocol (str | Unset):
        content_encoding (IngestEventBatchContentEncoding | Unset):
        body (EventBatchRequest): A batch of events, sent as JSON or gzip-compressed JSON
            (`Content-Encoding: gzip`). Each item is checked on its own against EventEnvelope, so one
            bad event is rejected in `results` without failing the batch.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | EventBatchResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        x_spec_kitty_sync_protocol=x_spec_kitty_sync_protocol,
        content_encoding=content_encoding,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: EventBatchRequest,
    x_spec_kitty_sync_protocol: str | Unset = UNSET,
    content_encoding: IngestEventBatchContentEncoding | Unset = UNSET,
) -> ErrorEnvelope | EventBatchResponse | None:
    """Deliver a batch of events

     Accepts plain or gzip-compressed JSON (at most 512 KiB decompressed). Each event is checked
    against `EventEnvelope` on its own and deduplicated by `event_id`; the answer has one result
    per event, in order. An origin event (`MissionOriginBound`, `MissionOriginUnbound`) whose
    provider the event's team does not allow as an origin provider is `rejected` (category
    `authorization`), as upstream refuses it: GitHub origins only in a team whose policy enables
    GitHub (C-001 holds by default).

    Args:
        x_spec_kitty_sync_protocol (str | Unset):
        content_encoding (IngestEventBatchContentEncoding | Unset):
        body (EventBatchRequest): A batch of events, sent as JSON or gzip-compressed JSON
            (`Content-Encoding: gzip`). Each item is checked on its own against EventEnvelope, so one
            bad event is rejected in `results` without failing the batch.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | EventBatchResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        x_spec_kitty_sync_protocol=x_spec_kitty_sync_protocol,
        content_encoding=content_encoding,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: EventBatchRequest,
    x_spec_kitty_sync_protocol: str | Unset = UNSET,
    content_encoding: IngestEventBatchContentEncoding | Unset = UNSET,
) -> Response[ErrorEnvelope | EventBatchResponse]:
    """Deliver a batch of events

     Accepts plain or gzip-compressed JSON (at most 512 KiB decompressed). Each event is checked
    against `EventEnvelope` on its own and deduplicated by `event_id`; the answer has one result
    per event, in order. An origin event (`MissionOriginBound`, `MissionOriginUnbound`) whose
    provider the event's team does not allow as an origin provider is `rejected` (category
    `authorization`), as upstream refuses it: GitHub origins only in a team whose policy enables
    GitHub (C-001 holds by default).

    Args:
        x_spec_kitty_sync_protocol (str | Unset):
        content_encoding (IngestEventBatchContentEncoding | Unset):
        body (EventBatchRequest): A batch of events, sent as JSON or gzip-compressed JSON
            (`Content-Encoding: gzip`). Each item is checked on its own against EventEnvelope, so one
            bad event is rejected in `results` without failing the batch.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | EventBatchResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        x_spec_kitty_sync_protocol=x_spec_kitty_sync_protocol,
        content_encoding=content_encoding,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: EventBatchRequest,
    x_spec_kitty_sync_protocol: str | Unset = UNSET,
    content_encoding: IngestEventBatchContentEncoding | Unset = UNSET,
) -> ErrorEnvelope | EventBatchResponse | None:
    """Deliver a batch of events

     Accepts plain or gzip-compressed JSON (at most 512 KiB decompressed). Each event is checked
    against `EventEnvelope` on its own and deduplicated by `event_id`; the answer has one result
    per event, in order. An origin event (`MissionOriginBound`, `MissionOriginUnbound`) whose
    provider the event's team does not allow as an origin provider is `rejected` (category
    `authorization`), as upstream refuses it: GitHub origins only in a team whose policy enables
    GitHub (C-001 holds by default).

    Args:
        x_spec_kitty_sync_protocol (str | Unset):
        content_encoding (IngestEventBatchContentEncoding | Unset):
        body (EventBatchRequest): A batch of events, sent as JSON or gzip-compressed JSON
            (`Content-Encoding: gzip`). Each item is checked on its own against EventEnvelope, so one
            bad event is rejected in `results` without failing the batch.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | EventBatchResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_spec_kitty_sync_protocol=x_spec_kitty_sync_protocol,
            content_encoding=content_encoding,
        )
    ).parsed
