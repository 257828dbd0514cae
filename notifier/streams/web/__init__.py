"""Ops HTTP views of the Kafka runtime, on Faust's web server: one module per resource.

:func:`register` imports every module of this package (each declares its pages on the app),
so adding a resource is adding a module.
"""

from __future__ import annotations

import importlib
import pkgutil


def register() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
