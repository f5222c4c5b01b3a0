# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.issue_search_request import IssueSearchRequest
from ...models.issue_search_response import IssueSearchResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: IssueSearchRequest,
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
        "url": "/api/v1/tracker/issue-search/",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | IssueSearchResponse | None:
    if response.status_code == 200:
        response_200 = IssueSearchResponse.from_dict(response.json())

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
) -> Response[ErrorEnvelope | IssueSearchResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: IssueSearchRequest,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> Response[ErrorEnvelope | IssueSearchResponse]:
    """Search the tracker container mapped to a project

     Resolves `(provider, project_slug | binding_ref)` to the team's resource mapping and searches
    it with the acting user's linked identity. `query_key` wins over `query_text` and yields at
    most one `exact` candidate; free text yields relevance-ranked `text` candidates. A key from
    another project or team is not found. A provider the team's origin policy does not allow is a
    422 `unsupported_provider`.

    Args:
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):
        prefer (str | Unset):
        body (IssueSearchRequest): Search the tracker container mapped to a project. Exactly one
            routing key is needed (`project_slug` or `binding_ref`) and at least one query
            (`query_key` or `query_text`); when both queries are sent the key wins.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | IssueSearchResponse]
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
    body: IssueSearchRequest,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> ErrorEnvelope | IssueSearchResponse | None:
    """Search the tracker container mapped to a project

     Resolves `(provider, project_slug | binding_ref)` to the team's resource mapping and searches
    it with the acting user's linked identity. `query_key` wins over `query_text` and yields at
    most one `exact` candidate; free text yields relevance-ranked `text` candidates. A key from
    another project or team is not found. A provider the team's origin policy does not allow is a
    422 `unsupported_provider`.

    Args:
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):
        prefer (str | Unset):
        body (IssueSearchRequest): Search the tracker container mapped to a project. Exactly one
            routing key is needed (`project_slug` or `binding_ref`) and at least one query
            (`query_key` or `query_text`); when both queries are sent the key wins.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | IssueSearchResponse
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
    body: IssueSearchRequest,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> Response[ErrorEnvelope | IssueSearchResponse]:
    """Search the tracker container mapped to a project

     Resolves `(provider, project_slug | binding_ref)` to the team's resource mapping and searches
    it with the acting user's linked identity. `query_key` wins over `query_text` and yields at
    most one `exact` candidate; free text yields relevance-ranked `text` candidates. A key from
    another project or team is not found. A provider the team's origin policy does not allow is a
    422 `unsupported_provider`.

    Args:
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):
        prefer (str | Unset):
        body (IssueSearchRequest): Search the tracker container mapped to a project. Exactly one
            routing key is needed (`project_slug` or `binding_ref`) and at least one query
            (`query_key` or `query_text`); when both queries are sent the key wins.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | IssueSearchResponse]
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
    body: IssueSearchRequest,
    x_team_slug: str,
    x_kitty_origin_providers: str | Unset = UNSET,
    prefer: str | Unset = UNSET,
) -> ErrorEnvelope | IssueSearchResponse | None:
    """Search the tracker container mapped to a project

     Resolves `(provider, project_slug | binding_ref)` to the team's resource mapping and searches
    it with the acting user's linked identity. `query_key` wins over `query_text` and yields at
    most one `exact` candidate; free text yields relevance-ranked `text` candidates. A key from
    another project or team is not found. A provider the team's origin policy does not allow is a
    422 `unsupported_provider`.

    Args:
        x_team_slug (str):
        x_kitty_origin_providers (str | Unset):
        prefer (str | Unset):
        body (IssueSearchRequest): Search the tracker container mapped to a project. Exactly one
            routing key is needed (`project_slug` or `binding_ref`) and at least one query
            (`query_key` or `query_text`); when both queries are sent the key wins.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | IssueSearchResponse
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
