# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.dossier_push_response_dossier_push_status import (
    DossierPushResponseDossierPushStatus,
    check_dossier_push_response_dossier_push_status,
)

T = TypeVar("T", bound="DossierPushResponse")


@_attrs_define
class DossierPushResponse:
    status: DossierPushResponseDossierPushStatus
    artifact_path: str
    content_hash: str

    def to_dict(self) -> dict[str, Any]:
        status: str = self.status

        artifact_path = self.artifact_path

        content_hash = self.content_hash

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "status": status,
                "artifact_path": artifact_path,
                "content_hash": content_hash,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = check_dossier_push_response_dossier_push_status(d.pop("status"))

        artifact_path = d.pop("artifact_path")

        content_hash = d.pop("content_hash")

        dossier_push_response = cls(
            status=status,
            artifact_path=artifact_path,
            content_hash=content_hash,
        )

        return dossier_push_response
