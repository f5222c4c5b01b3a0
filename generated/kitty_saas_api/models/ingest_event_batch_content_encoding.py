# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from typing import Literal

IngestEventBatchContentEncoding = Literal["gzip", "identity"]

INGEST_EVENT_BATCH_CONTENT_ENCODING_VALUES: set[IngestEventBatchContentEncoding] = {
    "gzip",
    "identity",
}


def check_ingest_event_batch_content_encoding(value: str) -> IngestEventBatchContentEncoding:
    if value in INGEST_EVENT_BATCH_CONTENT_ENCODING_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {INGEST_EVENT_BATCH_CONTENT_ENCODING_VALUES!r}"
    )
