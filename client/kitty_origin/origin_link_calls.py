"""The calls on a mission's existing origin link: unbind, refresh, read, status write-back and read,
and the missions of one ticket. `SaaSTrackerClient` has them; they use its one `Exchange`."""

from __future__ import annotations

from collections.abc import Callable

from kitty_contracts import (
    OriginLink,
    OriginRefreshResponse,
    OriginStatusResponse,
    OriginStatusSyncResponse,
    OriginUnbindResponse,
    Provider,
    StatusCategory,
    TicketMissionsResponse,
    WorkPackageLane,
)
from kitty_saas_api import models as wire
from kitty_saas_api.api.tracker import get_mission_origin as read_origin_api
from kitty_saas_api.api.tracker import get_mission_origin_status as read_status_api
from kitty_saas_api.api.tracker import list_ticket_missions as ticket_missions_api
from kitty_saas_api.api.tracker import refresh_mission_origin as refresh_api
from kitty_saas_api.api.tracker import sync_mission_origin_status as sync_status_api
from kitty_saas_api.api.tracker import unbind_mission_origin as unbind_api
from kitty_saas_api.models.provider import check_provider

from .call_steps import check, expect, request_body, same_mission, unset
from .errors import APIStatusError, ConfigurationError, InvalidRequestError, status_refusal
from .exchange import Exchange
from .settings import ClientSettings


