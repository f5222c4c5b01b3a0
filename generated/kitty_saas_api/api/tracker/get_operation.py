# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.operation import Operation
from ...types import UNSET, Response, Unset


def _get_kwargs(
    operation_id: str,
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
        "url": "/api/v1/tracker/operations/{operation_id}/".format(
            operation_id=quote(str(operation_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | Operation | None:
    if response.status_code == 200:
        response_200 = Operation.from_dict(response.json())

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

    if response.status_code == 503:
        response_503 = ErrorEnvelope.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | Operation]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    operation_id: str,
    *,
    client: AuthenticatedClient | Client,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
) -> Response[ErrorEnvelope | Operation]:
    """Poll an asynchronous operation

    Args:
        operation_id (str):
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | Operation]
    """

    kwargs = _get_kwargs(
        operation_id=operation_id,
        x_team_slug=x_team_slug,
        x_kitty_origin_providers=x_kitty_origin_providers,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    operation_id: str,
    *,
    client: AuthenticatedClient | Client,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
) -> ErrorEnvelope | Operation | None:
    """Poll an asynchronous operation

    Args:
        operation_id (str):
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | Operation
    """

    return sync_detailed(
        operation_id=operation_id,
        client=client,
        x_team_slug=x_team_slug,
        x_kitty_origin_providers=x_kitty_origin_providers,
    ).parsed


async def asyncio_detailed(
    operation_id: str,
    *,
    client: AuthenticatedClient | Client,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
) -> Response[ErrorEnvelope | Operation]:
    """Poll an asynchronous operation

    Args:
        operation_id (str):
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | Operation]
    """

    kwargs = _get_kwargs(
        operation_id=operation_id,
        x_team_slug=x_team_slug,
        x_kitty_origin_providers=x_kitty_origin_providers,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    operation_id: str,
    *,
    client: AuthenticatedClient | Client,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
) -> ErrorEnvelope | Operation | None:
    """Poll an asynchronous operation

    Args:
        operation_id (str):
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | Operation
    """

    return (
        await asyncio_detailed(
            operation_id=operation_id,
            client=client,
            x_team_slug=x_team_slug,
            x_kitty_origin_providers=x_kitty_origin_providers,
        )
    ).parsed
