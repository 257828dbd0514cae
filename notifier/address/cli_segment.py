"""``notifier segment [FILE]``: one address per input line -> one JSON object per output line.

Contract: same order as the input; keys text, building, unit, street, landmark, locality, city,
state, pincode (null where absent; values are substrings of text). Empty lines give all-null rows.
Input is decoded as UTF-8 with errors="replace", so odd bytes never stop the stream; output is
written as it is produced (one batch at a time), not held in memory.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

import click

if TYPE_CHECKING:  # imported lazily below: `notifier --help` must not load the segmenter
    from notifier.address.segmenter import Segmenter


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
@click.option("--batch-size", default=128, show_default=True, help="Addresses per model call.")
def segment(file: str | None, model: str | None, batch_size: int) -> None:
    """Split addresses (one per line, from FILE or stdin) into labelled parts, as JSON lines."""
    if "numpy" not in sys.modules:
        # One BLAS thread: the segmenter already runs its network beside the main thread, and
        # OpenBLAS's own threads spin-wait between the small matrix products, which made this
        # process 2-3x slower whenever another job shared the 2 cores (measured, bench/segment.py).
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # the shipped model runs on numpy alone: start-up imports no spaCy (see segmenter.Network)
    from notifier.address.segmenter import Segmenter, get_segmenter

    try:
        seg = Segmenter.load(model) if model else get_segmenter()
    except (OSError, ValueError) as exc:  # missing or unreadable model folder
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


def _run(
    seg: Segmenter,
    lines: Iterable[str],
    batch_size: int,
    out: TextIO,
    dumps: Callable[[Any], str],
) -> None:
    from notifier.address.segments import FIELDS

    write = out.write
    keys = ("text", *FIELDS)
    for result in seg.segment_many(lines, batch_size=batch_size):
        # JSON escapes every control character, so one result is always exactly one line
        write(dumps({k: getattr(result, k) for k in keys}))
        write("\n")
    out.flush()
