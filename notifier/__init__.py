"""pickup-notifier: tell residents of quarantined buildings where their virtual pickup point is."""

__all__ = [
    "__version__",
]

__version__ = "0.1.0"
