"""A process that edits one ticket of a world file again and again, for the kill -9 tests.

python -m tests.reliability.world_editor WORLD KEY NAME
    open the world at WORLD (seeding it if needed), then set the title of Linear ticket KEY to
    `edited NAMEvNNNNNN` for N = 1, 2, ... and print N after each edit returned; bounded.
"""

from __future__ import annotations

import sys

from kitty_contracts import Provider
from kitty_mock_saas.tracker_fakes.world import TrackerWorld, seed_default_world
from kitty_mock_saas.tracker_fakes.world.edits import TicketChanges

EDITS = 100_000  # far more than any test waits for


def title(name: str, number: int) -> str:
    return f"edited {name}v{number:06d}"


def main(path: str, key: str, name: str) -> None:
    world = TrackerWorld(path)
    seed_default_world(world)
    print("ready", flush=True)
    for number in range(1, EDITS + 1):
        world.edit_ticket(Provider.linear, key, TicketChanges.of(title=title(name, number)))
        print(number, flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
