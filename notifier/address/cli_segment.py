"""``notifier segment [FILE]``: one address per input line -> one JSON object per output line.

Contract: same order as the input; keys text, building, unit, street, landmark, locality, city,
state, pincode (null where absent; values are substrings of text). Empty lines give all-null rows.
Input is decoded as UTF-8 with errors="replace", so odd bytes never stop the stream; output is
written as it is produced (one batch at a time), not held in memory.
"""

from __future__ import annotations

import io
import json
import sys
import types
from collections.abc import Iterator
from typing import BinaryIO

import click


def _lines(stream: BinaryIO) -> Iterator[str]:
    # newline="\n": only LF ends a record (a stray CR or U+2028 inside an address must not split it)
    text = io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline="\n")
    for line in text:
        yield line.rstrip("\r\n")


@click.command()
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, allow_dash=True)
)
@click.option(
    "--model",
    "model",
    default=None,
    type=click.Path(exists=True, file_okay=False),
    help="Model directory (default: the model shipped with the package).",
)
@click.option("--batch-size", default=512, show_default=True, help="Addresses per model call.")
def segment(file: str | None, model: str | None, batch_size: int) -> None:
    """Split addresses (one per line, from FILE or stdin) into labelled parts, as JSON lines."""
    _skip_spacy_cli_import()
    from notifier.address.segmenter import Segmenter, get_segmenter

    try:
        seg = Segmenter.load(model) if model else get_segmenter()
    except (FileNotFoundError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    out = sys.stdout
    if hasattr(out, "reconfigure"):
        out.reconfigure(encoding="utf-8", errors="replace")
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    if file and file != "-":
        with open(file, "rb") as fh:
            _run(seg, _lines(fh), batch_size, out, dumps)
    else:
        _run(seg, _lines(sys.stdin.buffer), batch_size, out, dumps)


def _skip_spacy_cli_import() -> None:
    """Start-up: ``import spacy`` also imports spaCy's own command line (typer, weasel and every
    subcommand, ~0.2-0.3 s of CPU) only to re-export ``spacy.info``. This short-lived process never
    uses it, so stand-ins are registered first. Only here, never in long-running services, and
    only when spaCy is not imported yet."""
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        return
    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []  # a package with no submodules: any real use fails loudly
    info = types.ModuleType("spacy.cli.info")
    info.info = _no_spacy_cli  # type: ignore[attr-defined]
    sys.modules["spacy.cli"] = cli
    sys.modules["spacy.cli.info"] = info


def _no_spacy_cli(*args: object, **kwargs: object) -> None:
    raise RuntimeError("spaCy's CLI is not loaded in `notifier segment`")


def _run(seg, lines, batch_size, out, dumps) -> None:  # type: ignore[no-untyped-def]
    from notifier.address.segments import FIELDS

    write = out.write
    keys = ("text", *FIELDS)
    for result in seg.segment_many(lines, batch_size=batch_size):
        # JSON escapes every control character, so one result is always exactly one line
        write(dumps({k: getattr(result, k) for k in keys}))
        write("\n")
    out.flush()
