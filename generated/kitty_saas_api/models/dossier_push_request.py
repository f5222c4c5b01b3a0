# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="DossierPushRequest")


@_attrs_define
class DossierPushRequest:
    """One mission artifact body pushed by `spec-kitty sync now`."""

    project_uuid: str
    mission_slug: str
    target_branch: str
    mission_type: str
    manifest_version: str
    artifact_path: str
    content_hash: str
    hash_algorithm: str
    content_body: str
    admission_generation: int
    binding_audience: str

    def to_dict(self) -> dict[str, Any]:
        project_uuid = self.project_uuid

        mission_slug = self.mission_slug

        target_branch = self.target_branch

        mission_type = self.mission_type

        manifest_version = self.manifest_version

        artifact_path = self.artifact_path

        content_hash = self.content_hash

        hash_algorithm = self.hash_algorithm

        content_body = self.content_body

        admission_generation = self.admission_generation

        binding_audience = self.binding_audience

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "project_uuid": project_uuid,
                "mission_slug": mission_slug,
                "target_branch": target_branch,
                "mission_type": mission_type,
                "manifest_version": manifest_version,
                "artifact_path": artifact_path,
                "content_hash": content_hash,
                "hash_algorithm": hash_algorithm,
                "content_body": content_body,
                "admission_generation": admission_generation,
                "binding_audience": binding_audience,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        project_uuid = d.pop("project_uuid")

        mission_slug = d.pop("mission_slug")

        target_branch = d.pop("target_branch")

        mission_type = d.pop("mission_type")

        manifest_version = d.pop("manifest_version")

        artifact_path = d.pop("artifact_path")

        content_hash = d.pop("content_hash")

        hash_algorithm = d.pop("hash_algorithm")

        content_body = d.pop("content_body")

        admission_generation = d.pop("admission_generation")

        binding_audience = d.pop("binding_audience")

        dossier_push_request = cls(
            project_uuid=project_uuid,
            mission_slug=mission_slug,
            target_branch=target_branch,
            mission_type=mission_type,
            manifest_version=manifest_version,
            artifact_path=artifact_path,
            content_hash=content_hash,
            hash_algorithm=hash_algorithm,
            content_body=content_body,
            admission_generation=admission_generation,
            binding_audience=binding_audience,
        )

        return dossier_push_request
