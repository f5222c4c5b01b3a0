"""The spec's result shapes next to the typed ones: one value, read either way.

Spec 061 names `dict[str, Any]` for the client methods and fields for the service results.
`ContractDict` is a real `dict` of the answer's JSON (``result["origin_link_id"]``) that also
carries the validated model (``result.model``, and its attributes: ``result.origin_link_id``).
`SubscriptableResult` lets the service results be read by key as well, in their JSON shapes
(``result["candidates"][0]["external_issue_key"]``, ``result["origin_ticket"]["title"]``).
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


class ContractDict(dict[str, Any], Generic[M]):
    """The JSON of a validated contract model as a plain dict, with the model kept alongside.

    A snapshot: changing the dict does not change the model.
    """

    def __init__(self, model: M) -> None:
        super().__init__(model.model_dump(mode="json"))
        self._model = model

    @property
    def model(self) -> M:
        """The validated, typed model."""
        return self._model

    def __getattr__(self, name: str) -> Any:
        # Only called for names the dict does not have: typed attribute access of the model.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._model, name)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self._model,))


def json_shape(value: Any) -> Any:
    """A field's value in the spec's shape: models and lists of models as JSON dicts."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [json_shape(item) for item in value]
    return value


class SubscriptableResult(BaseModel):
    """A result model whose fields can also be read by key, in the spec's (JSON) shapes."""

    def __getitem__(self, key: str) -> Any:
        if key not in type(self).model_fields:
            raise KeyError(key)
        return json_shape(getattr(self, key))

    def __contains__(self, key: object) -> bool:
        return key in type(self).model_fields

    def get(self, key: str, default: Any = None) -> Any:
        """The field's value by key in the spec's shape, or `default`."""
        if key not in type(self).model_fields:
            return default
        return self[key]

    def keys(self) -> list[str]:
        """The field names."""
        return list(type(self).model_fields)
