"""iCalendar (RFC 5545) for Outlook and phone calendars, written by hand:
a few properties of VEVENT need no library.

What the RFC asks and calendars check: lines end in CRLF; a line longer
than 75 octets is folded (CRLF and one space), never inside a UTF-8
character; in TEXT values backslashes, semicolons, commas and line breaks
are escaped; times are in UTC (``…Z``, no VTIMEZONE needed), all-day
events are DATE values with the day after the last as DTEND; each event
has a stable UID, DTSTAMP and a SEQUENCE that grows with every change."""

import html
import re
from datetime import UTC, timedelta

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

CRLF = "\r\n"
LINE_OCTETS = 75
UID_DOMAIN = "kb-portal"
PRODID = "-//KB Portal SZN//Events//RU"

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_BLOCK_END = re.compile(r"</(p|div|h[1-6]|li|tr|blockquote|figcaption)>|<br\s*/?>", re.IGNORECASE)


def escape_text(value):
    """A TEXT value (RFC 5545, 3.3.11): ``\\``, ``;``, ``,`` and line breaks
    escaped; other control characters, which TEXT may not hold, dropped."""
    value = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\n", "\\n")
    return _CONTROL.sub("", value)


def fold(line):
    """``line`` folded into lines of at most 75 octets (RFC 5545, 3.1): the
    continuation lines start with one space, which counts."""
    if len(line.encode("utf-8")) <= LINE_OCTETS:
        return line
    parts, current, size, limit = [], [], 0, LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(char)
        size += octets
    parts.append("".join(current))
    return (CRLF + " ").join(parts)


def utc_stamp(moment):
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def html_to_text(value):
    """Rich text as plain lines, for DESCRIPTION."""
    text = _BLOCK_END.sub("\n", value or "")
    text = html.unescape(strip_tags(text))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _event_lines(event, *, page_url):
    if event.all_day:
        start = ("DTSTART;VALUE=DATE", event.first_day.strftime("%Y%m%d"))
        end = ("DTEND;VALUE=DATE", (event.last_day + timedelta(days=1)).strftime("%Y%m%d"))
    else:
        start = ("DTSTART", utc_stamp(event.starts_at))
        end = ("DTEND", utc_stamp(event.ends_at))
    details = []
    description = html_to_text(event.description)
    if description:
        details.append(description)
    if event.online_url:
        details.append(_("Подключение: %(url)s") % {"url": event.online_url})
    organiser = [
        name
        for name in (
            event.organiser_user.get_full_name() if event.organiser_user_id else "",
            event.organiser_office.title if event.organiser_office_id else "",
        )
        if name
    ]
    if organiser:
        details.append(_("Организатор: %(names)s") % {"names": ", ".join(organiser)})
    details.append(_("Подробнее: %(url)s") % {"url": page_url})
    location = event.place or (_("Онлайн: %(url)s") % {"url": event.online_url})
    stamp = utc_stamp(event.modified_at)
    return [
        ("BEGIN", "VEVENT"),
        ("UID", f"{event.uid}@{UID_DOMAIN}"),
        ("DTSTAMP", stamp),
        ("CREATED", utc_stamp(event.created_at)),
        ("LAST-MODIFIED", stamp),
        ("SEQUENCE", str(event.version)),
        start,
        end,
        ("SUMMARY", escape_text(event.title)),
        ("DESCRIPTION", escape_text("\n\n".join(details))),
        ("LOCATION", escape_text(location)),
        ("CATEGORIES", escape_text(event.get_kind_display())),
        # A URI, not TEXT: not escaped (the address is the portal's own).
        ("URL", page_url),
        ("STATUS", "CONFIRMED"),
        ("TRANSP", "OPAQUE"),
        ("END", "VEVENT"),
    ]


def calendar_text(events, *, name, page_url):
    """The calendar of ``events`` as iCalendar text; ``page_url(event)`` is
    the absolute address of an event's page."""
    lines = [
        ("BEGIN", "VCALENDAR"),
        ("VERSION", "2.0"),
        ("PRODID", PRODID),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("X-WR-CALNAME", escape_text(name)),
        ("X-WR-TIMEZONE", settings.TIME_ZONE),
        # How often a subscribed calendar should look again.
        ("REFRESH-INTERVAL;VALUE=DURATION", "PT1H"),
        ("X-PUBLISHED-TTL", "PT1H"),
    ]
    for event in events:
        lines.extend(_event_lines(event, page_url=page_url(event)))
    lines.append(("END", "VCALENDAR"))
    return "".join(fold(f"{key}:{value}") + CRLF for key, value in lines)
