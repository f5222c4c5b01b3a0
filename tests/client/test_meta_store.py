"""meta.json: the one atomic, validated writer; additive origin_ticket; crash safety."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from kitty_contracts import OriginTicket
from kitty_origin import MissionMetaError, read_meta, set_origin_ticket, write_meta
from kitty_origin.meta_store import open_temp_file, update_meta

META: dict[str, Any] = {
    "mission_id": "01JD8X4ZQK5M7N9P2R3S4T5V6W",
    "slug": "061-web-123-add-clerk-auth",
    "mission_slug": "061-web-123-add-clerk-auth",
    "mission_number": 61,
    "friendly_name": "Add Clerk auth",
    "mission_type": "software-dev",
    "target_branch": "main",
    "created_at": "2026-04-01T09:30:00Z",
    "purpose_tldr": "kept by other tools",
}
TICKET = OriginTicket.model_validate(
    {
        "provider": "linear",
        "resource_type": "linear_team",
        "resource_id": "8f6b2c1e-4a5d-4e2b-9c3f-1a2b3c4d5e6f",
        "external_issue_id": "5b1e8a2c-3d4f-4a6b-8c9d-0e1f2a3b4c5d",
        "external_issue_key": "WEB-123",
        "external_issue_url": "https://linear.app/acme/issue/WEB-123/add-clerk-auth",
        "title": "Add Clerk auth",
    }
)


def test_write_meta_is_sorted_two_space_json_with_newline(tmp_path: Path) -> None:
    write_meta(tmp_path, META)
    text = (tmp_path / "meta.json").read_text(encoding="utf-8")
    assert text == json.dumps(META, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert [p.name for p in tmp_path.iterdir()] == ["meta.json"], "no temp file left behind"


def test_invalid_meta_is_refused_and_the_old_file_kept(tmp_path: Path) -> None:
    write_meta(tmp_path, META)
    before = (tmp_path / "meta.json").read_bytes()
    for broken in ({**META, "mission_id": "nope"}, {k: v for k, v in META.items() if k != "slug"}):
        with pytest.raises(MissionMetaError):
            write_meta(tmp_path, broken)
    assert (tmp_path / "meta.json").read_bytes() == before


def test_read_meta_fails_closed(tmp_path: Path) -> None:
    with pytest.raises(MissionMetaError, match=r"no meta\.json"):
        read_meta(tmp_path)
    (tmp_path / "meta.json").write_text("{torn", encoding="utf-8")
    with pytest.raises(MissionMetaError, match="JSON"):
        read_meta(tmp_path)


def test_set_origin_ticket_is_additive_fr_004_fr_017(tmp_path: Path) -> None:
    write_meta(tmp_path, META)
    meta = set_origin_ticket(tmp_path, TICKET)
    stored = json.loads((tmp_path / "meta.json").read_text(encoding="utf-8"))
    assert stored == {**META, "origin_ticket": TICKET.model_dump(mode="json")}
    assert meta.origin_ticket == TICKET


def test_origin_ticket_holds_exactly_the_spec_fields_fr_005_fr_015(tmp_path: Path) -> None:
    write_meta(tmp_path, META)
    set_origin_ticket(tmp_path, TICKET)
    block = json.loads((tmp_path / "meta.json").read_text(encoding="utf-8"))["origin_ticket"]
    assert set(block) == {
        "provider", "resource_type", "resource_id", "external_issue_id",
        "external_issue_key", "external_issue_url", "title",
    }  # fmt: skip
    assert not any("origin_link" in key or key == "id" for key in block)


def test_invalid_origin_ticket_is_refused(tmp_path: Path) -> None:
    write_meta(tmp_path, META)
    broken = TICKET.model_copy(update={"external_issue_url": "not a uri"})
    with pytest.raises(MissionMetaError, match="origin_ticket"):
        set_origin_ticket(tmp_path, broken)


def _writer(directory: str) -> None:
    # Alternates two large contents as fast as it can until killed.
    contents = [{**META, "blob": "a" * 200_000}, {**META, "blob": "b" * 300_000}]
    n = 0
    while True:
        write_meta(Path(directory), contents[n % 2])
        n += 1


def test_killed_writer_never_leaves_a_torn_meta_json(tmp_path: Path) -> None:
    write_meta(tmp_path, META)
    allowed = {"a" * 200_000, "b" * 300_000, None}
    context = multiprocessing.get_context("fork")
    rng = random.Random(61)
    for _ in range(50):
        child = context.Process(target=_writer, args=(str(tmp_path),))
        child.start()
        time.sleep(rng.uniform(0.0, 0.02))
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        stored = json.loads((tmp_path / "meta.json").read_bytes())
        assert stored.get("blob") in allowed
        assert read_meta(tmp_path).mission_id == META["mission_id"]


def _counter(directory: str, name: str, times: int) -> None:
    for i in range(times):

        def bump(raw: dict[str, Any], value: int = i) -> dict[str, Any]:
            return {**raw, name: value}

        update_meta(Path(directory), bump)
    os._exit(0)


def test_concurrent_read_modify_write_loses_no_update(tmp_path: Path) -> None:
    write_meta(tmp_path, META)
    context = multiprocessing.get_context("fork")
    names = [f"writer_{n}" for n in range(4)]
    children = [context.Process(target=_counter, args=(str(tmp_path), n, 10)) for n in names]
    for child in children:
        child.start()
    for child in children:
        child.join()
    stored = json.loads((tmp_path / "meta.json").read_bytes())
    assert {name: stored[name] for name in names} == dict.fromkeys(names, 9)


def _stuck_writer(directory: str) -> None:
    # Opens its temp file like a real write, then hangs as if killed mid-write.
    fd, _ = open_temp_file(Path(directory) / "meta.json")
    os.write(fd, b"{partial")
    time.sleep(60)


def test_a_writer_killed_mid_write_leaves_no_temp_file_after_the_next_write_issue_10(
    tmp_path: Path,
) -> None:
    write_meta(tmp_path, META)
    context = multiprocessing.get_context("fork")
    stuck = context.Process(target=_stuck_writer, args=(str(tmp_path),))
    stuck.start()
    while not list(tmp_path.glob(".meta.json.*.tmp")):
        time.sleep(0.01)
    rng = random.Random(10)
    for _ in range(20):  # plus writers killed at random points of real writes
        child = context.Process(target=_writer, args=(str(tmp_path),))
        child.start()
        time.sleep(rng.uniform(0.0, 0.02))
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)
        child.join()
    assert stuck.pid is not None
    os.kill(stuck.pid, signal.SIGKILL)
    stuck.join()
    assert list(tmp_path.glob(".meta.json.*.tmp"))  # the debris a crash leaves

    write_meta(tmp_path, {**META, "friendly_name": "after the crash"})

    assert list(tmp_path.glob(".meta.json.*.tmp")) == []
    assert read_meta(tmp_path).friendly_name == "after the crash"


def test_a_live_writer_s_temp_file_is_left_alone(tmp_path: Path) -> None:
    write_meta(tmp_path, META)
    fd, name = open_temp_file(tmp_path / "meta.json")  # this process is alive: not stale
    os.close(fd)
    write_meta(tmp_path, META)
    assert Path(name).exists()
