"""Teams, users, linked identities and resource mappings: who may search and bind where.

The lookups every request makes (user by token, team, policy, mapping, linked token) are
remembered per database until anything commits to it (`Database.memo`): a search asked SQLite
five questions whose answers change only on a reset, a snapshot restore or a fixture load.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kitty_mock_saas.fixtures import DEFAULT_ORIGIN_PROVIDERS, Fixtures

from .db import Database

SEEDED_KEY = "seeded"


@dataclass(frozen=True)
class User:
    id: str
    email: str
    name: str


@dataclass(frozen=True)
class Team:
    id: str
    slug: str
    name: str
    is_private: bool


@dataclass(frozen=True)
class ResourceMapping:
    team_id: str
    provider: str
    project_slug: str
    binding_ref: str | None
    resource_type: str
    resource_id: str
    container_key: str


def seed(db: Database, fixtures: Fixtures) -> bool:
    """Load the fixtures once per state database; False when it was seeded before."""
    with db.write() as conn:
        if conn.execute("SELECT 1 FROM meta WHERE key = ?", (SEEDED_KEY,)).fetchone():
            return False
        team_ids = {t.slug: t.id for t in fixtures.teams}
        conn.executemany(
            "INSERT INTO teams (id, slug, name, is_private) VALUES (?, ?, ?, ?)",
            [(t.id, t.slug, t.name, int(t.private)) for t in fixtures.teams],
        )
        conn.executemany(
            "INSERT INTO team_origin_providers (team_id, provider) VALUES (?, ?)",
            [(t.id, p.value) for t in fixtures.teams for p in t.origin_providers],
        )
        for user in fixtures.users:
            conn.execute(
                "INSERT INTO users (id, email, name, token, refresh_token) VALUES (?, ?, ?, ?, ?)",
                (user.id, user.email, user.name, user.token, user.refresh_token),
            )
            conn.executemany(
                "INSERT INTO memberships (user_id, team_id) VALUES (?, ?)",
                [(user.id, team_ids[slug]) for slug in user.teams],
            )
            conn.executemany(
                "INSERT INTO user_links (user_id, provider, provider_token) VALUES (?, ?, ?)",
                [(user.id, provider.value, token) for provider, token in user.links.items()],
            )
        conn.executemany(
            "INSERT INTO resource_mappings (team_id, provider, project_slug, binding_ref,"
            " resource_type, resource_id, container_key) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    team_ids[m.team],
                    m.provider.value,
                    m.project_slug,
                    m.binding_ref,
                    m.resource_type.value,
                    m.resource_id,
                    m.container,
                )
                for m in fixtures.resource_mappings
            ],
        )
        conn.execute("INSERT INTO meta (key, value) VALUES (?, '1')", (SEEDED_KEY,))
    return True


def user_by_token(db: Database, token: str) -> User | None:
    return db.memo(("user_by_token", token), lambda: _user_by_token(db, token))


def _user_by_token(db: Database, token: str) -> User | None:
    with db.read() as conn:
        row = conn.execute("SELECT id, email, name FROM users WHERE token = ?", (token,)).fetchone()
    return User(row["id"], row["email"], row["name"]) if row else None


def team_of_member(db: Database, user_id: str, team_ref: str) -> Team | None:
    """The team named by id or slug (upstream sends the id), if `user_id` is a member."""
    return db.memo(
        ("team_of_member", user_id, team_ref), lambda: _team_of_member(db, user_id, team_ref)
    )


def _team_of_member(db: Database, user_id: str, team_ref: str) -> Team | None:
    with db.read() as conn:
        row = conn.execute(
            "SELECT t.id, t.slug, t.name, t.is_private FROM teams t"
            " JOIN memberships m ON m.team_id = t.id"
            " WHERE m.user_id = ? AND (t.id = ? OR t.slug = ?)",
            (user_id, team_ref, team_ref),
        ).fetchone()
    return Team(row["id"], row["slug"], row["name"], bool(row["is_private"])) if row else None


def team_by_id(db: Database, team_id: str) -> Team | None:
    with db.read() as conn:
        row = conn.execute(
            "SELECT id, slug, name, is_private FROM teams WHERE id = ?", (team_id,)
        ).fetchone()
    return Team(row["id"], row["slug"], row["name"], bool(row["is_private"])) if row else None


def teams_of(db: Database, user_id: str) -> list[Team]:
    """Every team the user belongs to, private teamspaces first."""
    with db.read() as conn:
        rows = conn.execute(
            "SELECT t.id, t.slug, t.name, t.is_private FROM teams t"
            " JOIN memberships m ON m.team_id = t.id WHERE m.user_id = ?"
            " ORDER BY t.is_private DESC, t.slug",
            (user_id,),
        ).fetchall()
    return [Team(r["id"], r["slug"], r["name"], bool(r["is_private"])) for r in rows]


def access_token_for_refresh(db: Database, refresh_token: str) -> str | None:
    """The access token a refresh token renews (the mock keeps one token per user)."""
    with db.read() as conn:
        row = conn.execute(
            "SELECT token FROM users WHERE refresh_token = ?", (refresh_token,)
        ).fetchone()
    return str(row["token"]) if row else None


def origin_providers(db: Database, team_id: str) -> list[str]:
    """The providers the team's policy allows as mission origins, sorted."""
    return list(db.memo(("origin_providers", team_id), lambda: _origin_providers(db, team_id)))