class OriginLinkCalls:
    """What `SaaSTrackerClient` can do with a mission's origin link once it exists."""

    settings: ClientSettings
    _exchange: Exchange
    _new_key: Callable[[], str]

    def unbind_mission_origin(
        self,
        mission_id: str,
        *,
        idempotency_key: str | None = None,
        prefer: str | None = None,
    ) -> OriginUnbindResponse:
        """Remove the mission's origin link on the SaaS; a mission without one is a success.

        `outcome` is `removed` (with `removed_link`) or `not_bound`. One `Idempotency-Key` for
        every retry.

        Raises:
            InvalidRequestError: `mission_id` is not a ULID (nothing is sent).
            APIStatusError, APIConnectionError, ContractViolationError.
        """
        body = request_body(
            wire.OriginUnbindRequest, "OriginUnbindRequest", {"mission_id": mission_id}
        )
        key = idempotency_key or self._new_key()
        answer = self._exchange.call(
            "origin unbind",
            unbind_api._get_kwargs(
                body=body, x_team_slug=self._team(), idempotency_key=key, prefer=unset(prefer)
            ),
            deadline=self._deadline(self.settings.write_deadline_seconds),
        )
        expect(answer, {200})
        result = self._exchange.parse(OriginUnbindResponse, "OriginUnbindResponse", answer)
        same_mission(result.mission_id, mission_id, answer)
        return result

    def refresh_mission_origin(self, mission_id: str) -> OriginRefreshResponse:
        """Have the SaaS fetch the origin ticket again and store its current key, URL, title and
        status; `changed` names what differed.

        Raises:
            OriginNotFoundError, TicketNotFoundError, TicketOutOfScopeError, UserLinkRequiredError.
            InvalidRequestError: `mission_id` is not a ULID (nothing is sent).
            APIStatusError, APIConnectionError, ContractViolationError.
        """
        body = request_body(
            wire.OriginRefreshRequest, "OriginRefreshRequest", {"mission_id": mission_id}
        )
        answer = self._exchange.call(
            "origin refresh",
            refresh_api._get_kwargs(body=body, x_team_slug=self._team()),
            deadline=self._deadline(self.settings.write_deadline_seconds),
        )
        expect(answer, {200})
        result = self._exchange.parse(OriginRefreshResponse, "OriginRefreshResponse", answer)
        same_mission(result.link.mission_id, mission_id, answer)
        return result

    def get_mission_origin(self, mission_id: str) -> OriginLink:
        """The mission's origin link as the SaaS stored it.

        Raises:
            OriginNotFoundError: the mission has no origin link in the team.
            InvalidRequestError: `mission_id` is not a ULID (nothing is sent).
            APIStatusError, APIConnectionError, ContractViolationError.
        """
        check("Ulid", mission_id, "mission_id")
        answer = self._exchange.call(
            "origin read",
            read_origin_api._get_kwargs(mission_id, x_team_slug=self._team()),
            deadline=self._deadline(self.settings.search_deadline_seconds),
        )
        expect(answer, {200})
        return self._exchange.parse(OriginLink, "OriginLink", answer)

    def sync_mission_origin_status(
        self, mission_id: str, status: WorkPackageLane | StatusCategory | str
    ) -> OriginStatusSyncResponse:
        """Have the SaaS move the mission's origin ticket to `status` (a work package lane such
        as `for_review`, or a status category such as `done`); the answer is the ticket's status
        after the write and `outcome` `updated` or `unchanged`.

        Raises:
            StatusNotSupportedError: the ticket's tracker cannot represent that status (also an
                UnprocessableEntityError and a CapabilityNotSupportedError).
            OriginNotFoundError, TicketNotFoundError, TicketOutOfScopeError, UserLinkRequiredError.
            InvalidRequestError: `mission_id` is not a ULID or `status` no lane or category
                (nothing is sent).
            APIStatusError, APIConnectionError, ContractViolationError.
        """
        body = request_body(
            wire.OriginStatusSyncRequest,
            "OriginStatusSyncRequest",
            {"mission_id": mission_id, "status": str(status)},
        )
        try:
            answer = self._exchange.call(
                "origin status sync",
                sync_status_api._get_kwargs(body=body, x_team_slug=self._team()),
                deadline=self._deadline(self.settings.write_deadline_seconds),
            )
        except APIStatusError as error:
            refusal = status_refusal(error)
            if refusal is not None:
                raise refusal from error
            raise
        expect(answer, {200})
        result = self._exchange.parse(OriginStatusSyncResponse, "OriginStatusSyncResponse", answer)
        same_mission(result.mission_id, mission_id, answer)
        return result

    def get_mission_origin_status(self, mission_id: str) -> OriginStatusResponse:
        """The origin ticket's status as the tracker answers it now (through the SaaS, with the
        user's linked identity), the work package lane it suggests and the status categories the
        SaaS can write to it.

        Raises:
            OriginNotFoundError, TicketNotFoundError, TicketOutOfScopeError, UserLinkRequiredError.
            InvalidRequestError: `mission_id` is not a ULID (nothing is sent).
            APIStatusError, APIConnectionError, ContractViolationError.
        """
        check("Ulid", mission_id, "mission_id")
        answer = self._exchange.call(
            "origin status read",
            read_status_api._get_kwargs(mission_id=mission_id, x_team_slug=self._team()),
            deadline=self._deadline(self.settings.search_deadline_seconds),
        )
        expect(answer, {200})
        result = self._exchange.parse(OriginStatusResponse, "OriginStatusResponse", answer)
        same_mission(result.mission_id, mission_id, answer)
        return result

    def list_ticket_missions(
        self, provider: Provider | str, external_issue_id: str, *, limit: int = 50
    ) -> TicketMissionsResponse:
        """The team's missions that originate from one ticket (by its stable id), newest first.

        Raises:
            InvalidRequestError: an unknown provider, an empty id or a bad limit (nothing is sent).
            APIStatusError, APIConnectionError, ContractViolationError.
        """
        check("Provider", str(provider), "provider")
        if not 1 <= len(external_issue_id) <= 256 or not 1 <= limit <= 100:
            raise InvalidRequestError("external_issue_id needs 1..256 characters, limit 1..100")
        answer = self._exchange.call(
            "ticket missions",
            ticket_missions_api._get_kwargs(
                provider=check_provider(str(provider)),
                external_issue_id=external_issue_id,
                limit=limit,
                x_team_slug=self._team(),
            ),
            deadline=self._deadline(self.settings.search_deadline_seconds),
        )
        expect(answer, {200})
        return self._exchange.parse(TicketMissionsResponse, "TicketMissionsResponse", answer)

    # -- shared by every call of the client ------------------------------------------------

    def _team(self) -> str:
        if not self.settings.team:
            raise ConfigurationError(
                "No Spec Kitty team configured: set SPEC_KITTY_TEAM or pass team= in the settings."
            )
        return self.settings.team

    def _deadline(self, seconds: float) -> float:
        return self._exchange.monotonic() + seconds
