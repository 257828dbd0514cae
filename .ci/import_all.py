"""Import every module of the installed ``notifier`` package; exit 1 naming any that fails.

Run by .ci/clean-install.sh with the clean virtual environment's Python, so a runtime import
whose distribution is missing from ``[project.dependencies]`` fails CI.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import traceback
from pathlib import Path


def main() -> int:
    import notifier

    here = Path(notifier.__file__).resolve()
    if "site-packages" not in here.parts:
        print(f"notifier is imported from {here}, not from an installed wheel", file=sys.stderr)
        return 1
    names = ["notifier"] + [
        m.name for m in pkgutil.walk_packages(notifier.__path__, prefix="notifier.")
    ]
    failed: list[str] = []
    for name in names:
        if name.rsplit(".", 1)[-1] == "__main__":
            continue  # runs the CLI when imported; `notifier --version` covers it
        try:
            importlib.import_module(name)
        except Exception:
            failed.append(name)
            print(f"FAILED to import {name}:", file=sys.stderr)
            traceback.print_exc(limit=1)
    print(f"imported {len(names) - len(failed)} of {len(names)} modules of {here.parent}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
