"""What one mock holds: its settings, fixtures and tracker connectors, and per sandbox the state.

The default runtime serves requests that name no sandbox; a sandbox is a runtime of its own
(own database, faults and journal) that shares the settings, fixtures and the tracker world,
which the contract's operations only read.
"""

from __future__ import annotations

from dataclasses import dataclass

from .faults import FaultInjector
from .fixtures import Fixtures
from .settings import MockSettings
from .state import Database
from .state.journal import RequestLog
from .trackers import Trackers


@dataclass
class MockRuntime:
    settings: MockSettings
    fixtures: Fixtures
    db: Database
    trackers: Trackers
    faults: FaultInjector
    request_log: RequestLog
    sandbox: str | None = None
