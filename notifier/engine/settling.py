"""Settle jobs left in SENDING by a crash, before anything is sent again.

The ledger says which of them the provider accepted (``SentLedger.find_sent``): those become
SENT. The rest are put back in the queue only once they have been in doubt for ``grace``
seconds: a ledger fed by SES ``Send`` events learns of an accepted message some time after
SES accepted it, and a job resent before its event arrived would be a second email. A ledger
that reads the provider's own record at once (moto's, in development) needs no grace.
Every decision is logged with job and message ids only.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from notifier.engine.ports import InDoubt, Outbox

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Settlement:
    confirmed: list[InDoubt] = field(default_factory=list)  # the provider accepted them
    resend: list[InDoubt] = field(default_factory=list)  # back to PENDING: send again
    waiting: list[InDoubt] = field(default_factory=list)  # still inside the grace period


def settle(
    outbox: Outbox,
    doubtful: Sequence[InDoubt],
    accepted: Mapping[str, str],
    *,
    now: datetime,
    grace_seconds: float,
) -> Settlement:
    """Apply the ledger's answer (``accepted``: job id -> message id) to the doubtful jobs."""
    out = Settlement()
    for entry in doubtful:
        job_id = entry.job.job_id
        message_id = accepted.get(job_id)
        if message_id is not None:
            outbox.mark_sent(job_id, message_id)
            out.confirmed.append(entry)
            log.info("in-doubt job %s: accepted as message %s, marked sent", job_id, message_id)
        elif (now - entry.since).total_seconds() >= grace_seconds:
            outbox.retry_later(job_id, now, "requeued after crash: not in the sent ledger")
            out.resend.append(entry)
            log.info(
                "in-doubt job %s: not in the sent ledger after %.0fs, sending again",
                job_id,
                grace_seconds,
            )
        else:
            out.waiting.append(entry)
            log.info(
                "in-doubt job %s: not in the sent ledger yet, waiting for the grace period",
                job_id,
            )
    return out
