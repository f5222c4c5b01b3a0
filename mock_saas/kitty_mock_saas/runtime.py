"""What one mock process holds: its settings, the state database and the tracker connectors."""

from __future__ import annotations

from dataclasses import dataclass

from .faults import FaultInjector
from .settings import MockSettings
from .state import Database
from .state.activity import RequestLog
from .trackers import Trackers


@dataclass
class MockRuntime:
    settings: MockSettings
    db: Database
    trackers: Trackers
    faults: FaultInjector
    request_log: RequestLog
