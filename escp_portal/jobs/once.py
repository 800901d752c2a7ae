"""Send a message once per claim, across concurrent runs, crashes and database restarts."""

import logging
import time

from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction

logger = logging.getLogger(__name__)


def claim_and_send(claim, send, *, record_timeout: float = 120.0) -> bool:
    """Write the claim row (unique per message) and send in one transaction.

    - Another run holds the claim: nothing is sent, returns False.
    - The process dies before the commit: nothing is claimed, the next run sends.
    - The database goes away after the message went out (the commit fails): the claim is
      written again as soon as the database is back, so no later run sends it a second time.
    Returns True when this call sent the message."""
    sent = False
    try:
        with transaction.atomic():
            claim()
            send()
            sent = True
    except IntegrityError:
        return False
    except (OperationalError, InterfaceError):
        if not sent:
            raise  # nothing went out: the job retries and sends then
        _record_after_outage(claim, record_timeout)
    return True


def _record_after_outage(claim, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        connection.close()
        try:
            with transaction.atomic():
                claim()
            logger.warning("database connection lost after sending; the claim was recorded again")
            return
        except IntegrityError:
            return  # recorded meanwhile
        except (OperationalError, InterfaceError):
            if time.monotonic() > deadline:
                logger.error("a sent message could not be recorded: it may be sent again")
                raise
            time.sleep(0.5)
