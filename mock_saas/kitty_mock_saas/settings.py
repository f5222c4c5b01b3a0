"""Settings of the mock SaaS: one frozen object, built explicitly (arguments > env > defaults)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

ENV_PREFIX = "KITTY_MOCK_"
MEMORY = ":memory:"


@dataclass(frozen=True)
class MockSettings:
    """Everything a mock instance needs; `create_app(settings)` builds the app from it.

    `state_path` is a SQLite file (shared by every worker process) or `:memory:`; with a
    `database_url` (`postgresql://...`) the state lives in that PostgreSQL database instead,
    shared by every replica that names it. `fixtures_path`
    is a YAML fixture file, `None` for the embedded seeded default. `corpus` adds that many
    synthetic tickets for scale runs.
    """

    state_path: str = MEMORY
    database_url: str | None = None
    fixtures_path: Path | None = None
    corpus: int = 0
    corpus_seed: int = 7
    admin_token: str = "admin-secret"
    # Wrong admin tokens one client address may send at once, and how many more per second.
    admin_auth_failures_burst: int = 60
    admin_auth_failures_per_second: float = 5.0
    async_bind: bool = False
    async_poll_after_seconds: float = 0.2
    # Polls an async operation answers with pending/running before it completes.
    async_steps: int = 2
    request_log_size: int = 500
    sync_protocol_major: int = 2
    task_trackers_path: Path | None = None
    # Development and test mode: every answer of a contract operation is checked against the
    # contract, and one that drifts is replaced by a 500 naming the violation.
    validate_responses: bool = True
    # Slow senders: a request body must arrive within `body_timeout_seconds`; a connection must
    # send a complete request head within `keep_alive_seconds` of opening or of its last answer.
    body_timeout_seconds: float = 30.0
    keep_alive_seconds: float = 5.0
    # A PostgreSQL world's `text_changes` log (each replica's text index applies it) keeps an
    # entry until it is both beyond the newest `text_log_keep` and older than this.
    text_log_keep: int = 100_000
    text_log_min_age_seconds: float = 3600.0
    # Sandboxes (`X-Kitty-Sandbox`): dropped after this long unused; at most this many at once.
    sandbox_idle_ttl_seconds: float = 900.0
    max_sandboxes: int = 64
    # The dashboard shows every team's data to anyone only when this is set; otherwise only to a
    # caller on the loopback interface, or one that sends the admin token or a user's token.
    dashboard_public: bool = False
    # Host names the dashboard answers to besides its bound address and localhost (a proxy's).
    dashboard_hosts: tuple[str, ...] = ()
    # A recording of `kitty-mock-saas proxy --record DIR`: its requests get the recorded answers.
    replay_dir: Path | None = None
    # One console line per request (method, path, status, error code, latency, sandbox).
    log_requests: bool = False
    extra_env: Mapping[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, **overrides: object
    ) -> MockSettings:
        """Defaults, then `KITTY_MOCK_*` variables, then explicit `overrides` (non-None only)."""
        env = os.environ if environ is None else environ  # noqa: TID251 - the settings module
        values: dict[str, object] = {}
        if env.get(f"{ENV_PREFIX}STATE"):
            values["state_path"] = env[f"{ENV_PREFIX}STATE"]
        if env.get(f"{ENV_PREFIX}DATABASE"):
            values["database_url"] = env[f"{ENV_PREFIX}DATABASE"]
        if env.get(f"{ENV_PREFIX}FIXTURES"):
            values["fixtures_path"] = Path(env[f"{ENV_PREFIX}FIXTURES"])
        if env.get(f"{ENV_PREFIX}CORPUS"):
            values["corpus"] = int(env[f"{ENV_PREFIX}CORPUS"])
        if env.get(f"{ENV_PREFIX}ADMIN_TOKEN"):
            values["admin_token"] = env[f"{ENV_PREFIX}ADMIN_TOKEN"]
        if env.get(f"{ENV_PREFIX}ASYNC_BIND"):
            values["async_bind"] = env[f"{ENV_PREFIX}ASYNC_BIND"].lower() in {"1", "true", "yes"}
        if env.get(f"{ENV_PREFIX}TASK_TRACKERS"):
            values["task_trackers_path"] = Path(env[f"{ENV_PREFIX}TASK_TRACKERS"])
        if env.get(f"{ENV_PREFIX}REPLAY"):
            values["replay_dir"] = Path(env[f"{ENV_PREFIX}REPLAY"])
        if env.get(f"{ENV_PREFIX}VALIDATE_RESPONSES"):
            values["validate_responses"] = env[f"{ENV_PREFIX}VALIDATE_RESPONSES"].lower() in {
                "1",
                "true",
                "yes",
            }
        if env.get(f"{ENV_PREFIX}MAX_SANDBOXES"):
            values["max_sandboxes"] = int(env[f"{ENV_PREFIX}MAX_SANDBOXES"])
        if env.get(f"{ENV_PREFIX}DASHBOARD_PUBLIC"):
            values["dashboard_public"] = env[f"{ENV_PREFIX}DASHBOARD_PUBLIC"].lower() in {
                "1",
                "true",
                "yes",
            }
        if env.get(f"{ENV_PREFIX}LOG_REQUESTS"):
            values["log_requests"] = env[f"{ENV_PREFIX}LOG_REQUESTS"].lower() in {
                "1",
                "true",
                "yes",
            }
        if env.get(f"{ENV_PREFIX}TEXT_LOG_KEEP"):
            values["text_log_keep"] = int(env[f"{ENV_PREFIX}TEXT_LOG_KEEP"])
        if env.get(f"{ENV_PREFIX}ADMIN_AUTH_FAILURES_BURST"):
            values["admin_auth_failures_burst"] = int(env[f"{ENV_PREFIX}ADMIN_AUTH_FAILURES_BURST"])
        if env.get(f"{ENV_PREFIX}DASHBOARD_HOSTS"):
            hosts = env[f"{ENV_PREFIX}DASHBOARD_HOSTS"].split(",")
            values["dashboard_hosts"] = tuple(h.strip() for h in hosts if h.strip())
        for name in (
            "body_timeout_seconds",
            "keep_alive_seconds",
            "sandbox_idle_ttl_seconds",
            "admin_auth_failures_per_second",
            "text_log_min_age_seconds",
        ):
            if env.get(f"{ENV_PREFIX}{name.upper()}"):
                values[name] = float(env[f"{ENV_PREFIX}{name.upper()}"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), extra_env=dict(env), **values)  # type: ignore[arg-type]

    def to_env(self) -> dict[str, str]:
        """The variables that rebuild these settings in a worker process (uvicorn --workers)."""
        env = {
            f"{ENV_PREFIX}STATE": self.state_path,
            f"{ENV_PREFIX}CORPUS": str(self.corpus),
            f"{ENV_PREFIX}ADMIN_TOKEN": self.admin_token,
            f"{ENV_PREFIX}ASYNC_BIND": "1" if self.async_bind else "0",
            f"{ENV_PREFIX}VALIDATE_RESPONSES": "1" if self.validate_responses else "0",
            f"{ENV_PREFIX}BODY_TIMEOUT_SECONDS": str(self.body_timeout_seconds),
            f"{ENV_PREFIX}KEEP_ALIVE_SECONDS": str(self.keep_alive_seconds),
            f"{ENV_PREFIX}SANDBOX_IDLE_TTL_SECONDS": str(self.sandbox_idle_ttl_seconds),
            f"{ENV_PREFIX}MAX_SANDBOXES": str(self.max_sandboxes),
            f"{ENV_PREFIX}TEXT_LOG_KEEP": str(self.text_log_keep),
            f"{ENV_PREFIX}TEXT_LOG_MIN_AGE_SECONDS": str(self.text_log_min_age_seconds),
            f"{ENV_PREFIX}ADMIN_AUTH_FAILURES_BURST": str(self.admin_auth_failures_burst),
            f"{ENV_PREFIX}ADMIN_AUTH_FAILURES_PER_SECOND": str(self.admin_auth_failures_per_second),
            f"{ENV_PREFIX}DASHBOARD_PUBLIC": "1" if self.dashboard_public else "0",
            f"{ENV_PREFIX}LOG_REQUESTS": "1" if self.log_requests else "0",
        }
        if self.database_url is not None:
            env[f"{ENV_PREFIX}DATABASE"] = self.database_url
        if self.fixtures_path is not None:
            env[f"{ENV_PREFIX}FIXTURES"] = str(self.fixtures_path)
        if self.task_trackers_path is not None:
            env[f"{ENV_PREFIX}TASK_TRACKERS"] = str(self.task_trackers_path)
        if self.replay_dir is not None:
            env[f"{ENV_PREFIX}REPLAY"] = str(self.replay_dir)
        if self.dashboard_hosts:
            env[f"{ENV_PREFIX}DASHBOARD_HOSTS"] = ",".join(self.dashboard_hosts)
        return env


@dataclass(frozen=True)
class ProxySettings:
    """The validating proxy: where it forwards, what it does with a violation, what it keeps.

    `upstream_url` is the SaaS (or a mock) every request goes to, unchanged. With `strict`, an
    answer that breaks the contract becomes a non-retryable `contract_violation` naming the
    findings. `record_dir` keeps every exchange (secrets redacted) as a fixture; `report_path`
    gets the JSON report on exit.
    """

    upstream_url: str
    strict: bool = False
    record_dir: Path | None = None
    report_path: Path | None = None
    # Wall clock per exchange with the upstream, from connecting to the answer's last byte
    # (a dripping upstream is cut here, and the client gets a 504 provider_timeout).
    upstream_timeout_seconds: float = 30.0
    body_timeout_seconds: float = 30.0
    # Largest request or answer the proxy buffers (a larger answer is a 502).
    max_body_bytes: int = 16 * 1024 * 1024
    # Largest answer the proxy checks, raw and decoded; a larger one is passed on unchecked and
    # reported as such (checking costs about a second per MiB of JSON, in a worker thread).
    max_checked_bytes: int = 2 * 1024 * 1024
    journal_size: int = 500


def cli_environment() -> Mapping[str, str]:
    """The environment the command line takes its `KITTY_MOCK_*` defaults from."""
    return os.environ  # noqa: TID251 - the settings module
