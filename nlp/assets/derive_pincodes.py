"""Derive nlp/assets/pincodes.tsv from the India Post directory shipped by `bharataddress`.

Run once (the TSV is committed): ``python -m nlp.assets.derive_pincodes``. See SOURCES.md.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path

OUT = Path(__file__).with_name("pincodes.tsv")
_OFFICE_SUFFIX = re.compile(r"\s+(B\.?O|S\.?O|H\.?O|G\.?P\.?O|SO|BO|HO)\b.*$", re.I)


def main() -> None:
    data = json.loads(files("bharataddress").joinpath("data/pincodes.json").read_text("utf-8"))
    localities = json.loads(
        files("bharataddress").joinpath("data/localities.json").read_text("utf-8")
    )
    rows = []
    for pin, rec in sorted(data.items()):
        state = (rec.get("state") or "").strip()
        if not re.fullmatch(r"[1-9]\d{5}", pin) or not state or state == "Null":
            continue
        offices = {_OFFICE_SUFFIX.sub("", o).strip() for o in rec.get("offices") or []}
        offices |= {loc.title() for loc in localities.get(pin, [])}
        offices = sorted(o for o in offices if o and "\t" not in o and "|" not in o)
        rows.append(
            "\t".join([pin, rec.get("district", ""), rec.get("city", ""), state, "|".join(offices)])
        )
    OUT.write_text("pincode\tdistrict\tcity\tstate\toffices\n" + "\n".join(rows) + "\n", "utf-8")
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
