"""The mock as a whole: it serves the contract, and its route table is the contract's."""

from __future__ import annotations

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from kitty_contracts.validation import admin_document, openapi_document
from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings
from starlette.routing import BaseRoute


def _contract_operations(document: dict[str, object]) -> set[tuple[str, str, str]]:
    paths = document["paths"]
    assert isinstance(paths, dict)
    return {
        (method.upper(), path, operation["operationId"])
        for path, item in paths.items()
        for method, operation in item.items()
        if method != "parameters"  # path-level parameters, not an operation
    }


def api_routes(routes: list[BaseRoute]) -> list[APIRoute]:
    """Every APIRoute, looking into included routers (FastAPI keeps them nested)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found.extend(api_routes(route.original_router.routes))
    return found


def _route_operations(prefixes: tuple[str, ...]) -> set[tuple[str, str, str]]:
    app = create_app(MockSettings())
    return {
        (method, route.path, str(route.operation_id))
        for route in api_routes(app.routes)
        if route.path.startswith(prefixes)
        for method in route.methods or ()
    }


def test_route_table_equals_the_contract_operations() -> None:
    assert _route_operations(("/api/", "/oauth/")) == _contract_operations(openapi_document())


def test_admin_route_table_equals_the_admin_contract() -> None:
    assert _route_operations(("/__admin/",)) == _contract_operations(admin_document())


def test_no_route_outside_the_contracts_and_pages() -> None:
    routes = api_routes(create_app(MockSettings()).routes)
    assert len(routes) >= 5
    for route in routes:
        assert route.path.startswith(("/api/", "/oauth/", "/__admin/")), route.path


def test_serves_the_bundled_contract_verbatim(mock: TestClient) -> None:
    response = mock.get("/openapi.json")
    assert response.status_code == 200
    assert response.json() == openapi_document()


def test_unknown_path_answers_the_envelope(mock: TestClient) -> None:
    response = mock.get("/api/v1/nope")
    assert response.status_code == 404
    assert response.json()["error_code"] == "not_found"
    assert response.headers["x-request-id"].startswith("req_")


def test_the_admin_contracts_saas_operations_are_the_saas_contracts() -> None:
    """Faults and journal queries name operations by the admin contract's `SaaSOperation` enum."""
    enum = admin_document()["components"]["schemas"]["SaaSOperation"]["enum"]
    assert set(enum) == {op for _, _, op in _contract_operations(openapi_document())}
