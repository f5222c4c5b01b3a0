"""JQL's CONTAINS (`~`): word and stem matching, as Jira's Lucene index does it.

`summary ~ "backup failure"` holds when every word (stemmed) is in the field, in any order;
an inner quoted phrase (`text ~ "\\"backup failure\\""`) needs the words side by side; a
trailing `*` matches any word it begins. Lucene's backslash escapes are read as the character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kitty_mock_saas.tracker_fakes.world.text_index import QueryWord, analyze, query_words

__all__ = ["TextQuery"]

_LUCENE_ESCAPE = re.compile(r"\\(.)")
_PHRASE = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class TextQuery:
    """The words and phrases of one `~` value."""

    raw: str
    plain: str
    words: tuple[QueryWord, ...]
    phrases: tuple[tuple[str, ...], ...]

    @classmethod
    def parse(cls, value: str) -> TextQuery:
        phrases = tuple(
            tuple(analyze(phrase)) for phrase in _PHRASE.findall(value) if analyze(phrase)
        )
        unescaped = _LUCENE_ESCAPE.sub(r"\1", value)
        loose = _PHRASE.sub(" ", unescaped)
        return cls(value, unescaped.replace('"', " "), tuple(query_words(loose)), phrases)

    def is_empty(self) -> bool:
        """Whether the value has nothing to search for (Jira refuses it)."""
        return not self.words and not self.phrases and not self.raw.strip()

    def index_words(self) -> str:
        """The words (phrases as their words) an index can look candidates up by."""
        return self.plain

    def matches(self, text: str) -> bool:
        """Whether `text` holds every word and every phrase."""
        tokens = analyze(text)
        present = set(tokens)
        for word in self.words:
            if word.prefix:
                if not any(token.startswith(word.token) for token in present):
                    return False
            elif word.token not in present:
                return False
        return all(_contains_run(tokens, phrase) for phrase in self.phrases)


def _contains_run(tokens: list[str], phrase: tuple[str, ...]) -> bool:
    width = len(phrase)
    return any(tuple(tokens[i : i + width]) == phrase for i in range(len(tokens) - width + 1))
