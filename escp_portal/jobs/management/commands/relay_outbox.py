import time

from django.core.management.base import BaseCommand

from escp_portal.jobs.outbox import relay_all, waiting


class Command(BaseCommand):
    help = (
        "Send background jobs that are waiting in the outbox (written while the broker was "
        "unavailable). Runs once, or keeps running with --loop."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep relaying until stopped")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between runs")

    def handle(self, *args, loop=False, interval=5.0, **options):
        while True:
            sent = relay_all()
            state = waiting()
            self.stdout.write(f"sent {sent}, waiting {state['waiting']}")
            if not loop:
                return
            time.sleep(interval)
