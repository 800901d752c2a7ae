"""Run every periodic job of the beat schedule once, in this process.

For the embedded default (no Redis, no beat): call it from cron, or by hand, to do what beat
would do in production.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from escp_portal.celery import app


class Command(BaseCommand):
    help = "Run the periodic jobs of CELERY_BEAT_SCHEDULE once, in-process."

    def add_arguments(self, parser):
        parser.add_argument("--only", action="append", default=[], help="Run only this entry.")

    def handle(self, *args, **options):
        app.loader.import_default_modules()
        schedule = settings.CELERY_BEAT_SCHEDULE
        unknown = set(options["only"]) - set(schedule)
        if unknown:
            raise CommandError(f"No such periodic job: {', '.join(sorted(unknown))}")
        for name, entry in schedule.items():
            if options["only"] and name not in options["only"]:
                continue
            task = app.tasks[entry["task"]]
            result = task.apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}))
            result.get(propagate=True)
            self.stdout.write(f"{name}: {result.result!r}")
