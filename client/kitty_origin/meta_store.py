"""`meta.json`: the one writer (atomic, durable, validated) and its read-modify-write helpers.

A write is: validate against the contract's `MissionMeta` → serialize (sorted keys, 2-space
indent, trailing newline) → temp file in the same directory → fsync → `os.replace` → fsync of
the directory. Temp files carry the writer's pid (`.meta.json.<pid>.<random>.tmp`); each write
first removes those whose writer is dead (killed mid-write), so no debris outlives a crash. A reader therefore sees the old file or the new one, never a torn or empty one,
even if the writer is killed. Read-modify-write runs under an exclusive `flock` on the mission
directory, so concurrent writers from several processes do not lose each other's updates.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from jsonschema.exceptions import best_match
from kitty_contracts import MissionMeta
from kitty_contracts.validation import validator
from pydantic import ValidationError

from .errors import MissionMetaError
from .paths import StrPath, as_path

META_FILENAME = "meta.json"
# A temp file without a writer pid (older writers) is stale once it is this old.
UNNAMED_TEMP_STALE_SECONDS = 60.0


def meta_path(feature_dir: Path) -> Path:
    """The mission's `meta.json`."""
    return feature_dir / META_FILENAME


def serialize_meta(meta: Mapping[str, Any]) -> bytes:
    """The canonical bytes of a `meta.json`."""
    text = json.dumps(meta, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return text.encode("utf-8")


def validate_meta(raw: Mapping[str, Any], *, where: str = META_FILENAME) -> MissionMeta:
    """Check a meta mapping against the contract and build the model (unknown keys kept).

    Raises:
        MissionMetaError: the mapping breaks `MissionMeta`.
    """
    error = best_match(validator("MissionMeta").iter_errors(dict(raw)))
    if error is not None:
        field = ".".join(str(p) for p in error.absolute_path) or "<root>"
        raise MissionMetaError(f"{where}: field `{field}` is invalid: {error.message}")
    try:
        return MissionMeta.model_validate(dict(raw))
    except ValidationError as exc:
        raise MissionMetaError(f"{where}: {exc}") from exc


def read_meta_raw(feature_dir: Path) -> dict[str, Any]:
    """The stored `meta.json` as a mapping, fail-closed.

    Raises:
        MissionMetaError: missing, unreadable, not JSON or not an object.
    """
    path = meta_path(feature_dir)
    try:
        raw = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise MissionMetaError(f"{path}: no meta.json; is this a mission directory?") from None
    except (OSError, ValueError) as exc:
        raise MissionMetaError(f"{path}: cannot be read as JSON ({exc})") from exc
    if not isinstance(raw, dict):
        raise MissionMetaError(f"{path}: the top level must be a JSON object")
    return raw


def read_meta(feature_dir: StrPath) -> MissionMeta:
    """The mission's validated `meta.json`.

    Raises:
        MissionMetaError: missing, unreadable or breaks the contract.
    """
    feature_dir = as_path(feature_dir)
    return validate_meta(read_meta_raw(feature_dir), where=str(meta_path(feature_dir)))


def write_meta(feature_dir: StrPath, meta: MissionMeta | Mapping[str, Any]) -> MissionMeta:
    """Validate and atomically, durably replace the mission's `meta.json`.

    Raises:
        MissionMetaError: the content breaks `MissionMeta` (nothing is written), or the file
            system refused the write (the old file is intact).
    """
    feature_dir = as_path(feature_dir)
    raw = meta.model_dump(mode="json") if isinstance(meta, MissionMeta) else dict(meta)
    model = validate_meta(raw, where=str(meta_path(feature_dir)))
    try:
        _atomic_write(meta_path(feature_dir), serialize_meta(raw))
    except OSError as exc:
        raise MissionMetaError(f"{meta_path(feature_dir)}: cannot be written ({exc})") from exc
    return model


def update_meta(
    feature_dir: Path, mutate: Callable[[dict[str, Any]], dict[str, Any]]
) -> MissionMeta:
    """Read-modify-write of `meta.json` under the mission directory's inter-process lock."""
    with mission_lock(feature_dir):
        return write_meta(feature_dir, mutate(read_meta_raw(feature_dir)))


@contextlib.contextmanager
def mission_lock(directory: Path) -> Iterator[None]:
    """An exclusive `flock` on a directory, held for the block (released if the process dies).

    Raises:
        MissionMetaError: the directory cannot be opened.
    """
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError as exc:
        raise MissionMetaError(f"{directory}: cannot be locked ({exc})") from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def open_temp_file(path: Path) -> tuple[int, str]:
    """A new temp file next to `path`, named after this writer's pid: (fd, name)."""
    return tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)


def remove_stale_temp_files(path: Path) -> list[Path]:
    """Remove the temp files of `path` whose writer died before renaming them; returns them."""
    removed = []
    prefix = f".{path.name}."
    for entry in path.parent.glob(f"{glob_escape(prefix)}*.tmp"):
        writer = entry.name[len(prefix) : -len(".tmp")].split(".", 1)[0]
        if writer.isdigit():
            stale = not _process_alive(int(writer))
        else:
            try:
                stale = time.time() - entry.stat().st_mtime > UNNAMED_TEMP_STALE_SECONDS
            except FileNotFoundError:
                continue
        if stale:
            with contextlib.suppress(FileNotFoundError):
                entry.unlink()
                removed.append(entry)
    return removed


def glob_escape(text: str) -> str:
    """`text` with glob metacharacters taken literally."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def _atomic_write(path: Path, data: bytes) -> None:
    remove_stale_temp_files(path)
    fd, tmp_name = open_temp_file(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    # The rename itself is only durable once the directory entry is on disk.
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
