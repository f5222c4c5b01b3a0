"""Harness that drives the real, unmodified `spec-kitty-tracker` from PyPI against the tracker
fakes, each a `kitty-mock-saas tracker-fake` process on 127.0.0.1.

- `ensure_library_venv` builds (once) `.interop/venv-tracker-<version>` with the pinned library;
  nothing of it is committed.
- `running_fakes` starts the three fakes (`kitty-mock-saas tracker-fake --port 0`) over one world
  file (seeded here first, so the test can open the same world to check what the library's
  writes did) and always stops them, by PID.
- `run_library` runs `library_driver.py` inside that venv with a provider's connector config and
  a list of operations, and returns each operation's result or error and its HTTP requests.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from kitty_contracts import Provider
from kitty_mock_saas.process import MockProcess, start_tracker_fake
from kitty_mock_saas.tracker_fakes.world import TrackerWorld, seed_default_world
from kitty_mock_saas.tracker_fakes.world.seed import ACME_WEB_TEAM

from tests.interop.pinned_venv import PackageUnavailableError, ensure_pinned_venv
from tests.interop.tracker_library.nango_standin import NangoConnection

LIBRARY_PACKAGE = "spec-kitty-tracker"
LIBRARY_VERSION = "0.5.2"
REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_VENV_DIR = REPO_ROOT / ".interop" / f"venv-tracker-{LIBRARY_VERSION}"
DRIVER = Path(__file__).resolve().parent / "library_driver.py"

# Bounds for every subprocess the harness starts.
INSTALL_TIMEOUT_S = 600.0
STOP_TIMEOUT_S = 10.0
DRIVER_TIMEOUT_S = 300.0
# Who the library acts as by default: alice, with the seeded tokens.
ALICE_EMAIL = "alice@acme.example"


class LibraryUnavailableError(PackageUnavailableError):
    """The pinned library could not be installed (typically: no route to PyPI)."""


class HarnessError(RuntimeError):
    """A harness step failed; the message carries the process's output."""


# --------------------------------------------------------------------------------------------
# The library's virtualenv
# --------------------------------------------------------------------------------------------


def ensure_library_venv(venv_dir: Path = DEFAULT_VENV_DIR) -> Path:
    """The python of a venv holding exactly `spec-kitty-tracker==LIBRARY_VERSION`.

    Raises `LibraryUnavailableError` when the install fails.
    """
    return ensure_pinned_venv(
        venv_dir,
        LIBRARY_PACKAGE,
        LIBRARY_VERSION,
        probe_module="spec_kitty_tracker.connectors",
        install_timeout=INSTALL_TIMEOUT_S,
        unavailable=LibraryUnavailableError,
    )


# --------------------------------------------------------------------------------------------
# The fakes, as processes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunningFakes:
    """The three fakes: their base URLs and the world file they share."""

    urls: Mapping[Provider, str]
    world_path: Path
    log_dir: Path

    def url(self, provider: Provider) -> str:
        return self.urls[provider]

    def requests(self, provider: Provider) -> list[dict[str, Any]]:
        """What the fake received (`GET /__fake/requests`): method, path, account."""
        answer = httpx.get(self.urls[provider] + "/__fake/requests", timeout=10.0)
        answer.raise_for_status()
        received: list[dict[str, Any]] = answer.json()["requests"]
        return received

    def forget_requests(self) -> None:
        """Clears every fake's request list (`DELETE /__fake/requests`)."""
        for url in self.urls.values():
            httpx.delete(url + "/__fake/requests", timeout=10.0).raise_for_status()

    def contract_problems(self) -> list[str]:
        """What was off the providers' published contracts in the fakes' answers so far."""
        return [
            f"{provider.value}: {problem}"
            for provider in self.urls
            for entry in self.requests(provider)
            for problem in entry.get("contract_problems", [])
        ]

    def log_tail(self, provider: Provider, chars: int = 4000) -> str:
        try:
            return (self.log_dir / f"{provider.value}.log").read_text(errors="replace")[-chars:]
        except OSError:
            return ""


@contextlib.contextmanager
def running_fakes(directory: Path) -> Iterator[RunningFakes]:
    """Seed a world file in `directory`, start a fake per provider over it (the mock's own
    `start_tracker_fake`, stderr into `<provider>.log`), and stop them all, by PID."""
    directory.mkdir(parents=True, exist_ok=True)
    world_path = directory / "trackers.world"
    with TrackerWorld(world_path) as world:
        seed_default_world(world)
    running: list[MockProcess] = []
    urls: dict[Provider, str] = {}
    try:
        for provider in Provider:
            with (directory / f"{provider.value}.log").open("w") as log:
                # Every answer is held to the provider's published contract (conftest.py).
                fake = start_tracker_fake(
                    provider.value, "--world", str(world_path), "--check-contract", stderr=log
                )
            running.append(fake)
            urls[provider] = fake.url
        yield RunningFakes(urls=urls, world_path=world_path, log_dir=directory)
    finally:
        for fake in running:
            fake.stop(timeout=STOP_TIMEOUT_S)


# --------------------------------------------------------------------------------------------
# The driver
# --------------------------------------------------------------------------------------------


