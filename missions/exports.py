"""Exports of missions: iCalendar, one event per mission, for the calendar feeds, a mission's
file and the reminder emails' attachments; a participant's B2B agenda as iCalendar and PDF (in
the vendored DejaVu Sans of ``escp_portal.pdf``)."""

import io
from datetime import UTC as dt_utc
from datetime import timedelta
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from escp_portal.hostile import DATE_MAX, DATE_MIN, one_line
from escp_portal.pdf import FONT
from escp_portal.pdf import styles as pdf_styles


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


# --- a participant's B2B agenda -------------------------------------------------------------------


def _party_line(party) -> str:
    """The other side of a meeting as an agenda prints it: name, and for a local counterpart
    its organisation type and country."""
    from .models import LocalCounterpart, party_name

    if isinstance(party, LocalCounterpart):
        return f"{party.name} ({party.get_kind_display()}, {party.country.name})"
    return party_name(party)


def agenda_calendar(participation, meetings) -> bytes:
    """The scheduled meetings of a participant as iCalendar events, in UTC (calendar programs
    show them in each reader's own time)."""
    from .models import party_name

    mission = participation.mission
    calendar = Calendar()
    calendar.add("prodid", "-//ESCP Portal//b2b meetings//EN")
    calendar.add("version", "2.0")
    calendar.add(
        "x-wr-calname",
        one_line(_("B2B meetings of %(p)s") % {"p": party_name(participation)}),
    )
    where = ", ".join(p for p in (mission.meeting_venue, mission.city, mission.country.name) if p)
    for meeting in meetings:
        if meeting.starts_at is None:
            continue
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}-{participation.pk}@escp-portal")
        event.add(
            "summary",
            one_line(
                _("B2B meeting with %(other)s (table %(table)s)")
                % {"other": party_name(meeting.other), "table": meeting.table}
            ),
        )
        event.add("dtstart", meeting.starts_at.astimezone(dt_utc))
        event.add("dtend", meeting.ends_at.astimezone(dt_utc))
        event.add("dtstamp", timezone.now())
        event.add("location", one_line(where))
        event.add("status", "CONFIRMED")
        event.add(
            "url", f"{settings.SITE_URL}{reverse('missions:agenda', args=[participation.pk])}"
        )
        if meeting.message:
            event.add("description", meeting.message)
        calendar.add_component(event)
    return calendar.to_ical()


def agenda_ics_response(participation, meetings, stem: str) -> HttpResponse:
    response = HttpResponse(
        agenda_calendar(participation, meetings), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{stem}.ics"'
    return response


def agenda_rows(participation, meetings) -> list[list[str]]:
    """The rows of a participant's agenda as the PDF prints them: day, time, table, the other
    side, the message; in the reader's language and the mission's local time."""
    from .scheduling import mission_zone

    zone = mission_zone(participation.mission)
    rows = []
    for meeting in meetings:
        if meeting.starts_at is None:
            day, hours, table = str(_("not scheduled yet")), "", ""
        else:
            start = meeting.starts_at.astimezone(zone)
            end = meeting.ends_at.astimezone(zone)
            day = date_format(start.date(), "SHORT_DATE_FORMAT")
            hours = f"{start:%H:%M}\u2013{end:%H:%M}"
            table = str(meeting.table)
        rows.append([day, hours, table, _party_line(meeting.other), meeting.message])
    return rows


def agenda_pdf(participation, meetings) -> bytes:
    """A participant's agenda on A4, in the reader's language and the mission's local time."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from .models import party_name
    from .scheduling import mission_zone

    mission = participation.mission
    zone = mission_zone(mission)
    styles = pdf_styles()
    body = styles["BodyText"]
    title = _("B2B agenda of %(p)s") % {"p": party_name(participation)}
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=title, initialFontName=FONT)
    where = ", ".join(p for p in (mission.meeting_venue, mission.city, mission.country.name) if p)
    story = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(
            escape(
                f"{mission.title} \u2014 {mission.partnership.acronym}. {where}. "
                + _("Times are local (%(zone)s).") % {"zone": zone.key}
            ),
            styles["Normal"],
        ),
        Spacer(1, 12),
    ]
    head = [_("Day"), _("Time"), _("Table"), _("With"), _("Message")]
    data = [[Paragraph(f"<b>{escape(h)}</b>", body) for h in head]]
    for day, hours, table, other, message in agenda_rows(participation, meetings):
        data.append(
            [day, hours, table, Paragraph(escape(other), body), Paragraph(escape(message), body)]
        )
    if len(data) == 1:
        story.append(Paragraph(escape(_("No meeting accepted yet.")), body))
    else:
        grid = Table(data, repeatRows=1, colWidths=[60, 70, 40, 160, 170])
        grid.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), FONT),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(grid)
    document.build(story)
    return buffer.getvalue()