def _origin_providers(db: Database, team_id: str) -> tuple[str, ...]:
    with db.read() as conn:
        rows = conn.execute(
            "SELECT provider FROM team_origin_providers WHERE team_id = ? ORDER BY provider",
            (team_id,),
        ).fetchall()
    if not rows:
        return tuple(sorted(p.value for p in DEFAULT_ORIGIN_PROVIDERS))
    return tuple(str(r["provider"]) for r in rows)


def set_origin_providers(db: Database, team_ref: str, providers: list[str]) -> Team | None:
    """Replace the policy of the team named by id or slug; None when there is no such team."""
    with db.write() as conn:
        row = conn.execute(
            "SELECT id, slug, name, is_private FROM teams WHERE id = ? OR slug = ?",
            (team_ref, team_ref),
        ).fetchone()
        if row is None:
            return None
        conn.execute("DELETE FROM team_origin_providers WHERE team_id = ?", (row["id"],))
        conn.executemany(
            "INSERT INTO team_origin_providers (team_id, provider) VALUES (?, ?)",
            [(row["id"], provider) for provider in sorted(set(providers))],
        )
    return Team(row["id"], row["slug"], row["name"], bool(row["is_private"]))


def linked_token(db: Database, user_id: str, provider: str) -> str | None:
    """The provider access token of the user's linked identity, if linked."""
    return db.memo(
        ("linked_token", user_id, provider), lambda: _linked_token(db, user_id, provider)
    )


def _linked_token(db: Database, user_id: str, provider: str) -> str | None:
    with db.read() as conn:
        row = conn.execute(
            "SELECT provider_token FROM user_links WHERE user_id = ? AND provider = ?",
            (user_id, provider),
        ).fetchone()
    return str(row["provider_token"]) if row else None


def find_mapping(
    db: Database, team_id: str, provider: str, *, project_slug: str | None, binding_ref: str | None
) -> ResourceMapping | None:
    """The team's mapping for the provider, by binding_ref (preferred) or project slug."""
    return db.memo(
        ("find_mapping", team_id, provider, project_slug, binding_ref),
        lambda: _find_mapping(db, team_id, provider, project_slug, binding_ref),
    )


def _find_mapping(
    db: Database, team_id: str, provider: str, project_slug: str | None, binding_ref: str | None
) -> ResourceMapping | None:
    with db.read() as conn:
        if binding_ref is not None:
            row = conn.execute(
                "SELECT * FROM resource_mappings WHERE team_id = ? AND provider = ? AND binding_ref = ?",
                (team_id, provider, binding_ref),
            ).fetchone()
        else:
            row = conn.execute(
                "SELECT * FROM resource_mappings WHERE team_id = ? AND provider = ? AND project_slug = ?",
                (team_id, provider, project_slug),
            ).fetchone()
    if row is None:
        return None
    return _mapping(row)


def mapping_of_resource(
    db: Database, team_id: str, provider: str, resource_type: str, resource_id: str
) -> ResourceMapping | None:
    """The team's mapping to this container (the routing an origin link was bound under)."""
    with db.read() as conn:
        row = conn.execute(
            "SELECT * FROM resource_mappings WHERE team_id = ? AND provider = ?"
            " AND resource_type = ? AND resource_id = ? ORDER BY project_slug LIMIT 1",
            (team_id, provider, resource_type, resource_id),
        ).fetchone()
    return _mapping(row) if row is not None else None


def _mapping(row: Any) -> ResourceMapping:
    return ResourceMapping(
        row["team_id"],
        row["provider"],
        row["project_slug"],
        row["binding_ref"],
        row["resource_type"],
        row["resource_id"],
        row["container_key"],
    )


def overview(db: Database) -> dict[str, list[dict[str, object]]]:
    """Teams, users (with linked providers and teams) and mappings, for the admin API."""
    with db.read() as conn:
        teams = [
            dict(r)
            for r in conn.execute("SELECT id, slug, name, is_private FROM teams ORDER BY slug")
        ]
        users = []
        for row in conn.execute("SELECT id, email, name FROM users ORDER BY id").fetchall():
            links = [
                r["provider"]
                for r in conn.execute(
                    "SELECT provider FROM user_links WHERE user_id = ? ORDER BY provider",
                    (row["id"],),
                )
            ]
            member_of = [
                r["slug"]
                for r in conn.execute(
                    "SELECT t.slug FROM teams t JOIN memberships m ON m.team_id = t.id"
                    " WHERE m.user_id = ? ORDER BY t.slug",
                    (row["id"],),
                )
            ]
            users.append({**dict(row), "linked_providers": links, "teams": member_of})
        mappings = [
            dict(r)
            for r in conn.execute(
                "SELECT team_id, provider, project_slug, binding_ref, resource_type, resource_id,"
                " container_key FROM resource_mappings ORDER BY team_id, provider, project_slug"
            )
        ]
    for team in teams:
        team["is_private"] = bool(team["is_private"])
    return {"teams": teams, "users": users, "resource_mappings": mappings}
