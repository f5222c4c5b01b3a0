"""The few SQL fragments SQLite and PostgreSQL spell differently.

Everything else (upserts with `ON CONFLICT`, `RETURNING`, placeholders) is written once in the
form both accept; a fragment belongs here only when no common spelling exists.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    name: str

    def json_array_has(self, array_column: str, value: str) -> str:
        """A condition: the JSON array of strings in `array_column` holds `value` (an SQL
        expression, usually a placeholder)."""
        if self.name == "sqlite":
            return (
                f"EXISTS (SELECT 1 FROM json_each({array_column}) WHERE json_each.value = {value})"
            )
        # Not jsonb's `?` operator: `?` is a placeholder in the statements we write.
        return f"({array_column})::jsonb @> jsonb_build_array(({value})::text)"

    def in_json_list(self, column: str, placeholder: str, *, integers: bool = False) -> str:
        """A condition: `column` is one of the JSON array bound at `placeholder` (one parameter
        for any number of values, so the statement text stays the same)."""
        if self.name == "sqlite":
            return f"{column} IN (SELECT value FROM json_each({placeholder}))"
        cast = "::bigint" if integers else ""
        # `= ANY (ARRAY(...))`, not `IN (SELECT ...)`: the planner then looks each value up in
        # the column's index instead of hashing the list against a scan of the whole table.
        values = f"SELECT jsonb_array_elements_text(({placeholder})::jsonb){cast}"
        return f"{column} = ANY (ARRAY({values}))"


SQLITE = Dialect("sqlite")
POSTGRESQL = Dialect("postgresql")
