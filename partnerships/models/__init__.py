"""The app's models, by subdomain: the directory (public) and member data (cluster managers')."""

from .directory import ClusterAlias, ClusterOrganisation, Partner, Partnership, Programme, Sector
from .expectations import PartnerExpectation
from .groups import MemberLink
from .invitations import PartnerInvitation
from .members import ClusterMembership, Competence, Member, MemberImport

__all__ = [
    "ClusterAlias",
    "ClusterMembership",
    "ClusterOrganisation",
    "Competence",
    "Member",
    "MemberImport",
    "MemberLink",
    "Partner",
    "PartnerExpectation",
    "PartnerInvitation",
    "Partnership",
    "Programme",
    "Sector",
]