def default_config(fakes: RunningFakes, provider: Provider) -> dict[str, Any]:
    """The library's connector config for `provider`'s fake, acting as alice; a test module
    adds what a host must supply (status maps) or overrides fields."""
    url = fakes.url(provider)
    if provider is Provider.jira:
        return {
            "base_url": url,
            "email": ALICE_EMAIL,
            "api_token": "jira-tok-alice",
            "project_key": "IAM",
        }
    if provider is Provider.linear:
        return {
            "api_key": "lin-tok-alice",
            "team_id": ACME_WEB_TEAM.id,
            "workspace": "acme",
            "graphql_url": url + "/graphql",
        }
    return {"owner": "acme", "repo": "web", "token": "gh-tok-alice", "base_url": url}


def default_hosted_params(provider: Provider) -> dict[str, Any]:
    """The library's `*HostedParams` for `provider` at its real hosts (Nango routes them to the
    fake); Jira's `base_url` (`https://api.atlassian.com/ex/jira/<cloud id>`) comes from
    discovery, so a test adds it."""
    if provider is Provider.jira:
        return {"project_key": "IAM"}
    if provider is Provider.linear:
        return {"team_id": ACME_WEB_TEAM.id, "workspace": "acme"}
    return {"owner": "acme", "repo": "web"}


def nango_connections(fakes: RunningFakes) -> dict[tuple[str, str], NangoConnection]:
    """Alice's Nango connection (`acme-alice`) to each fake, keyed by provider config key."""
    tokens = {
        Provider.jira: "jira-tok-alice",
        Provider.linear: "lin-tok-alice",
        Provider.github: "gh-tok-alice",
    }
    return {
        (provider.value, "acme-alice"): NangoConnection(fakes.url(provider), token)
        for provider, token in tokens.items()
    }


@dataclass(frozen=True)
class Operation:
    """One call of the library: `op` is the connector method, `args` its JSON arguments (see
    `library_driver.py`); `name` lets later operations refer to its result."""

    op: str
    args: Mapping[str, Any] = field(default_factory=dict)
    name: str | None = None

    def request(self) -> dict[str, Any]:
        return {"name": self.name or self.op, "op": self.op, "args": dict(self.args)}


@dataclass(frozen=True)
class Outcome:
    """What one operation did: its result or error, and the HTTP requests it made."""

    name: str
    op: str
    ok: bool
    result: Any
    error: dict[str, Any] | None
    http: list[dict[str, Any]]
    # Request and answer bodies (not in the hosted mode): method, url, request_body, status,
    # content_type, response_body.
    exchanges: list[dict[str, Any]] = field(default_factory=list)

    @property
    def value(self) -> Any:
        """The result; an AssertionError with the library's error and the wire when it failed."""
        if not self.ok:
            raise AssertionError(
                f"{self.op} ({self.name}) failed: {json.dumps(self.error, indent=2)}\n"
                f"requests: {json.dumps(self.http, indent=2)}"
            )
        return self.result


@dataclass(frozen=True)
class LibraryRun:
    """The outcomes of one driver run, in order, by name."""

    outcomes: list[Outcome]
    library_version: str

    def __getitem__(self, name: str) -> Outcome:
        for outcome in self.outcomes:
            if outcome.name == name:
                return outcome
        raise KeyError(name)


def run_library(
    python: Path,
    provider: Provider,
    config: Mapping[str, Any],
    operations: Sequence[Operation],
    *,
    hosted: Mapping[str, str] | None = None,
) -> LibraryRun:
    """Run `operations` in order with the library's `provider` connector built from `config`
    (with `hosted`, a `NangoConnectionContext`'s fields: the hosted connector over Nango)."""
    request = {
        "provider": provider.value,
        "config": dict(config),
        "operations": [operation.request() for operation in operations],
        "hosted": None if hosted is None else dict(hosted),
    }
    try:
        done = subprocess.run(
            [str(python), str(DRIVER)],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            timeout=DRIVER_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise HarnessError(f"the library driver took over {DRIVER_TIMEOUT_S} s") from exc
    lines = done.stdout.strip().splitlines()
    try:
        document = json.loads(lines[-1])
    except (IndexError, ValueError) as exc:
        raise HarnessError(
            f"the driver exited {done.returncode} without a JSON answer:\n"
            f"{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
        ) from exc
    outcomes = [
        Outcome(
            name=item["name"],
            op=item["op"],
            ok=bool(item["ok"]),
            result=item.get("result"),
            error=item.get("error"),
            http=item.get("http", []),
            exchanges=item.get("exchanges", []),
        )
        for item in document["operations"]
    ]
    return LibraryRun(outcomes=outcomes, library_version=document["library_version"])


def describe_library(python: Path) -> dict[str, Any]:
    """The library's connector operations per provider, and the ones the driver can call."""
    done = subprocess.run(
        [str(python), str(DRIVER), "describe"],
        capture_output=True,
        text=True,
        timeout=DRIVER_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        raise HarnessError(f"driver describe exited {done.returncode}:\n{done.stderr[-4000:]}")
    described: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return described
