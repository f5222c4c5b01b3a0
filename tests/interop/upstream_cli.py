"""Harness that drives the real, unmodified `spec-kitty-cli` from PyPI against a SaaS on 127.0.0.1.

- `ensure_upstream_venv` builds (once) a separate virtualenv with the pinned CLI under
  `.interop/venv-<version>` in the checkout; nothing of it is committed.
- `prepare_workspace` makes an isolated runtime root (`SPEC_KITTY_HOME`) plus a git repo initialised
  with `spec-kitty init`, a tracker binding, an encrypted session written by the CLI's own code,
  consent (`spec-kitty sync opt-in`) and local admission (`spec-kitty sync now`): every local gate
  the CLI checks before it sends a tracker request.
- `Workspace.driver` runs `upstream_driver.py` inside that venv and returns its JSON answer;
  `Workspace.spec_kitty` runs the CLI's console script.

The CLI keeps one durable operation ledger per project, keyed for reads by URL only, so a second
*different* search in one project is refused locally. Every scenario that searches gets its own
workspace (own runtime root, own project uuid).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.interop.pinned_venv import PackageUnavailableError, ensure_pinned_venv

UPSTREAM_PACKAGE = "spec-kitty-cli"
UPSTREAM_VERSION = "3.2.7"
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_VENV_DIR = REPO_ROOT / ".interop" / f"venv-{UPSTREAM_VERSION}"
DRIVER = Path(__file__).resolve().parent / "upstream_driver.py"

# Bounds for every subprocess the harness starts.
INSTALL_TIMEOUT_S = 900.0
CLI_TIMEOUT_S = 90.0
DRIVER_TIMEOUT_S = 90.0
GIT_TIMEOUT_S = 30.0

# The protected-branch guard of mission creation refuses `main`; planning happens on a feature branch.
WORK_BRANCH = "interop/work"


class UpstreamUnavailableError(PackageUnavailableError):
    """The pinned upstream CLI could not be installed (typically: no route to PyPI)."""


class HarnessError(RuntimeError):
    """A harness step failed; the message carries the command's output."""


# --------------------------------------------------------------------------------------------
# The upstream virtualenv
# --------------------------------------------------------------------------------------------


def ensure_upstream_venv(venv_dir: Path = DEFAULT_VENV_DIR) -> Path:
    """Return the python of a venv holding exactly `spec-kitty-cli==UPSTREAM_VERSION`.

    Raises `UpstreamUnavailableError` when the install fails.
    """
    return ensure_pinned_venv(
        venv_dir,
        UPSTREAM_PACKAGE,
        UPSTREAM_VERSION,
        probe_module="specify_cli.tracker.origin",
        install_timeout=INSTALL_TIMEOUT_S,
        unavailable=UpstreamUnavailableError,
    )


# --------------------------------------------------------------------------------------------
# Workspaces
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrackerBinding:
    """The `tracker:` block of `.kittify/config.yaml`."""

    provider: str
    project_slug: str


@dataclass(frozen=True)
class SessionSpec:
    """The authenticated user, shaped like `GET /api/v1/me` answers.

    `teams` needs a Private Teamspace and exactly one non-private team: the CLI sends that team's
    `id` as `X-Team-Slug` and the Private Teamspace id as the events' `team_slug`.
    """

    email: str
    access_token: str
    refresh_token: str
    name: str = ""
    teams: tuple[Mapping[str, Any], ...] = ()


def default_session(team_id: str = "acme") -> SessionSpec:
    """Alice of the mock's default fixture."""
    return SessionSpec(
        email="alice@acme.example",
        name="Alice",
        access_token="tok-alice",
        refresh_token="refresh-alice",
        teams=(
            {
                "id": "pts-alice",
                "slug": "pts-alice",
                "name": "Private Teamspace",
                "role": "owner",
                "is_private_teamspace": True,
            },
            {
                "id": team_id,
                "slug": team_id,
                "name": "Acme",
                "role": "member",
                "is_private_teamspace": False,
            },
        ),
    )


