"""Examples of the partnerships' resources in the API schema (request and answer)."""

from drf_spectacular.utils import OpenApiExample

PARTNERSHIP_WRITE = {
    "acronym": "FoodPackLab",
    "name": "Sustainable food packaging laboratory",
    "programme": "ESCP-4i",
    "generation": 2,
    "phase": "implementation",
    "status": "active",
    "start_date": "2024-01-01",
    "end_date": "2026-12-31",
    "eu_funding": "495000.00",
    "sme_count": 420,
    "sectors": ["agrifood", "packaging"],
    "objectives": "Open Japan and Canada to recyclable packaging made by European SMEs.",
    "website": "https://foodpacklab.example.eu",
}

PARTNERSHIP_EXAMPLES = [
    OpenApiExample("A partnership to create", value=PARTNERSHIP_WRITE, request_only=True),
    OpenApiExample(
        "A partnership",
        response_only=True,
        value={
            "id": 12,
            "url": "https://portal.example.eu/api/v1/partnerships/12/",
            **PARTNERSHIP_WRITE,
            "partners": [
                {
                    "id": 31,
                    "cluster": 7,
                    "cluster_name": "Packaging Valley",
                    "country": "DE",
                    "role": "coordinator",
                    "joined_on": "2024-01-01",
                    "left_on": None,
                }
            ],
            "updated_at": "2026-11-30T10:15:00Z",
        },
    ),
]

CLUSTER_WRITE = {
    "name": "Packaging Valley",
    "acronym": "PV",
    "country": "DE",
    "nuts_region": "DE11",
    "city": "Stuttgart",
    "website": "https://packaging-valley.example.de",
    "sectors": ["packaging"],
    "declared_member_count": 120,
    "description": "Machine builders and suppliers for the packaging industry.",
}

CLUSTER_EXAMPLES = [
    OpenApiExample("A cluster to create", value=CLUSTER_WRITE, request_only=True),
    OpenApiExample(
        "A cluster organisation",
        response_only=True,
        value={
            "id": 7,
            **CLUSTER_WRITE,
            "partnership_count": 2,
            "updated_at": "2026-10-02T08:00:00Z",
        },
    ),
]

MEMBER_WRITE = {
    "name": "Schmidt Verpackungen GmbH",
    "kind": "enterprise",
    "country": "DE",
    "nuts_region": "DE11",
    "city": "Esslingen",
    "nace_code": "28.29",
    "employees": 85,
    "annual_turnover": "14500000.00",
    "balance_sheet_total": "9000000.00",
    "founded_year": 1987,
    "competences": ["recyclable films", "tray sealing"],
    "export_markets": ["AT", "CA"],
    "website": "https://schmidt-verpackungen.example.de",
    "contact_name": "Anna Schmidt",
    "contact_email": "a.schmidt@schmidt-verpackungen.example.de",
    "contact_phone": "+49 711 555 0100",
}

MEMBER_EXAMPLES = [
    OpenApiExample("A member to create", value={**MEMBER_WRITE, "cluster": 7}, request_only=True),
    OpenApiExample(
        "A member",
        response_only=True,
        value={
            "id": 1503,
            **MEMBER_WRITE,
            "nace_title": "Manufacture of other general-purpose machinery n.e.c.",
            "is_sme": True,
            "size_class": "medium",
            "clusters": [7],
            "erased_at": None,
            "updated_at": "2026-11-02T14:20:00Z",
        },
    ),
]

MEMBER_BULK_EXAMPLES = [
    OpenApiExample(
        "Rows to preview",
        request_only=True,
        value={
            "cluster": 7,
            "dry_run": True,
            "rows": [
                {"id": 1503, "employees": 92},
                {
                    "name": "Holzform AG",
                    "kind": "enterprise",
                    "country": "DE",
                    "employees": 40,
                    "annual_turnover": "6000000",
                },
            ],
        },
    ),
    OpenApiExample(
        "A preview",
        response_only=True,
        value={
            "dry_run": True,
            "create": 1,
            "update": 1,
            "unchanged": 0,
            "rows": [
                {
                    "row": 0,
                    "action": "update",
                    "member_id": 1503,
                    "name": "Schmidt Verpackungen GmbH",
                    "changes": {"employees": [85, 92]},
                    "size_class": "medium",
                },
                {
                    "row": 1,
                    "action": "create",
                    "member_id": None,
                    "name": "Holzform AG",
                    "changes": {},
                    "size_class": "small",
                },
            ],
        },
    ),
    OpenApiExample(
        "Rows written",
        response_only=True,
        value={"dry_run": False, "create": 1, "update": 1, "unchanged": 0, "members": [1503, 1611]},
    ),
]
