"""Who reads which deletion: whoever could see the record before it went.

- staff: every deletion; EC officers: every one but members' (they never list members);
- anyone: the public ones (programmes, clusters, published partnerships, their
  partners); every coordinator: the missions of published partnerships;
- the insiders of a partnership (coordinators, managers of its partner clusters): its records;
- a member's: the managers of its clusters and the coordinators those clusters partner with
  (``partnerships.rules.member_clusters_q``).
"""

from django.db import models

from escp_portal.accounts.policy import insider_q, rule
from partnerships.rules import member_clusters_q


def _deletions(qs, scope):
    if scope.is_staff:
        return qs
    if scope.is_officer:
        return qs.exclude(resource="members")
    if not scope.authenticated:  # the public directory's
        return qs.filter(public=True)
    condition = models.Q(public=True) | insider_q(scope, "partnership_id")
    if scope.is_coordinator:
        condition |= models.Q(coordinators=True)
    clusters = member_clusters_q(scope)
    if clusters is not None:
        from .models import DeletionCluster

        condition |= models.Exists(
            DeletionCluster.objects.filter(clusters, deletion_id=models.OuterRef("pk"))
        )
    return qs.filter(condition)


rule("sync.Deletion", visible=_deletions, edit=lambda scope, obj: False)
