"""Splitting long HTML messages under Telegram's limit without breaking their markup.

Pure domain. Chunks end at a line break when one fits; a single line longer than the
limit is cut at a space (or, failing that, anywhere between characters). A tag or an
entity (`&amp;`) is never cut, and a tag left open at a cut is closed at the end of that
chunk and opened again at the start of the next, so every chunk parses on its own.
"""

from __future__ import annotations

import re

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024

# A tag, an entity, or one character: the pieces a cut may fall between.
_TOKEN_RE = re.compile(r"<[^<>]*>|&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z]+);|[\s\S]")
_TAG_NAME_RE = re.compile(r"</?\s*([A-Za-z][A-Za-z0-9-]*)")
_TAGS_RE = re.compile(r"<[^<>]*>")


def units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units); markup counted too, to be safe."""
    return len(text.encode("utf-16-le")) // 2


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Chunks of at most `limit` units each, in order; [] for blank text."""
    if limit < 16:
        raise ValueError("limit too small to hold a chunk")
    if not text.strip():
        return []
    if units(text) <= limit:
        return [text]
    tokens = _TOKEN_RE.findall(text)
    chunks: list[str] = []
    stack: list[tuple[str, str]] = []  # open tags: (name, opening tag as written)
    i = 0
    while i < len(tokens):
        if not stack and tokens[i] == "\n":
            i += 1  # a chunk never starts with an empty line
            continue
        chunk, i, stack = _fill(tokens, i, stack, limit)
        if _TAGS_RE.sub("", chunk).strip():
            chunks.append(chunk)
    return chunks


def _fill(
    tokens: list[str], start: int, stack: list[tuple[str, str]], limit: int
) -> tuple[str, int, list[tuple[str, str]]]:
    """One chunk from tokens[start:]: (text, where the next chunk starts, tags still open)."""
    parts = [opening for _, opening in stack]
    size = sum(units(p) for p in parts)
    current = list(stack)
    # Where to cut if the chunk overflows: (parts kept, next token, tags open there).
    at_line: tuple[int, int, list[tuple[str, str]]] | None = None
    at_space: tuple[int, int, list[tuple[str, str]]] | None = None
    j = start
    while j < len(tokens):
        token = tokens[j]
        if token == "\n":
            at_line = (len(parts), j + 1, list(current))
        elif token.isspace():
            at_space = (len(parts), j + 1, list(current))
        after = _apply(current, token)
        if size + units(token) + _closing_units(after) > limit:
            break
        parts.append(token)
        size += units(token)
        current = after
        j += 1
    else:
        return "".join(parts) + _closing(current), j, current
    if j == start:  # not even one token fits beside the reopened tags: take it anyway
        after = _apply(current, tokens[j])
        return "".join([*parts, tokens[j]]) + _closing(after), j + 1, after
    cut = at_line or at_space
    if cut is not None and cut[1] > start:
        kept, j, current = cut
        parts = parts[:kept]
    return "".join(parts).rstrip(" ") + _closing(current), j, current


def _apply(stack: list[tuple[str, str]], token: str) -> list[tuple[str, str]]:
    if not token.startswith("<") or len(token) < 3:
        return stack
    match = _TAG_NAME_RE.match(token)
    if match is None:
        return stack
    name = match.group(1).lower()
    if token.startswith("</"):
        if stack and stack[-1][0] == name:
            return stack[:-1]
        return stack
    if token.endswith("/>"):
        return stack
    return [*stack, (name, token)]


def _closing(stack: list[tuple[str, str]]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(stack))


def _closing_units(stack: list[tuple[str, str]]) -> int:
    return sum(len(name) + 3 for name, _ in stack)
