"""``notifier match --registry FILE [ADDRESSES]``: which quarantined building is each address in?

Registry: JSON lines with ``building_id``, ``name``, ``locality``, ``city``, ``pincode`` (null or
a 6-digit PIN), optionally ``aliases`` (a list of other names) and ``brand``. A bad row stops
the command with one line naming its line number (exit 1) before any address is read.
Addresses: one per line from ADDRESSES or stdin. Output: one JSON object per input line, same
order: ``text``, ``building_id`` (best candidate or null), ``score``, ``decision`` (match /
review / none); ``--explain`` adds the per-comparison weights, levels and reason.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import BinaryIO

import click

from notifier.address.matcher import BuildingRef, Decision, MatchConfig, Matcher, MatchResult
from notifier.address.places import canon_pincode
from notifier.address.segments import Segments


class RegistryError(ValueError):
    """A registry row that cannot be used; the message names the line."""


def parse_registry_row(line_no: int, line: str) -> BuildingRef:
    """One registry JSON line -> BuildingRef, or RegistryError naming the line and the field."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RegistryError(f"registry line {line_no}: not valid JSON ({exc.msg})") from None
    if not isinstance(row, dict):
        raise RegistryError(f"registry line {line_no}: expected a JSON object")

    def text(field: str, required: bool) -> str:
        value = row.get(field)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise RegistryError(
                f"registry line {line_no}: {field!r} must be a non-empty string"
                if required
                else f"registry line {line_no}: {field!r} must be a string"
            )
        return value.strip()

    pincode = row.get("pincode")
    if isinstance(pincode, int) and not isinstance(pincode, bool):
        pincode = str(pincode)
    if pincode is not None and (not isinstance(pincode, str) or not canon_pincode(pincode)):
        raise RegistryError(
            f"registry line {line_no}: 'pincode' must be null or a 6-digit PIN code"
        )
    aliases = row.get("aliases")
    if aliases is None:
        aliases = []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise RegistryError(
            f"registry line {line_no}: 'aliases' must be a list of non-empty strings"
        )
    brand = text("brand", required=False)
    return BuildingRef(
        building_id=text("building_id", required=True),
        name=text("name", required=True),
        locality=text("locality", required=False),
        city=text("city", required=True),
        pincode=canon_pincode(pincode) if pincode else None,
        aliases=tuple(a.strip() for a in aliases),
        brand=brand or None,
    )


def read_registry(lines: Iterable[str]) -> list[BuildingRef]:
    """Parse a whole registry; blank lines are skipped, a repeated building_id is an error."""
    buildings: list[BuildingRef] = []
    seen: dict[str, int] = {}
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        building = parse_registry_row(line_no, line)
        if building.building_id in seen:
            raise RegistryError(
                f"registry line {line_no}: building_id {building.building_id!r} repeats "
                f"line {seen[building.building_id]}"
            )
        seen[building.building_id] = line_no
        buildings.append(building)
    return buildings


def _lines(stream: BinaryIO) -> Iterator[str]:
    # only LF ends a record: a stray CR inside an address must not split it
    text = io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline="\n")
    for line in text:
        yield line.rstrip("\r\n")


def _batches(lines: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(lines)
    while batch := list(islice(it, size)):
        yield batch


def result_record(text: str, result: MatchResult, explain: bool) -> dict[str, object]:
    record: dict[str, object] = {
        "text": text,
        "building_id": result.building_id,
        "score": round(result.score, 4),
        "decision": result.decision.value,
    }
    if explain:
        record["explanation"] = result.explanation()
    return record


@click.command()
@click.option(
    "--registry",
    "registry_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Quarantined buildings, JSON lines (building_id, name, locality, city, pincode; "
    "optional aliases, brand).",
)
@click.argument(
    "addresses", required=False, type=click.Path(exists=True, dir_okay=False, allow_dash=True)
)
@click.option("--explain", is_flag=True, help="Add features and reason to each output row.")
@click.option("--batch-size", default=512, show_default=True, help="Addresses per model call.")
def match(registry_path: str, addresses: str | None, explain: bool, batch_size: int) -> None:
    """Match addresses (one per line, from ADDRESSES or stdin) to quarantined buildings."""
    try:
        with open(registry_path, "rb") as fh:
            buildings = read_registry(_lines(fh))
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from None
    matcher = Matcher(buildings, MatchConfig())

    from notifier.address.segmenter import get_segmenter  # heavy (spaCy): only when needed

    try:
        segmenter = get_segmenter()
    except (FileNotFoundError, OSError) as exc:
        raise click.ClickException(f"segmentation model not available: {exc}") from None
    out = sys.stdout
    if hasattr(out, "reconfigure"):
        out.reconfigure(encoding="utf-8", errors="replace")
    dumps = json.JSONEncoder(ensure_ascii=False).encode

    def run(stream: BinaryIO) -> None:
        for batch in _batches(_lines(stream), batch_size):
            segmented = segmenter.segment_many(batch)
            for text, seg in zip(batch, segmented, strict=True):
                result = _match_one(matcher, text, seg)
                out.write(dumps(result_record(text, result, explain)))
                out.write("\n")
        out.flush()

    if addresses and addresses != "-":
        with open(addresses, "rb") as fh:
            run(fh)
    else:
        run(sys.stdin.buffer)


def _match_one(matcher: Matcher, text: str, seg: Segments) -> MatchResult:
    if not text.strip():
        return MatchResult(Decision.NONE, None, 0.0, {}, "empty line")
    return matcher.match(seg)
