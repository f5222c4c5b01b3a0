# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.match_type import MatchType, check_match_type
from ..models.status_category import StatusCategory, check_status_category
from ..types import UNSET, Unset

T = TypeVar("T", bound="OriginCandidate")


@_attrs_define
class OriginCandidate:
    """One external issue a mission may originate from, normalized by a tracker connector. Carries stable provider
    identifiers only.

    """

    external_issue_id: str
    """ Provider-native stable id (Jira issue id, Linear issue UUID, GitHub issue id). """
    external_issue_key: str
    """ Human-readable key (`WEB-123`, `IAM-42`, `acme/web#42`). """
    title: str
    """ Issue title or summary. """
    status: str
    """ The status name as the provider shows it (may be localized). """
    url: str
    """ Deep link to the issue in the provider's web UI (never an API URL). """
    match_type: MatchType
    """ `exact`: the candidate's key equals the requested `query_key`. `text`: the candidate matched a free-text
    query. """
    status_category: StatusCategory | Unset = UNSET
    """ Provider status normalized across trackers (Jira statusCategory, Linear state.type, GitHub state +
    state_reason). The provider's own status name stays in `status`. """
    body: str | Unset | None = UNSET
    """ Issue description as markdown, when the provider has one. """

    def to_dict(self) -> dict[str, Any]:
        external_issue_id = self.external_issue_id

        external_issue_key = self.external_issue_key

        title = self.title

        status = self.status

        url = self.url

        match_type: str = self.match_type

        status_category: str | Unset = UNSET
        if not isinstance(self.status_category, Unset):
            status_category = self.status_category

        body: str | Unset | None
        if isinstance(self.body, Unset):
            body = UNSET
        else:
            body = self.body

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "external_issue_id": external_issue_id,
                "external_issue_key": external_issue_key,
                "title": title,
                "status": status,
                "url": url,
                "match_type": match_type,
            }
        )
        if status_category is not UNSET:
            field_dict["status_category"] = status_category
        if body is not UNSET:
            field_dict["body"] = body

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        external_issue_id = d.pop("external_issue_id")

        external_issue_key = d.pop("external_issue_key")

        title = d.pop("title")

        status = d.pop("status")

        url = d.pop("url")

        match_type = check_match_type(d.pop("match_type"))

        _status_category = d.pop("status_category", UNSET)
        status_category: StatusCategory | Unset
        if isinstance(_status_category, Unset):
            status_category = UNSET
        else:
            status_category = check_status_category(_status_category)

        def _parse_body(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        body = _parse_body(d.pop("body", UNSET))

        origin_candidate = cls(
            external_issue_id=external_issue_id,
            external_issue_key=external_issue_key,
            title=title,
            status=status,
            url=url,
            match_type=match_type,
            status_category=status_category,
            body=body,
        )

        return origin_candidate
