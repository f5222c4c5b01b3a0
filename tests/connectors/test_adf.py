"""Jira's Atlassian Document Format becomes readable markdown (and the fake's inverse agrees)."""

from __future__ import annotations

from typing import Any

import pytest
from kitty_mock_saas.connectors.adf import adf_to_markdown
from kitty_mock_saas.tracker_fakes.markdown_adf import markdown_to_adf
from kitty_mock_saas.tracker_fakes.world.seed import _OAUTH_SCOPES_BODY


def doc(*content: dict[str, Any]) -> dict[str, Any]:
    return {"type": "doc", "version": 1, "content": list(content)}


def para(*content: dict[str, Any]) -> dict[str, Any]:
    return {"type": "paragraph", "content": list(content)}


def text(value: str, *marks: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "text", "text": value}
    if marks:
        node["marks"] = list(marks)
    return node


def test_paragraphs_stay_separate() -> None:
    assert adf_to_markdown(doc(para(text("First para.")), para(text("Second para.")))) == (
        "First para.\n\nSecond para."
    )


def test_lists_headings_code_links_and_marks() -> None:
    document = doc(
        {"type": "heading", "attrs": {"level": 2}, "content": [text("Plan")]},
        {
            "type": "bulletList",
            "content": [
                {
                    "type": "listItem",
                    "content": [
                        para(text("one")),
                        {
                            "type": "orderedList",
                            "content": [{"type": "listItem", "content": [para(text("nested"))]}],
                        },
                    ],
                },
                {"type": "listItem", "content": [para(text("bold", {"type": "strong"}))]},
            ],
        },
        {"type": "codeBlock", "attrs": {"language": "sh"}, "content": [text("make test")]},
        para(
            text("see "),
            text("docs", {"type": "link", "attrs": {"href": "https://x.test"}}),
            {"type": "hardBreak"},
            text("x", {"type": "code"}),
            {"type": "mention", "attrs": {"id": "1", "text": "@Alice"}},
            {"type": "emoji", "attrs": {"shortName": ":tada:"}},
        ),
        {"type": "blockquote", "content": [para(text("quoted"))]},
        {"type": "rule"},
        {"type": "panel", "content": [{"type": "unknownBlock", "content": [para(text("kept"))]}]},
    )
    assert adf_to_markdown(document) == (
        "## Plan\n\n"
        "- one\n  1. nested\n- **bold**\n\n"
        "```sh\nmake test\n```\n\n"
        "see [docs](https://x.test)  \n`x`@Alice:tada:\n\n"
        "> quoted\n\n---\n\n> kept"
    )


@pytest.mark.parametrize("empty", [None, {}, doc(), "plain string"])
def test_empty_or_foreign_descriptions_are_none(empty: Any) -> None:
    assert adf_to_markdown(empty) is None


@pytest.mark.parametrize(
    "markdown",
    [
        _OAUTH_SCOPES_BODY,
        "One line.",
        "# Title\n\nBody with `code` and *emphasis*.",
        "> quoted text\n\n---\n\n3. three\n4. four",
    ],
)
def test_markdown_survives_the_round_trip_through_adf(markdown: str) -> None:
    assert adf_to_markdown(markdown_to_adf(markdown)) == markdown
