"""JQL's lexical layer: the tokens of a query, with the 1-based line and character Jira
reports in its syntax errors (`jql` parses them)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "KEYWORDS",
    "RESERVED_WORDS",
    "VALID_OPERATORS",
    "JqlSyntaxError",
    "Token",
    "fail",
    "position",
    "tokenize",
    "where",
]

VALID_OPERATORS = (
    "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', "
    "'IS' and 'IS NOT'."
)
_SYMBOLS = ("!=", "!~", "<=", ">=", "&&", "||", "=", "~", "<", ">", "(", ")", ",", "&", "|", "!")
_WORD_STOP = set(" \t\r\n\"'=!<>~(),&|")
# Characters Jira refuses outside a quoted string.
_RESERVED_CHARACTERS = set("+;?%^$#@[]{}")
_ESCAPES = {'"': '"', "'": "'", "t": "\t", "n": "\n", "r": "\r", "\\": "\\", " ": " "}
KEYWORDS = {"and", "or", "not", "in", "is", "empty", "null", "order", "by", "asc", "desc"}
# Words JQL reserves: unquoted, they are refused as field names and values.
RESERVED_WORDS = frozenset(
    """a an abort access add after alias all alter are as at audit avg be before begin
    between boolean break but byte catch cf char character check checkpoint collate collation
    column commit connect continue count create current date decimal declare decrement default
    defaults define delete delimiter difference distinct divide do double drop else encoding
    end equals escape exclusive exec execute exists explain false fetch file field first float
    for from function go goto grant greater group having identified if immediate increment
    index initial inner inout input insert int integer intersect intersection into isempty
    isnull join last left less like limit lock long max min minus mode modify modulo more
    multiply next noaudit notin nowait number object of on option outer output power previous
    prior privileges public raise raw remainder rename resource return returns revoke right
    row rowid rownum rows select session set share size sqrt start strict string subtract sum
    synonym table then to trans transaction trigger true uid union unique update user validate
    values view when whenever where while with""".split()  # noqa: SIM905
)


class JqlSyntaxError(ValueError):
    """A query Jira cannot parse; `str()` is Jira's message (without the envelope)."""


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "word", "string", "symbol", "end"
    text: str
    offset: int

    def upper(self) -> str:
        return self.text.upper() if self.kind == "word" else ""

    def shown(self) -> str:
        return self.text


def position(source: str, offset: int) -> tuple[int, int]:
    line = source.count("\n", 0, offset) + 1
    return line, offset - (source.rfind("\n", 0, offset) + 1) + 1


def where(source: str, offset: int) -> str:
    line, character = position(source, offset)
    return f"(line {line}, character {character})"


def fail(message: str) -> JqlSyntaxError:
    return JqlSyntaxError(f"Error in the JQL Query: {message}")


def tokenize(source: str) -> list[Token]:
    """The tokens of `source`, ending with an "end" token."""
    tokens: list[Token] = []
    i, n = 0, len(source)
    while i < n:
        char = source[i]
        if char.isspace():
            i += 1
        elif char in "\"'":
            start = i
            text, i = _read_string(source, i)
            tokens.append(Token("string", text, start))
        else:
            symbol = next((s for s in _SYMBOLS if source.startswith(s, i)), None)
            if symbol is not None:
                tokens.append(Token("symbol", symbol, i))
                i += len(symbol)
                continue
            start = i
            while i < n and source[i] not in _WORD_STOP:
                if source[i] in _RESERVED_CHARACTERS:
                    escape = f"\\u{ord(source[i]):04x}"
                    raise fail(
                        f"The character '{source[i]}' is a reserved JQL character. You must "
                        f"enclose it in a string or use the escape '{escape}' instead. "
                        f"{where(source, i)}"
                    )
                if source[i] == "\\":
                    i += 2
                    continue
                i += 1
            tokens.append(Token("word", _unescape_word(source[start:i]), start))
    tokens.append(Token("end", "", n))
    return tokens


def _read_string(source: str, start: int) -> tuple[str, int]:
    quote, i = source[start], start + 1
    out: list[str] = []
    while i < len(source):
        char = source[i]
        if char == quote:
            return "".join(out), i + 1
        if char == "\\":
            escaped = source[i + 1 : i + 2]
            if escaped == "u" and len(source[i + 2 : i + 6]) == 4:
                try:
                    out.append(chr(int(source[i + 2 : i + 6], 16)))
                    i += 6
                    continue
                except ValueError:
                    pass
            if escaped not in _ESCAPES:
                raise fail(
                    f"'\\{escaped}' is an illegal JQL escape sequence. The valid escape "
                    "sequences are \\', \\\", \\t, \\n, \\r, \\\\, '\\ ' and \\uXXXX. "
                    f"{where(source, i)}"
                )
            out.append(_ESCAPES[escaped])
            i += 2
            continue
        out.append(char)
        i += 1
    raise fail(
        f"The quoted string '{source[start + 1 :]}' has not been completed. {where(source, start)}"
    )


def _unescape_word(word: str) -> str:
    if "\\" not in word:
        return word
    out: list[str] = []
    i = 0
    while i < len(word):
        if word[i] == "\\" and i + 1 < len(word):
            out.append(_ESCAPES.get(word[i + 1], word[i + 1]))
            i += 2
        else:
            out.append(word[i])
            i += 1
    return "".join(out)
