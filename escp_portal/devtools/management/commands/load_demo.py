"""Load the demo: real partnerships, then each app's synthetic data, then the demo users.

Each installed app that has a ``demo`` module with a ``load(stdout=..., **options)`` function
adds its part, in the order of INSTALLED_APPS. Running the command twice changes nothing.
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from escp_portal.accounts.demo import DEFAULT_PASSWORD, load_users


class Command(BaseCommand):
    help = "Load the real partnerships and the demo users (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Multiply the synthetic data (20 members per cluster times N), for benchmarks.",
        )
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help="Password of the demo users (set when they are created, or when given).",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        app_options = {k: v for k, v in options.items() if k not in ("stdout", "stderr")}
        for config in apps.get_app_configs():
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            if hasattr(module, "load") and config.name != "escp_portal.accounts":
                module.load(stdout=self.stdout, **app_options)
        users = load_users(
            password=options["password"],
            password_given=options["password"] != DEFAULT_PASSWORD,
        )
        password = options["password"]
        self.stdout.write(self.style.SUCCESS(f"Demo users (password: {password}):"))
        for email, description in users:
            self.stdout.write(f"  {email:32} {description}")
