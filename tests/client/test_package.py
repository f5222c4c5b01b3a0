"""The package surface: no import side effects, a curated `__all__`, product vocabulary."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import kitty_origin

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "client" / "kitty_origin"

# Imports third-party dependencies first, then traces everything importing kitty_origin does.
PROBE = r"""
import json, os, sys, threading
import httpx, pydantic, yaml, sqlite3, jsonschema, kitty_contracts, kitty_saas_api
import kitty_contracts.validation

seen = []
WATCHED = ("socket.", "sqlite3.connect", "os.mkdir", "os.remove", "os.rename", "os.putenv",
           "os.unsetenv", "subprocess.Popen", "os.fork", "_thread.start_new_thread")

def hook(event, args):
    if event == "open" and args[1] and any(c in str(args[1]) for c in "wax+"):
        seen.append(f"open-for-write {args[0]}")
    elif event.startswith(WATCHED):
        seen.append(event)

def note_env(key):
    caller = sys._getframe(2).f_globals.get("__name__", "")
    if caller.startswith("kitty_origin"):  # pydantic reads its own switches; not ours to judge
        seen.append(f"env {key} by {caller}")

class TracedEnviron(dict):
    def __getitem__(self, key):
        note_env(key); return super().__getitem__(key)
    def get(self, key, default=None):
        note_env(key); return super().get(key, default)
    def __contains__(self, key):
        note_env(key); return super().__contains__(key)

real_environ = os.environ
os.environ = TracedEnviron(real_environ)
threads = threading.active_count()
before = sorted(os.listdir("."))
sys.addaudithook(hook)
import kitty_origin
for name in ("settings", "errors", "retry", "transport", "tracker_client", "tracker_config",
             "origin", "missions", "meta_store", "events", "outbox", "ulid", "results"):
    __import__(f"kitty_origin.{name}")
os.environ = real_environ
print(json.dumps({"seen": seen, "threads": threading.active_count() - threads,
                  "files": sorted(os.listdir(".")) != before}))
"""


def test_importing_has_no_side_effects_nfr_002(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {"seen": [], "threads": 0, "files": False}


def test_all_is_curated_sorted_and_resolvable() -> None:
    names = kitty_origin.__all__
    assert names == sorted(names, key=lambda n: (not n.isupper(), n))  # constants first, as ruff
    assert len(names) == len(set(names))
    for name in names:
        assert getattr(kitty_origin, name) is not None
    public = {n for n in vars(kitty_origin) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(kitty_origin, n)).__name__ == "module"}
    assert public - modules == set(names)


def test_spec_signatures_of_the_service_methods() -> None:
    import inspect

    params = {
        "search_origin_candidates": ["repo_root", "query_text", "query_key", "limit"],
        "bind_mission_origin": ["feature_dir", "candidate", "provider", "resource_type",
                                "resource_id"],
        "start_mission_from_ticket": ["repo_root", "candidate", "provider", "resource_type",
                                      "resource_id", "mission_key"],
    }  # fmt: skip
    for name, expected in params.items():
        signature = inspect.signature(getattr(kitty_origin, name))
        positional = [
            p.name for p in signature.parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD
        ]
        assert positional == expected
    client_params = inspect.signature(kitty_origin.SaaSTrackerClient.search_issues).parameters
    assert client_params["limit"].default == 10


def _sources() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in CLIENT.glob("*.py")}


def test_no_cli_subcommands_are_added_c_005() -> None:
    for name, text in _sources().items():
        if name == "demo.py":
            continue
        assert not re.search(r"\b(argparse|click|typer)\b", text), name


def test_product_vocabulary_mission_and_tracker_authority_policy_c_003_c_004() -> None:
    readme = (ROOT / "client" / "README.md").read_text(encoding="utf-8")
    for name, text in {**_sources(), "README.md": readme}.items():
        assert "doctrine" not in text.lower(), name
        # "feature" only survives in implementation identifiers (feature_dir, feature_slug).
        prose = re.sub(r"feature_(dir|slug)|create-feature", "", text)
        assert not re.search(r"\bfeatures?\b", prose, re.IGNORECASE), name


def test_no_requirement_ids_in_production_code() -> None:
    for name, text in _sources().items():
        assert not re.search(r"\b(FR|NFR|C)-\d{3}\b", text), name


def test_only_the_contract_endpoints_are_called_c_006_c_008() -> None:
    text = "\n".join(_sources().values())
    assert "kitty_mock_saas" not in text
    assert not re.search(r"\.(post|put|patch|delete|get)\(\s*[\"']/", text)
    imported = set(re.findall(r"from kitty_saas_api\.api\.\w+ import (\w+)", text))
    assert imported == {"ingest_event_batch", "bind_mission_origin", "get_operation",
                        "search_issues", "unbind_mission_origin", "get_mission_origin",
                        "list_ticket_missions", "refresh_mission_origin",
                        "sync_mission_origin_status", "get_mission_origin_status",
                        "draft_spec_from_issue"}  # fmt: skip
