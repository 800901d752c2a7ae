"""Give a person a role: the operator's way to appoint the first coordinator of a partnership,
manager of a cluster or EC officer. Everyone after them joins by invitation.

    manage.py grant_role anna@cluster.eu coordinator --partnership AdPack2
    manage.py grant_role ben@cluster.eu cluster_manager --cluster 42 --create
    manage.py grant_role clara@ec.europa.eu ec_officer --create
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from escp_portal.accounts.models import Role, User
from escp_portal.accounts.services import role_grant


class Command(BaseCommand):
    help = "Give a person (by email) the role of coordinator, cluster manager or EC officer."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("--partnership", help="The partnership (acronym or id) coordinated.")
        parser.add_argument("--cluster", help="The cluster organisation (id) managed.")
        parser.add_argument(
            "--create",
            action="store_true",
            help="Create the account if there is none; the person sets a password through "
            "'Forgot your password?' on the login page.",
        )

    @transaction.atomic
    def handle(self, *args, email, role, partnership=None, cluster=None, create=False, **options):
        from partnerships.models import ClusterOrganisation, Partnership

        if role == Role.COORDINATOR and (not partnership or cluster):
            raise CommandError("A coordinator needs --partnership (and no --cluster).")
        if role == Role.CLUSTER_MANAGER and (not cluster or partnership):
            raise CommandError("A cluster manager needs --cluster (and no --partnership).")
        if role == Role.EC_OFFICER and (partnership or cluster):
            raise CommandError("An EC officer is given neither --partnership nor --cluster.")
        scope = {}
        if partnership:
            found = Partnership.objects.filter(acronym__iexact=partnership)
            if partnership.isdigit():
                found = found | Partnership.objects.filter(pk=int(partnership))
            if found.count() != 1:
                raise CommandError(f"No single partnership is '{partnership}'.")
            scope["partnership"] = found.get()
        if cluster:
            if not cluster.isdigit():
                raise CommandError("Give the cluster organisation's id (see the directory).")
            try:
                scope["cluster"] = ClusterOrganisation.objects.get(pk=int(cluster))
            except ClusterOrganisation.DoesNotExist:
                raise CommandError(f"No cluster organisation has the id {cluster}.") from None
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            if not create:
                raise CommandError(f"No account has the email {email}; add --create to make one.")
            user = User.objects.create_user(email=email.strip())
            self.stdout.write(
                f"Created the account {user.email}: they set a password through "
                "'Forgot your password?' on the login page."
            )
        try:
            assignment, created = role_grant(actor=None, user=user, role=role, **scope)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(f"{assignment}: {'granted' if created else 'already held'}.")
        )