@dataclass(frozen=True)
class DriverResult:
    """One driver run: the function's result or its structured error, plus the httpx wire log."""

    ok: bool
    result: Any
    error: dict[str, Any] | None
    http: list[dict[str, Any]]
    stdout: str
    stderr: str

    def value(self) -> Any:
        if not self.ok:
            raise HarnessError(
                f"driver call failed: {json.dumps(self.error, indent=2)}\n{self.stderr}"
            )
        return self.result

    def requests(self, path_fragment: str = "") -> list[tuple[str, str, int]]:
        """(method, path, status) of each request whose URL contains `path_fragment`."""
        out: list[tuple[str, str, int]] = []
        for call in self.http:
            url = str(call["url"])
            path = "/" + url.split("://", 1)[-1].split("/", 1)[-1] if "://" in url else url
            if path_fragment in path:
                out.append((str(call["method"]), path, int(call["status"])))
        return out


@dataclass
class Workspace:
    """An isolated CLI installation state: runtime root + project repo + environment."""

    root: Path
    home: Path
    repo: Path
    python: Path
    base_url: str
    env: dict[str, str] = field(default_factory=dict)

    @property
    def bin_dir(self) -> Path:
        return self.python.parent

    @property
    def project_uuid(self) -> str:
        config = yaml.safe_load((self.repo / ".kittify" / "config.yaml").read_text())
        return str(config["project"]["uuid"])

    @property
    def store_path(self) -> Path:
        return self.home / "projects" / self.project_uuid / "sync" / "sync.db"

    def run(
        self, command: Sequence[str], *, timeout: float = CLI_TIMEOUT_S, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        try:
            done = subprocess.run(
                list(command),
                cwd=self.repo,
                env=self.env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise HarnessError(f"{list(command)} timed out after {timeout}s") from exc
        if check and done.returncode != 0:
            raise HarnessError(
                f"{list(command)} exited {done.returncode}\n"
                f"--- stdout ---\n{done.stdout[-4000:]}\n--- stderr ---\n{done.stderr[-4000:]}"
            )
        return done

    def spec_kitty(
        self, *args: str, timeout: float = CLI_TIMEOUT_S, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        return self.run([str(self.bin_dir / "spec-kitty"), *args], timeout=timeout, check=check)

    def git(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(["git", *args], timeout=GIT_TIMEOUT_S)

    def driver(
        self, operation: str, timeout: float = DRIVER_TIMEOUT_S, **args: Any
    ) -> DriverResult:
        done = self.run(
            [str(self.python), str(DRIVER), operation, json.dumps(args)],
            timeout=timeout,
            check=False,
        )
        last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
        try:
            document = json.loads(last)
        except ValueError as exc:
            raise HarnessError(
                f"driver {operation} printed no JSON (exit {done.returncode})\n"
                f"--- stdout ---\n{done.stdout[-4000:]}\n--- stderr ---\n{done.stderr[-4000:]}"
            ) from exc
        return DriverResult(
            ok=bool(document["ok"]),
            result=document.get("result"),
            error=document.get("error"),
            http=list(document.get("http", [])),
            stdout=done.stdout,
            stderr=done.stderr,
        )

    def write_session(self, spec: SessionSpec) -> None:
        """Store `spec` as the CLI's authenticated session (its own TokenManager + encrypted file)."""
        written = self.driver(
            "write-session",
            email=spec.email,
            name=spec.name or spec.email,
            access_token=spec.access_token,
            refresh_token=spec.refresh_token,
            teams=[dict(team) for team in spec.teams],
        ).value()
        if not written.get("authenticated"):
            raise HarnessError(f"session written but not authenticated: {written}")

    def admission(self) -> dict[str, Any] | None:
        """The project's admission row in the CLI's project store (read-only)."""
        if not self.store_path.is_file():
            return None
        uri = f"file:{self.store_path}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=5)) as db:
            db.row_factory = sqlite3.Row
            row = db.execute("SELECT * FROM project_target_admissions").fetchone()
        return dict(row) if row is not None else None


def workspace_env(root: Path, home: Path, bin_dir: Path, base_url: str) -> dict[str, str]:
    """A clean environment: nothing of the caller's SPEC_KITTY_* / HOME leaks into the CLI."""
    inherited_path = os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin")  # noqa: TID251 - subprocess env
    return {
        "PATH": f"{bin_dir}{os.pathsep}{inherited_path}",
        "HOME": str(root / "user-home"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TMPDIR": str(root / "tmp"),
        "NO_COLOR": "1",
        "COLUMNS": "200",
        "TERM": "dumb",
        "GIT_AUTHOR_NAME": "Interop Harness",
        "GIT_AUTHOR_EMAIL": "interop@acme.example",
        "GIT_COMMITTER_NAME": "Interop Harness",
        "GIT_COMMITTER_EMAIL": "interop@acme.example",
        "GIT_CONFIG_NOSYSTEM": "1",
        "SPEC_KITTY_HOME": str(home),
        "SPEC_KITTY_NON_INTERACTIVE": "1",
        # Arms capture and the transport lease; tracker calls fail locally without it.
        "SPEC_KITTY_ENABLE_SAAS_SYNC": "1",
        # Tracker calls, the batch receiver and the token refresh all read the server from here.
        "SPEC_KITTY_SAAS_URL": base_url,
    }


def _write_project_config(repo: Path, tracker: TrackerBinding) -> None:
    config_path = repo / ".kittify" / "config.yaml"
    config = yaml.safe_load(config_path.read_text()) or {}
    config["tracker"] = {
        "provider": tracker.provider,
        "project_slug": tracker.project_slug,
        "display_label": f"{tracker.provider} / {tracker.project_slug}",
    }
    # No background runtime (WebSocket via POST /api/v1/ws-token, daemon drain) in the driver
    # processes: events leave only through an explicit `spec-kitty sync now`, which keeps the
    # mock's event log deterministic. It is not consent and does not affect tracker calls.
    existing = config.get("sync")
    sync_section: dict[str, Any] = dict(existing) if isinstance(existing, dict) else {}
    sync_section["auto_start"] = False
    config["sync"] = sync_section
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))


def prepare_workspace(
    python: Path,
    root: Path,
    base_url: str,
    tracker: TrackerBinding,
    session: SessionSpec | None = None,
) -> Workspace:
    """Create runtime root + project repo and pass every local gate of the CLI (wire doc §2)."""
    home = root / "spec-kitty-home"
    repo = root / "repo"
    for directory in (home, repo, root / "user-home", root / "tmp"):
        directory.mkdir(parents=True, exist_ok=True)
    env = workspace_env(root, home, python.parent, base_url)
    ws = Workspace(root=root, home=home, repo=repo, python=python, base_url=base_url, env=env)

    ws.git("init", "--quiet", "--initial-branch=main")
    ws.spec_kitty("init", "--ai", "codex", "--non-interactive")
    _write_project_config(repo, tracker)
    ws.git("add", "--all")
    ws.git("commit", "--quiet", "--no-verify", "-m", "spec-kitty project with tracker binding")
    ws.git("checkout", "--quiet", "-b", WORK_BRANCH)

    ws.write_session(session or default_session())

    # Channel-1 consent: the project-uuid-owned opt-in in the project store.
    ws.spec_kitty("sync", "opt-in")
    # `sync now` mints the local non-strict admission row (maybe_admit_locally); with nothing
    # captured after opt-in it sends nothing. `--no-strict` because `init`'s events sit in the sealed
    # pre-consent epoch: retained but never selectable, which strict mode reports as exit 1.
    ws.spec_kitty("sync", "now", "--no-strict")
    admission = ws.admission()
    if admission is None or admission.get("admission_state") != "admitted":
        raise HarnessError(f"project not admitted after `sync now`: {admission}")
    return ws


@dataclass(frozen=True)
class WorkspaceSpec:
    root: Path
    tracker: TrackerBinding
    session: SessionSpec | None = None


def prepare_workspaces(
    python: Path, base_url: str, specs: Mapping[str, WorkspaceSpec]
) -> dict[str, Workspace]:
    """`prepare_workspace` for each spec, concurrently.

    The workspaces share nothing (own HOME, SPEC_KITTY_HOME and repo), and most of a setup is
    subprocess start-up and `spec-kitty init`, so running them side by side roughly halves the
    wall time. Every future is awaited, so no setup outlives this call; the first error is raised.
    """
    with ThreadPoolExecutor(max_workers=max(1, len(specs))) as pool:
        futures = {
            name: pool.submit(
                prepare_workspace, python, spec.root, base_url, spec.tracker, spec.session
            )
            for name, spec in specs.items()
        }
        wait(futures.values())
    return {name: future.result() for name, future in futures.items()}
