"""Examples of the KPIs and measurements in the API schema (request and answer)."""

from drf_spectacular.utils import OpenApiExample

KPI_WRITE = {
    "objective": 88,
    "name": "SMEs taking part in missions",
    "unit": "SMEs",
    "kind": "output",
    "aggregation": "sum",
    "direction": "increase",
    "baseline_value": "0.00",
    "baseline_date": "2024-01-01",
    "target_value": "60.00",
    "target_date": "2026-12-31",
    "frequency": "semiannual",
    "source": "manual",
    "core_indicator": "",
    "breakdowns": ["country"],
    "responsible": 31,
    "data_source": "Registration lists of the missions",
    "collection_protocol": "Each partner counts its own SMEs after each mission.",
    "milestones": [{"date": "2025-12-31", "value": "30.00"}],
}

KPI_EXAMPLES = [
    OpenApiExample("A KPI to create", value=KPI_WRITE, request_only=True),
    OpenApiExample(
        "A KPI", value={"id": 41, **KPI_WRITE, "current_value": "38.00"}, response_only=True
    ),
]

MEASUREMENT_WRITE = {
    "kpi": 41,
    "period_end": "2026-06-30",
    "partner": 31,
    "value": "12.00",
    "evidence_url": "https://drive.example.eu/mission-osaka-attendance.pdf",
    "note": "Osaka trade mission, June 2026.",
    "parts": [{"dimension": "country", "key": "DE", "value": "12.00"}],
}

MEASUREMENT_EXAMPLES = [
    OpenApiExample("A value to report", value=MEASUREMENT_WRITE, request_only=True),
    OpenApiExample(
        "A reported value",
        response_only=True,
        value={
            "id": 905,
            **MEASUREMENT_WRITE,
            "status": "submitted",
            "review_comment": "",
            "reported_at": "2026-07-03T09:00:00Z",
            "reviewed_at": None,
            "revisions": [],
        },
    ),
]

MEASUREMENT_BULK_EXAMPLES = [
    OpenApiExample(
        "Values of a period",
        request_only=True,
        value=[
            {"kpi": 41, "period_end": "2026-06-30", "value": "12", "partner": 31},
            {"kpi": 42, "period_end": "2026-06-30", "value": "3", "note": "Two MoUs, one contract"},
        ],
    ),
]
