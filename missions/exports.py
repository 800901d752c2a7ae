"""Exports of missions: iCalendar, one event per mission, for the calendar feeds, a mission's
file and the reminder emails' attachments."""

from datetime import timedelta

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from escp_portal.hostile import DATE_MAX, DATE_MIN, one_line


def ics_response(missions, name: str, stem: str) -> HttpResponse:
    """The missions as a calendar file (``stem``.ics) named ``name``, shown inline."""
    body = calendar_for(missions, name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{stem}.ics"'
    return response


def calendar_for(missions, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//ESCP Portal//missions//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", one_line(name))
    for mission in missions:
        # A mission dated outside the portal's years (legacy data) would end past the last
        # date a calendar can hold: it is left out, the others are listed.
        if DATE_MIN <= mission.start_date <= mission.end_date <= DATE_MAX:
            calendar.add_component(event_for(mission))
    return calendar.to_ical()


def event_for(mission) -> Event:
    event = Event()
    event.add("uid", f"mission-{mission.pk}@escp-portal")
    event.add("summary", one_line(f"{mission.title} ({mission.partnership.acronym})"))
    event.add("dtstart", mission.start_date)
    event.add("dtend", mission.end_date + timedelta(days=1))  # all-day events end the day after
    event.add("dtstamp", timezone.now())
    event.add("location", one_line(", ".join(p for p in (mission.city, mission.country.name) if p)))
    event.add(
        "status",
        "CANCELLED"
        if mission.status == "cancelled"
        else "CONFIRMED"
        if mission.status in ("confirmed", "done")
        else "TENTATIVE",
    )
    event.add("url", f"{settings.SITE_URL}{mission.get_absolute_url()}")
    if mission.description:
        event.add("description", mission.description)
    return event
