"""A cached venv holding exactly one pinned PyPI package, for the interop suites: built with the
ordinary pip client, rebuilt when missing or different, shared by parallel pytest runs."""

from __future__ import annotations

import contextlib
import fcntl
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

__all__ = ["PackageUnavailableError", "ensure_pinned_venv", "venv_python"]

_READY_MARKER = ".interop-ready"


class PackageUnavailableError(RuntimeError):
    """The pinned package could not be installed (typically: no route to PyPI)."""


def venv_python(venv_dir: Path) -> Path:
    return venv_dir / "bin" / "python"


def _installed_version(python: Path, package: str, probe_module: str) -> str | None:
    probe = [
        str(python),
        "-c",
        f"import importlib.metadata as m, {probe_module}; print(m.version({package!r}))",
    ]
    try:
        done = subprocess.run(probe, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Serialises concurrent installs (parallel pytest runs share the cached venv)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_pinned_venv(
    venv_dir: Path,
    package: str,
    version: str,
    *,
    probe_module: str,
    install_timeout: float,
    unavailable: type[PackageUnavailableError] = PackageUnavailableError,
) -> Path:
    """The python of a venv holding exactly `package==version` (`probe_module` importable).

    Reuses the cached venv when its marker and installed version agree; otherwise rebuilds it.
    Raises `unavailable` when the install fails.
    """
    python = venv_python(venv_dir)
    marker = venv_dir / _READY_MARKER
    with _file_lock(venv_dir.parent / f"{venv_dir.name}.lock"):
        cached = marker.is_file() and marker.read_text().strip() == version
        if cached and _installed_version(python, package, probe_module) == version:
            return python
        shutil.rmtree(venv_dir, ignore_errors=True)
        steps = [
            [sys.executable, "-m", "venv", str(venv_dir)],
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                f"{package}=={version}",
            ],
        ]
        for command in steps:
            try:
                done = subprocess.run(
                    command, capture_output=True, text=True, timeout=install_timeout, check=False
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise unavailable(f"{command[:3]} failed: {exc}") from exc
            if done.returncode != 0:
                raise unavailable(
                    f"{' '.join(command[:4])} exited {done.returncode}:\n{done.stderr[-4000:]}"
                )
        installed = _installed_version(python, package, probe_module)
        if installed != version:
            raise unavailable(f"{package} {installed!r} importable in {venv_dir}")
        marker.write_text(version + "\n")
        return python
