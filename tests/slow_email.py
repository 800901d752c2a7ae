"""A file email backend that takes its time per message, so a test can stop a worker in the
middle of a run. Used only by worker processes the integration tests start."""

import os
import time

from django.core.mail.backends.filebased import EmailBackend as FileBackend


class SlowFileBackend(FileBackend):
    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("TEST_EMAIL_DELAY", "0.3")))
        return super().send_messages(email_messages)


def count_messages(folder) -> list[str]:
    """The Subject and To lines of every message the file backend wrote in ``folder``."""
    found = []
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as handle:
            to = subject = None
            for line in handle:
                if line.startswith("To: ") and to is None:
                    to = line[4:].strip()
                elif line.startswith("Subject: ") and subject is None:
                    subject = line[9:].strip()
                elif line.startswith("-" * 79):
                    found.append(f"{to} | {subject}")
                    to = subject = None
    return found
