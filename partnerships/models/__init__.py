"""The app's models, by subdomain: the directory (public) and member data (cluster managers')."""

from .directory import ClusterOrganisation, Partner, Partnership, Programme, Sector
from .expectations import PartnerExpectation
from .invitations import PartnerInvitation
from .members import ClusterMembership, Competence, Member, MemberImport

__all__ = [
    "ClusterMembership",
    "ClusterOrganisation",
    "Competence",
    "Member",
    "MemberImport",
    "Partner",
    "PartnerExpectation",
    "PartnerInvitation",
    "Partnership",
    "Programme",
    "Sector",
]
