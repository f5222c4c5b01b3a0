"""Driver run INSIDE the upstream spec-kitty-cli virtualenv, never imported by pytest.

`upstream_cli.run_driver` starts it as `<venv python> upstream_driver.py <op> <json args>` with the
workspace's cwd and environment. It calls the CLI's own public functions, unmodified, and prints
exactly one JSON document on the last line of stdout:

    {"ok": true, "result": ..., "http": [...]}
    {"ok": false, "error": {...}, "http": [...]}

`http` lists the requests the CLI's httpx client made (method, url, status), taken from httpx's own
INFO log records: configuring logging observes the wire without patching anything.

Upstream modules are imported through importlib so that mypy (which runs in the project venv, where
spec-kitty-cli is not installed) sees them as Any instead of failing on missing imports.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import logging
import sys
import traceback
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any


class _HttpxRecorder(logging.Handler):
    """Collects httpx's `HTTP Request: METHOD URL "HTTP/1.1 200 OK"` records."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.calls: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 4:
            self.calls.append(
                {"method": str(args[0]), "url": str(args[1]), "status": int(str(args[3]))}
            )


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return repr(value)


def _describe_error(exc: BaseException) -> dict[str, Any]:
    """The exception plus the structured fields the CLI keeps on `__cause__`."""
    described: dict[str, Any] = {
        "type": type(exc).__name__,
        "module": type(exc).__module__,
        "message": str(exc),
    }
    for attr in ("error_code", "status_code", "details", "user_action_required"):
        if hasattr(exc, attr):
            described[attr] = _jsonable(getattr(exc, attr))
    cause = exc.__cause__
    if cause is not None:
        described["cause"] = _describe_error(cause)
    return described


def _candidate(data: dict[str, Any]) -> Any:
    models = importlib.import_module("specify_cli.tracker.origin_models")
    return models.OriginCandidate(
        external_issue_id=data["external_issue_id"],
        external_issue_key=data["external_issue_key"],
        title=data["title"],
        status=data["status"],
        url=data["url"],
        match_type=data.get("match_type", "text"),
        body=data.get("body"),
    )


def _prime_emitter() -> None:
    """Create the CLI's event emitter before mission creation.

    In 3.2.7 the first `get_emitter()` call can happen inside the dossier capture's open project
    store transaction (`create_mission_core` -> `fire_dossier_sync`); the emitter's own store reads
    then wait on that lock (4 x 5 s) and drop the lifecycle events. Creating the emitter first, as any
    longer-lived CLI process would have, avoids the 20 s self-deadlock; it changes no wire traffic.
    """
    importlib.import_module("specify_cli.sync.events").get_emitter()


def op_write_session(args: dict[str, Any]) -> Any:
    """Persist an authenticated session through the CLI's own TokenManager + encrypted store."""
    auth = importlib.import_module("specify_cli.auth")
    session_mod = importlib.import_module("specify_cli.auth.session")
    teams = [session_mod.Team.from_dict(team) for team in args["teams"]]
    now = datetime.now(UTC)
    session = session_mod.StoredSession(
        # Local admission records `email` as the account identity while the target check reads
        # `user_id`, so the two must be equal for any tracker call to pass.
        user_id=args["email"],
        email=args["email"],
        name=args.get("name", args["email"]),
        teams=teams,
        default_team_id=session_mod.pick_default_team_id(teams),
        access_token=args["access_token"],
        refresh_token=args["refresh_token"],
        session_id=args.get("session_id", "interop-session"),
        issued_at=now,
        access_token_expires_at=now + timedelta(seconds=int(args.get("expires_in", 8 * 3600))),
        refresh_token_expires_at=None,
        scope="offline_access",
        storage_backend="file",
        last_used_at=now,
        auth_method="device_code",
    )
    manager = auth.get_token_manager()
    manager.set_session(session)
    return {"authenticated": bool(manager.is_authenticated), "teams": [t.to_dict() for t in teams]}


def op_search(args: dict[str, Any]) -> Any:
    origin = importlib.import_module("specify_cli.tracker.origin")
    result = origin.search_origin_candidates(
        Path.cwd(),
        query_text=args.get("query_text"),
        query_key=args.get("query_key"),
        limit=int(args.get("limit", 10)),
    )
    return _jsonable(result)


def op_start_from_ticket(args: dict[str, Any]) -> Any:
    origin = importlib.import_module("specify_cli.tracker.origin")
    _prime_emitter()
    result = origin.start_mission_from_ticket(
        Path.cwd(),
        _candidate(args["candidate"]),
        args["provider"],
        args.get("resource_type", ""),
        args.get("resource_id", ""),
    )
    return _jsonable(result)


def op_bind(args: dict[str, Any]) -> Any:
    origin = importlib.import_module("specify_cli.tracker.origin")
    _prime_emitter()
    meta, event_emitted = origin.bind_mission_origin(
        Path(args["feature_dir"]).resolve(),
        _candidate(args["candidate"]),
        args["provider"],
        args.get("resource_type"),
        args.get("resource_id"),
    )
    return {"meta": _jsonable(meta), "event_emitted": bool(event_emitted)}


def op_read_meta(args: dict[str, Any]) -> Any:
    path = Path(args["feature_dir"]) / "meta.json"
    return json.loads(path.read_text(encoding="utf-8"))


OPERATIONS = {
    "write-session": op_write_session,
    "search": op_search,
    "start-from-ticket": op_start_from_ticket,
    "bind": op_bind,
    "read-meta": op_read_meta,
}


def main(argv: list[str]) -> int:
    operation, raw_args = argv[1], argv[2] if len(argv) > 2 else "{}"
    recorder = _HttpxRecorder()
    httpx_logger = logging.getLogger("httpx")
    httpx_logger.setLevel(logging.INFO)
    httpx_logger.addHandler(recorder)
    try:
        result = OPERATIONS[operation](json.loads(raw_args))
        document: dict[str, Any] = {"ok": True, "result": result}
    except Exception as exc:
        document = {
            "ok": False,
            "error": _describe_error(exc),
            "traceback": traceback.format_exc(),
        }
    document["http"] = recorder.calls
    sys.stdout.write("\n" + json.dumps(document) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
