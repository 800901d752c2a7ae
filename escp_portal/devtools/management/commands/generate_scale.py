from django.core.management.base import BaseCommand, CommandError

from escp_portal.devtools.scale import TOP, generate


class Command(BaseCommand):
    help = (
        "Add synthetic partnerships, clusters, members, KPIs with values, missions and outcomes "
        "until the database holds SCALE per cent of the top scale (PostgreSQL only; run "
        "load_demo first). Top scale: "
        + ", ".join(f"{count:,} {name}" for name, count in TOP.items())
        + "."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="per cent of the top scale (default 1)"
        )

    def handle(self, *args, scale, **options):
        if not 0 < scale <= 100:
            raise CommandError("--scale is a percentage between 0 and 100.")
        try:
            generate(scale, stdout=self.stdout)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
