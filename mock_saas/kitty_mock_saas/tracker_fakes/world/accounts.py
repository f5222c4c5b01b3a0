"""The accounts of each provider: who a token acts as, who is assigned, who wrote a comment.

Identities (tokens) point at accounts; an account may have no token (a colleague one can
assign but never act as). Accounts are part of the seeded world: a reset keeps them.
"""

from __future__ import annotations

from kitty_contracts import Provider

from .models import Account
from .rows import WorldParts

__all__ = ["Accounts"]

_COLUMNS = "provider, account_id, display_name, email, login, is_app"


class Accounts(WorldParts):
    """The accounts half of `TrackerWorld` (a mixin over the store's connection)."""

    def add_account(self, account: Account) -> Account:
        """Add (or replace) an account; returns it."""
        with self._write() as db:
            db.execute(
                f"INSERT INTO accounts ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (provider, account_id) DO UPDATE SET "
                "display_name = excluded.display_name, email = excluded.email, "
                "login = excluded.login, is_app = excluded.is_app",
                (
                    account.provider.value,
                    account.account_id,
                    account.display_name,
                    account.email,
                    account.login,
                    int(account.is_app),
                ),
            )
        return account

    def accounts(self, provider: Provider) -> list[Account]:
        """Every account of `provider`, people before apps, by display name."""
        return list(self._remembered(("accounts", provider), lambda: self._accounts(provider)))

    def _accounts(self, provider: Provider) -> tuple[Account, ...]:
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM accounts WHERE provider = ? "
            "ORDER BY is_app, display_name, account_id",
            (provider.value,),
        )
        return tuple(_account(row) for row in rows)

    def account(self, provider: Provider, account_id: str) -> Account | None:
        """The account with this id, or None."""
        for found in self.accounts(provider):
            if found.account_id == account_id:
                return found
        return None

    def account_by_login(self, provider: Provider, login: str) -> Account | None:
        """The account with this login (GitHub, Linear user name), case-insensitively."""
        wanted = login.casefold()
        for found in self.accounts(provider):
            if found.login is not None and found.login.casefold() == wanted:
                return found
        return None

    def account_by_email(self, provider: Provider, email: str) -> Account | None:
        """The account with this email address, case-insensitively."""
        wanted = email.casefold()
        for found in self.accounts(provider):
            if found.email is not None and found.email.casefold() == wanted:
                return found
        return None

    def _require_account(self, provider: Provider, account_id: str | None) -> None:
        if account_id is not None and self.account(provider, account_id) is None:
            raise LookupError(f"no {provider.value} account {account_id!r}")


def _account(row: tuple[object, ...]) -> Account:
    return Account(
        provider=Provider(str(row[0])),
        account_id=str(row[1]),
        display_name=str(row[2]),
        email=None if row[3] is None else str(row[3]),
        login=None if row[4] is None else str(row[4]),
        is_app=bool(row[5]),
    )
