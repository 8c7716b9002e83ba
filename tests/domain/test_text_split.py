"""Splitting long HTML messages: every chunk fits and parses on its own."""

from __future__ import annotations

import html
import re

import pytest

from bot.offline.bot_api import check_html
from bot.texts.split import MESSAGE_LIMIT, split_message, units

_TAG_RE = re.compile(r"<[^<>]*>")


def visible(chunks: list[str]) -> str:
    return "".join(html.unescape(_TAG_RE.sub("", c)) for c in chunks)


def test_short_text_is_one_chunk_unchanged() -> None:
    text = "<b>R-0001</b> · Elmer Square\nsecond line"
    assert split_message(text) == [text]


def test_blank_text_gives_no_chunks() -> None:
    assert split_message("") == []
    assert split_message(" \n\n ") == []


def test_splits_only_between_lines_when_lines_fit() -> None:
    lines = [f"<b>R-{n:04d}</b> · line number {n} · " + "x" * 60 for n in range(200)]
    text = "\n".join(lines)
    chunks = split_message(text, limit=1000)
    assert len(chunks) > 1
    assert all(units(c) <= 1000 for c in chunks)
    # Every chunk is whole lines, and together they are the text again.
    assert "\n".join(chunks) == text
    for chunk in chunks:
        assert all(line in lines for line in chunk.split("\n"))
        check_html(chunk)


def test_default_limit_is_telegrams() -> None:
    text = "\n".join("y" * 99 for _ in range(100))  # 9,999 characters
    chunks = split_message(text)
    assert len(chunks) == 3
    assert all(units(c) <= MESSAGE_LIMIT for c in chunks)
    assert "\n".join(chunks) == text


def test_an_over_long_line_is_cut_between_words() -> None:
    words = [f"word{n}" for n in range(400)]
    text = "short first line\n" + " ".join(words)
    chunks = split_message(text, limit=500)
    assert chunks[0] == "short first line"
    assert all(units(c) <= 500 for c in chunks)
    assert " ".join(" ".join(chunks[1:]).split()) == " ".join(words)
    for chunk in chunks[1:]:
        assert all(piece in words for piece in chunk.split())


def test_a_line_without_spaces_is_cut_anywhere() -> None:
    text = "z" * 1234
    chunks = split_message(text, limit=500)
    assert [len(c) for c in chunks] == [500, 500, 234]
    assert "".join(chunks) == text


def test_a_tag_open_across_a_cut_is_closed_and_reopened() -> None:
    text = "<b>" + " ".join(["bold"] * 300) + "</b> and <i>italic</i>"
    chunks = split_message(text, limit=400)
    assert len(chunks) > 2
    for chunk in chunks:
        check_html(chunk)  # would raise on an unclosed or unexpected tag
        assert units(chunk) <= 400
    assert chunks[0].startswith("<b>") and chunks[0].endswith("</b>")
    assert chunks[1].startswith("<b>")
    words = " ".join(visible([c]) for c in chunks).split()
    assert words == ["bold"] * 300 + ["and", "italic"]


def test_a_link_spanning_lines_is_reopened_with_its_attributes() -> None:
    text = '<a href="https://example.org/x">' + "\n".join(["link text"] * 100) + "</a>"
    chunks = split_message(text, limit=300)
    assert len(chunks) > 1
    for chunk in chunks:
        check_html(chunk)
        assert chunk.startswith('<a href="https://example.org/x">')


def test_entities_are_never_cut() -> None:
    text = "&amp;&lt;&gt;" * 500  # no spaces, no lines: cut between entities
    chunks = split_message(text, limit=100)
    for chunk in chunks:
        check_html(chunk)
        assert units(chunk) <= 100
    assert visible(chunks) == "&<>" * 500


def test_length_is_counted_as_telegram_does_for_emoji() -> None:
    text = "😀" * 3000  # each is two UTF-16 code units
    chunks = split_message(text)
    assert [len(c) for c in chunks] == [2048, 952]
    assert "".join(chunks) == text


def test_blank_lines_at_a_cut_do_not_make_empty_chunks() -> None:
    text = ("a" * 90 + "\n\n\n") * 20
    chunks = split_message(text, limit=100)
    assert all(c.strip() for c in chunks)
    assert [c.strip() for c in chunks] == ["a" * 90] * 20


def test_a_too_small_limit_is_refused() -> None:
    with pytest.raises(ValueError):
        split_message("anything", limit=3)
