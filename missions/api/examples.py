"""Examples of the missions and participations in the API schema (request and answer)."""

from drf_spectacular.utils import OpenApiExample

MISSION_WRITE = {
    "partnership": 12,
    "title": "Trade mission to Osaka: recyclable packaging",
    "kind": "trade_mission",
    "country": "JP",
    "city": "Osaka",
    "start_date": "2026-06-08",
    "end_date": "2026-06-11",
    "registration_deadline": "2026-04-30",
    "capacity": 15,
    "organiser": 31,
    "local_support": "EU-Japan Centre for Industrial Cooperation",
    "description": "Three days of B2B meetings with Japanese retailers and converters.",
    "status": "planned",
    "meeting_venue": "Osaka International Convention Center",
    "meeting_minutes": 30,
    "meeting_day_start": "09:00:00",
    "meeting_day_end": "17:00:00",
    "meeting_tables": 10,
    "meeting_time_zone": "Asia/Tokyo",
}

MISSION_EXAMPLES = [
    OpenApiExample("A mission to plan", value=MISSION_WRITE, request_only=True),
    OpenApiExample(
        "A mission",
        response_only=True,
        value={
            "id": 230,
            **MISSION_WRITE,
            "places_taken": 11,
            "waiting": 0,
            "updated_at": "2026-05-02T12:00:00Z",
        },
    ),
]

PARTICIPATION_EXAMPLES = [
    OpenApiExample(
        "A member to register",
        value={"mission": 230, "member": 1503, "note": "Two people will travel."},
        request_only=True,
    ),
    OpenApiExample(
        "A registration",
        response_only=True,
        value={
            "id": 4410,
            "mission": 230,
            "member": 1503,
            "cluster": 7,
            "status": "registered",
            "note": "Two people will travel.",
            "registered_at": "2026-04-12T08:30:00Z",
            "names_hidden": False,
        },
    ),
]
