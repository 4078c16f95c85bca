from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from events import selectors
from events.forms import EventFilterForm, office_choices
from events.ical import calendar_text
from notifications import feeds
from notifications.models import FeedToken

PAGE_SIZE = 20
WEEKDAYS = [
    (gettext_lazy("Пн"), gettext_lazy("понедельник")),
    (gettext_lazy("Вт"), gettext_lazy("вторник")),
    (gettext_lazy("Ср"), gettext_lazy("среда")),
    (gettext_lazy("Чт"), gettext_lazy("четверг")),
    (gettext_lazy("Пт"), gettext_lazy("пятница")),
    (gettext_lazy("Сб"), gettext_lazy("суббота")),
    (gettext_lazy("Вс"), gettext_lazy("воскресенье")),
]
CALENDAR = FeedToken.Purpose.CALENDAR


def _filter_form(request):
    form = EventFilterForm(request.GET, offices=office_choices())
    return form, form.filters()


@require_GET
def calendar(request):
    """«Мероприятия»: the month calendar (a grid; a list on phones) with the
    filters; a wrong filter value is named on the page and left out."""
    form, filters = _filter_form(request)
    today = timezone.localdate()
    first = filters.month or today.replace(day=1)
    month = selectors.month_calendar(first=first, filters=filters, user=request.user, today=today)
    return render(
        request,
        "events/calendar.html",
        {
            "form": form,
            "filters": filters,
            "month": month,
            "today": today,
            "previous_query": filters.query(month=month.previous),
            "next_query": filters.query(month=month.next),
            "today_query": filters.query(month="") or "?",
            "upcoming_query": filters.query(month=""),
            "past_query": filters.query(month="", when="past"),
            "weekdays": WEEKDAYS,
        },
    )


@require_GET
def event_list(request):
    """Upcoming events (soonest first) or, with ``when=past``, past ones."""
    form, filters = _filter_form(request)
    past = request.GET.get("when") == "past"
    events = selectors.event_list(filters=filters, user=request.user, past=past)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/list.html",
        {
            "form": form,
            "filters": filters,
            "past": past,
            "page": page,
            "today": timezone.localdate(),
            "calendar_query": filters.query(),
            "upcoming_query": filters.query(),
            "past_query": filters.query(when="past"),
        },
    )


@require_GET
def event_detail(request, pk):
    event = selectors.event_for_page(pk=pk, user=request.user)
    if event is None:
        raise Http404
    return render(
        request,
        "events/event.html",
        {
            "event": event,
            "materials": selectors.event_materials(event=event, user=request.user),
            "report": selectors.visible_report(event, request.user),
            "audience": selectors.audience_names(event.audience_id),
        },
    )


def _absolute(request, path):
    if settings.PORTAL_URL:
        return settings.PORTAL_URL.rstrip("/") + path
    return request.build_absolute_uri(path)


def _ics_response(request, events, *, name, filename):
    text = calendar_text(
        events, name=name, page_url=lambda event: _absolute(request, event.get_absolute_url())
    )
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def event_ics(request, pk):
    """One event as a file to add to one's calendar."""
    event = selectors.event_for_page(pk=pk, user=request.user)
    if event is None:
        raise Http404
    return _ics_response(request, [event], name=event.title, filename=f"event-{event.pk}.ics")


@login_not_required
@require_GET
def feed(request, token):
    """The person's private calendar: the events for them. No session — the
    token is the key; a wrong, forged or revoked one is a plain 404."""
    user = feeds.feed_user(token, purpose=CALENDAR)
    if user is None:
        raise Http404
    return _ics_response(
        request,
        selectors.feed_events(user=user),
        name=_("Мероприятия — база знаний СЗН"),
        filename="events.ics",
    )


@require_POST
def feed_create(request):
    feeds.feed_token_create(user=request.user, purpose=CALENDAR)
    messages.success(
        request,
        _("Ссылка на ваш календарь создана. Прежняя ссылка, если была, больше не работает."),
    )
    return redirect(reverse("profile") + "#profile-calendar-title")


@require_POST
def feed_revoke(request):
    if feeds.feed_token_revoke(user=request.user, purpose=CALENDAR):
        messages.success(
            request, _("Ссылка на календарь отозвана: по ней больше ничего не откроется.")
        )
    return redirect(reverse("profile") + "#profile-calendar-title")
