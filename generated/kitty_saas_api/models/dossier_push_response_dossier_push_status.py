# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from typing import Literal

DossierPushResponseDossierPushStatus = Literal["already_exists", "stored"]

DOSSIER_PUSH_RESPONSE_DOSSIER_PUSH_STATUS_VALUES: set[DossierPushResponseDossierPushStatus] = {
    "already_exists",
    "stored",
}


def check_dossier_push_response_dossier_push_status(
    value: str,
) -> DossierPushResponseDossierPushStatus:
    if value in DOSSIER_PUSH_RESPONSE_DOSSIER_PUSH_STATUS_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {DOSSIER_PUSH_RESPONSE_DOSSIER_PUSH_STATUS_VALUES!r}"
    )
