"""The one key an email address is stored under (suppression list, sent ledgers).

A digest, not the address: the suppression list then holds no personal data, and a Faust
changelog key never carries an email address.
"""

from __future__ import annotations

import hashlib


def email_key(email: str) -> str:
    """sha256 of the address, case and surrounding space folded."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def is_email_key(value: str) -> bool:
    return len(value) == 64 and all(c in "0123456789abcdef" for c in value)
