"""BIO tags per token -> character spans ``(start, end, LABEL)``, trimmed of edge punctuation."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

_EDGE_PUNCT = " \t\r\n,;:-/|.()[]{}\"'`"
_OFFSET_ATTRS: list[int | str] = ["IDX", "LENGTH"]  # Doc.to_array's attribute list type


def spans_from_tags(
    doc: Doc, tags: list[str], text: str | None = None
) -> list[tuple[int, int, str]]:
    """BIO tags (one per token of ``doc``) -> character spans ``(start, end, LABEL)``."""
    rows = doc.to_array(_OFFSET_ATTRS).tolist() if len(doc) else []
    return spans_from_offsets(
        doc.text if text is None else text, [r[0] for r in rows], [r[1] for r in rows], tags
    )


def spans_from_offsets(
    text: str, starts: list[int], lengths: list[int], tags: list[str]
) -> list[tuple[int, int, str]]:
    """BIO tags per token (given by start offset and length) -> trimmed character spans.

    Lenient decoding: an ``I-X`` that does not follow ``X`` starts a new span, whitespace tokens
    never start one; punctuation is trimmed from both span edges.
    """
    spans: list[tuple[int, int, str]] = []
    cur_label: str | None = None
    cur_start = cur_end = 0
    for idx, length, tag in zip(starts, lengths, tags, strict=False):
        is_space = text[idx].isspace()
        if tag == "O" or (is_space and cur_label is None):
            if cur_label is not None:
                spans.append((cur_start, cur_end, cur_label))
                cur_label = None
            continue
        prefix, _, label = tag.partition("-")
        if cur_label == label and prefix == "I":
            if not is_space:
                cur_end = idx + length
            continue
        if cur_label is not None:
            spans.append((cur_start, cur_end, cur_label))
        cur_label, cur_start, cur_end = label, idx, idx + length
    if cur_label is not None:
        spans.append((cur_start, cur_end, cur_label))
    trimmed = []
    for start, end, label in spans:
        start, end = _trim(text, start, end)
        if end > start:
            trimmed.append((start, end, label))
    return trimmed


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop edge punctuation, and anything from an unclosed "(" on (a note such as "(on
    weekdays" is not part of a name); a closed "(MHC)" at the end is kept."""
    opened = text.rfind("(", start, end)
    if opened != -1 and text.find(")", opened, end) == -1:
        end = opened
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCT:
        if text[end - 1] == ")" and "(" in text[start : end - 1]:
            break
        end -= 1
    return start, end
