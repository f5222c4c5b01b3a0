"""`serve --trackers FILE --start-fakes`: the tracker fakes a trackers file points at, started
as processes on the addresses it names, before the mock, and stopped with it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx

from .connectors import TrackerConfigError, load_task_trackers_config
from .connectors.config import enabled_trackers
from .process import MockProcess, MockStartError, start_tracker_fake

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class FakesError(ValueError):
    """The file names a tracker no local fake can stand in for, or a fake did not start."""


def fake_addresses(path: Path) -> dict[str, int]:
    """Per enabled tracker of the file, the 127.0.0.1 port its fake must listen on.

    Raises:
        FakesError: a URL that is not http://127.0.0.1:PORT (a real tracker, or no port).
        TrackerConfigError: the file is unreadable or breaks the contract.
    """
    ports: dict[str, int] = {}
    for tracker in enabled_trackers(load_task_trackers_config(path)):
        url = httpx.URL(tracker.api_url)
        if url.scheme != "http" or url.host not in _LOOPBACK or url.port is None:
            raise FakesError(
                f"{path}: {tracker.provider.value} is at {tracker.api_url}; --start-fakes starts "
                "fakes only for http://127.0.0.1:PORT addresses (leave it out for real trackers)"
            )
        ports[tracker.provider.value] = url.port
    return ports


def start_fakes(path: Path) -> list[MockProcess]:
    """Start a `tracker-fake` per enabled tracker of `path`; all or none (stopped on failure).

    Raises:
        FakesError, TrackerConfigError: see `fake_addresses`; a fake that did not start (its
        port taken, most likely).
    """
    started: list[MockProcess] = []
    try:
        for provider, port in fake_addresses(path).items():
            try:
                started.append(
                    start_tracker_fake(provider, "--port", str(port), stderr=subprocess.DEVNULL)
                )
            except MockStartError as exc:
                raise FakesError(
                    f"the {provider} fake did not start on 127.0.0.1:{port} (port in use?): {exc}"
                ) from None
    except (FakesError, TrackerConfigError):
        stop_fakes(started)
        raise
    return started


def stop_fakes(fakes: list[MockProcess]) -> None:
    for fake in fakes:
        fake.stop()
