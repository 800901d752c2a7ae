"""What leaves the portal as a file: the member file (the import template and the export, with
the same columns so that export → edit → import round-trips) and everything held on a member
for a data-access request."""

from django.utils import timezone
from django.utils.translation import gettext_lazy

from escp_portal.accounts.policy import can_edit
from escp_portal.services import require
from escp_portal.spreadsheets import Sheet, csv_bytes, xlsx_bytes

from .models import ClusterMembership, Member
from .models.members import MEMBER_FIELDS

# (column, help). "id" matches a row to a member of the cluster; is_sme and size_class are
# derived and ignored when read back.
COLUMNS = [
    ("id", gettext_lazy("Portal id of the member; leave empty for a new member")),
    ("name", gettext_lazy("Name (required)")),
    ("kind", gettext_lazy("enterprise, research, university, public_body or other")),
    ("country", gettext_lazy("ISO country code, e.g. DE (required)")),
    ("nuts_region", gettext_lazy("NUTS code of the region, e.g. DE21")),
    ("city", gettext_lazy("City")),
    ("nace_code", gettext_lazy("NACE Rev. 2 code of the main activity, e.g. 62.01")),
    ("employees", gettext_lazy("Persons employed (whole number)")),
    ("annual_turnover", gettext_lazy("Annual turnover in EUR, digits and a dot for decimals")),
    ("balance_sheet_total", gettext_lazy("Balance-sheet total in EUR")),
    ("founded_year", gettext_lazy("Year founded, e.g. 2011")),
    ("competences", gettext_lazy("Competences, separated by ;")),
    ("export_markets", gettext_lazy("Countries it exports to, codes separated by ;")),
    ("website", gettext_lazy("Website")),
    ("contact_name", gettext_lazy("Contact person")),
    ("contact_email", gettext_lazy("Contact email")),
    ("contact_phone", gettext_lazy("Contact phone")),
    ("member_since", gettext_lazy("Date it joined the cluster, YYYY-MM-DD")),
    (
        "is_sme",
        gettext_lazy(
            "Derived, ignored on import: only an enterprise can be an SME (its figures with "
            "those of its partner and linked enterprises)"
        ),
    ),
    (
        "size_class",
        gettext_lazy("Derived, ignored on import; empty for other kinds than enterprise"),
    ),
]
COLUMN_NAMES = [name for name, _help in COLUMNS]


def export_rows(members, *, with_contacts) -> list[list]:
    """One list per member, in COLUMNS order. ``members`` carry ``contacts_visible`` when
    ``with_contacts`` is the annotation name rather than a bool."""
    rows = []
    for m in members:
        contacts = getattr(m, "contacts_visible", with_contacts)
        competences = sorted((c.name for c in m.competences.all()), key=str.casefold)
        memberships = getattr(m, "cluster_memberships", None) or []
        membership = memberships[0] if memberships else None
        rows.append(
            [
                m.pk,
                m.name,
                m.kind,
                str(m.country),
                m.nuts_region,
                m.city,
                m.nace_code,
                "" if m.employees is None else m.employees,
                "" if m.annual_turnover is None else str(m.annual_turnover),
                "" if m.balance_sheet_total is None else str(m.balance_sheet_total),
                "" if m.founded_year is None else m.founded_year,
                "; ".join(competences),
                "; ".join(c.code for c in m.export_markets),
                m.website,
                m.contact_name if contacts else "",
                m.contact_email if contacts else "",
                m.contact_phone if contacts else "",
                membership.joined_on.isoformat() if membership and membership.joined_on else "",
                {True: "yes", False: "no", None: ""}[m.is_sme],
                m.size_class,
            ]
        )
    return rows


def write_csv(rows) -> bytes:
    return csv_bytes(COLUMN_NAMES, rows)


def write_xlsx(rows, *, with_help=True) -> bytes:
    sheets = [Sheet("Members", COLUMN_NAMES, rows, freeze="A2")]
    if with_help:
        help_rows = [[name, str(help_text)] for name, help_text in COLUMNS]
        sheets.append(Sheet("Columns", ["column", "what to enter"], help_rows, bold_header=False))
    return xlsx_bytes(*sheets)


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def member_file(rows, fmt: str) -> bytes:
    """The rows as a member file in ``fmt`` (``csv`` or ``xlsx``, its type in CONTENT_TYPES)."""
    return write_xlsx(rows) if fmt == "xlsx" else write_csv(rows)


def member_personal_data(*, actor, member: Member) -> dict:
    """Everything the portal holds on a member, for a data-access request."""
    require(can_edit(actor, member))
    return {
        "id": member.pk,
        **{name: _plain(getattr(member, name)) for name in MEMBER_FIELDS},
        "founded_year": member.founded_year,
        "is_sme": member.is_sme,
        "size_class": member.size_class,
        "competences": [c.name for c in member.competences.all()],
        "clusters": [
            {"cluster": m.cluster.name, "member_since": _plain(m.joined_on)}
            for m in member.memberships.select_related("cluster").order_by(
                *ClusterMembership.BY_CLUSTER_NAME
            )
        ],
        "erased_at": _plain(member.erased_at),
        "created_at": _plain(member.created_at),
        "updated_at": _plain(member.updated_at),
        "exported_at": timezone.now().isoformat(),
    }


def _plain(value):
    if value is None or isinstance(value, str | int | bool):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list | tuple) or value.__class__.__name__ == "MultipleCountriesDescriptor":
        return [str(v) for v in value]
    return str(value)
