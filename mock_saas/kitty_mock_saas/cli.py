"""`kitty-mock-saas`: run the mock SaaS on 127.0.0.1."""

from __future__ import annotations

import argparse
import errno
import json
import os
import signal
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from . import cli_args as types
from .admin_token import (
    DOCUMENTED_DEFAULT,
    new_admin_token,
    remove_token_file,
    token_file,
    write_token_file,
)
from .cli_db import EXIT_UNREACHABLE, DbCommandError, db_command
from .cli_parser import build_parser
from .fixtures import FixtureError
from .settings import MEMORY, MockSettings
from .state import StateVersionError
from .state.db import database_label
from .store import StoreUnavailable

if TYPE_CHECKING:
    from .process import MockProcess


class CliError(Exception):
    """A one-line error for the user, with the exit code scripts can trust."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket; exit 3 with the fix when another server listens there."""
    from .server import listening_socket

    try:
        return listening_socket(host, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CliError(
                f"port {port} on {host} is in use; stop the other server or pass --port 0", 3
            ) from None
        raise CliError(f"cannot listen on {host}:{port}: {exc.strerror}", 3) from None


def _admin_token(args: argparse.Namespace) -> tuple[str, str]:
    """(token, where it came from): the given one (flag or variable), else a random one. The
    documented default is refused off loopback: anyone who can reach the port could use it."""
    if args.admin_token:
        source = args.env_sources.get("admin_token", "--admin-token")
        token = str(args.admin_token)
    else:
        source, token = "generated", new_admin_token()
    if token == DOCUMENTED_DEFAULT and not types.is_loopback(args.host):
        raise CliError(
            f"--host {args.host} is reachable from other machines and the admin token is the "
            f"documented default {DOCUMENTED_DEFAULT!r}: pass --admin-token with a secret of your "
            "own, or leave it out for a random one"
        )
    return token, source


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(0)


def serve(args: argparse.Namespace, console: Console) -> int:
    if args.database is not None and args.state != MEMORY:
        raise CliError("--state and --database name two places for one state: give one of them")
    if args.workers > 1 and args.state == MEMORY and args.database is None:
        raise CliError("--workers > 1 needs a shared state file: add --state .state/mock.db")
    if args.start_fakes and args.trackers is None:
        raise CliError("--start-fakes needs --trackers FILE (e.g. config/task_trackers.yaml)")
    from .fakes_up import stop_fakes

    token, source = _admin_token(args)
    fakes = _start_fakes(args.trackers) if args.start_fakes else []
    try:
        return _serve(args, token, source, fakes)
    finally:
        stop_fakes(fakes)


def _start_fakes(path: Path) -> list[MockProcess]:
    from .connectors import TrackerConfigError
    from .fakes_up import FakesError, start_fakes

    try:
        return start_fakes(path)
    except (FakesError, TrackerConfigError) as exc:
        raise CliError(str(exc)) from None


def _serve(args: argparse.Namespace, token: str, source: str, fakes: list[MockProcess]) -> int:
    from .app import create_app
    from .banner import AdminTokenInfo, render_banner
    from .replay import RecordingError
    from .request_log import enable_request_log
    from .server import run

    sock = _listen(args.host, args.port)
    port = int(sock.getsockname()[1])
    settings = MockSettings.from_env(
        state_path=args.state,
        database_url=args.database,
        fixtures_path=args.fixtures,
        corpus=args.corpus,
        admin_token=token,
        async_bind=args.async_bind or None,
        keep_alive_seconds=args.keep_alive,
        validate_responses=False if args.no_response_validation else None,
        dashboard_public=args.dashboard_public or None,
        sandbox_idle_ttl_seconds=args.sandbox_ttl,
        replay_dir=args.replay,
        task_trackers_path=args.trackers,
        log_requests=args.log_requests or None,
    )
    # Seeding (and corpus generation) happens once here, before any worker starts.
    try:
        app = create_app(settings)
    except RecordingError as exc:
        raise CliError(f"--replay: {exc}") from None
    token_path = args.admin_token_file or token_file(port)
    try:
        write_token_file(token_path, token)
        admin = AdminTokenInfo(token=token, source=source, file=str(token_path))
    except OSError as exc:  # a read-only home: the banner still shows the token
        unwritten = f"{source}; not written to {token_path}: {exc.strerror}"
        admin = AdminTokenInfo(token=token, source=unwritten, file=None)
    url = f"http://{args.host}:{port}"
    routes = app.state.runtime.trackers.routes()
    if args.json:
        state = (
            database_label(settings.database_url) if settings.database_url else settings.state_path
        )
        startup = {"url": url, "state": state, "workers": args.workers}
        print(json.dumps({**startup, "trackers": routes, "admin_token": admin.token}), flush=True)
    banner = render_banner(
        url=url,
        settings=settings,
        fixtures=app.state.runtime.fixtures,
        workers=args.workers,
        trackers=routes,
        admin=admin,
        trackers_source=(
            f"as {settings.task_trackers_path} says"
            + (f"; {len(fakes)} fake(s) started with it" if fakes else "")
            if settings.task_trackers_path
            else "no --trackers file: all embedded"
        ),
    )
    print(banner, file=sys.stderr, flush=True)
    if settings.log_requests:
        enable_request_log()
    # uvicorn re-raises SIGTERM after its graceful stop; as an exit it still runs `finally`.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        if args.workers == 1:
            run(app, sock, workers=1, keep_alive_seconds=settings.keep_alive_seconds)
        else:
            os.environ.update(settings.to_env())  # noqa: TID251 - hands the settings to worker processes
            run(
                "kitty_mock_saas.asgi:app_from_env",
                sock,
                workers=args.workers,
                keep_alive_seconds=settings.keep_alive_seconds,
            )
    finally:
        remove_token_file(token_path, admin.token)
    return 0


def proxy(args: argparse.Namespace, console: Console) -> int:
    from .proxy import ValidatingProxy
    from .server import run
    from .settings import ProxySettings

    upstream = str(args.upstream)
    if not upstream.startswith(("http://", "https://")):
        raise CliError(f"--upstream must be an http:// or https:// URL, not {upstream!r}")
    settings = ProxySettings(
        upstream_url=upstream, strict=args.strict, record_dir=args.record, report_path=args.report
    )
    sock = _listen(args.host, args.port)
    url = f"http://{args.host}:{int(sock.getsockname()[1])}"
    app = ValidatingProxy(settings, announce=lambda line: print(line, file=sys.stderr, flush=True))
    if args.json:
        print(json.dumps({"url": url, "upstream": upstream, "strict": args.strict}), flush=True)
    else:
        console.print(
            f"[bold green]kitty-mock-saas proxy[/] on [link={url}]{url}[/] -> {upstream} "
            f"({'strict' if args.strict else 'reporting'}; findings at {url}/__proxy/)"
        )
    run(app, sock, workers=1, keep_alive_seconds=5.0, own_headers=False)
    return 0


def tracker_fake(args: argparse.Namespace, console: Console) -> int:
    from kitty_contracts import Provider

    from .server import run
    from .tracker_fakes.server import create_tracker_fake

    app = create_tracker_fake(
        Provider(args.provider), world_path=args.world, check_contract=args.check_contract
    )
    sock = _listen(args.host, args.port)
    url = f"http://{args.host}:{int(sock.getsockname()[1])}"
    if args.json:
        print(json.dumps({"url": url, "provider": args.provider}), flush=True)
    else:
        console.print(
            f"[bold green]kitty-mock-saas tracker-fake[/] {args.provider} on "
            f"[link={url}]{url}[/] (world: {args.world or 'in memory'}); Ctrl-C stops it"
        )
    run(app, sock, workers=1, keep_alive_seconds=5.0)
    return 0


def db(args: argparse.Namespace, console: Console) -> int:
    try:
        code, output = db_command(args)
    except DbCommandError as exc:
        raise CliError(str(exc), exc.exit_code) from None
    print(output)
    return code


COMMANDS = {"serve": serve, "proxy": proxy, "tracker-fake": tracker_fake, "db": db}


def main(argv: list[str] | None = None) -> int:
    try:
        parser = build_parser()
    except types.EnvDefaultError as exc:
        print(f"kitty-mock-saas: error: {exc}", file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    console = Console(stderr=True)
    try:
        return COMMANDS[args.command](args, console)
    except (FixtureError, StateVersionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except StoreUnavailable as exc:
        print(f"error: the state database: {exc}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
