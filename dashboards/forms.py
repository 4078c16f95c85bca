"""The dashboard's filters: all of them GET parameters, so a view is a link."""

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from feedback.models import Channel, ClientGroup, ClientType

MAX_CUSTOM_MONTHS = 60


def add_months(month, n):
    """The first day of the month ``n`` months after ``month``'s (n may be < 0)."""
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(start, end):
    """Every first-of-month from start to end inclusive."""
    count = (end.year - start.year) * 12 + end.month - start.month + 1
    return [add_months(start, i) for i in range(max(count, 0))]


def month_label(month):
    """«март 2026» — the month in the nominative, for period names and axes."""
    return f"{formats.date_format(month, 'F').lower()} {month.year}"


def month_short(month):
    """«03.26» — short enough for a chart axis and a heat map header."""
    return f"{month:%m.%y}"


QUARTER_NUMERALS = ("I", "II", "III", "IV")


class PeriodKind:
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CUSTOM = "custom"

    choices = [
        (MONTH, _("месяц")),
        (QUARTER, _("квартал")),
        (YEAR, _("год")),
        (CUSTOM, _("свой интервал")),
    ]


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date

    @property
    def months(self):
        return months_between(self.start, self.end)

    @property
    def length(self):
        return len(self.months)

    def previous(self):
        """The period of the same length just before this one."""
        return Period(self.kind, add_months(self.start, -self.length), add_months(self.start, -1))

    def following(self):
        return Period(self.kind, add_months(self.end, 1), add_months(self.end, self.length))

    @property
    def label(self):
        if self.kind == PeriodKind.MONTH:
            return month_label(self.start)
        if self.kind == PeriodKind.QUARTER:
            return pgettext("period", "%(quarter)s квартал %(year)s") % {
                "quarter": QUARTER_NUMERALS[(self.start.month - 1) // 3],
                "year": self.start.year,
            }
        if self.kind == PeriodKind.YEAR:
            return pgettext("period", "%(year)s год") % {"year": self.start.year}
        if self.start == self.end:
            return month_label(self.start)
        return f"{month_label(self.start)} — {month_label(self.end)}"

    def is_partial(self, current_month):
        """Whether the period has not ended yet (it holds ``current_month``, or later)."""
        return self.end >= current_month

    def query(self):
        """GET parameters that select this period."""
        if self.kind == PeriodKind.CUSTOM:
            return {"period": self.kind, "start": f"{self.start:%Y-%m}", "end": f"{self.end:%Y-%m}"}
        return {"period": self.kind, "month": f"{self.start:%Y-%m}"}


def today():
    """Today's date in the portal's time zone (``settings.TIME_ZONE``).

    The one place the dashboard asks for the date, so tests can fix it.
    """
    return timezone.localdate()


def this_month():
    """The first day of the month in progress: its data is still coming in."""
    return today().replace(day=1)


def period_for(kind, anchor, start=None, end=None):
    anchor = anchor.replace(day=1)
    if kind == PeriodKind.QUARTER:
        first = anchor.replace(month=(anchor.month - 1) // 3 * 3 + 1)
        return Period(kind, first, add_months(first, 2))
    if kind == PeriodKind.YEAR:
        return Period(kind, anchor.replace(month=1), anchor.replace(month=12))
    if kind == PeriodKind.CUSTOM and start and end:
        return Period(kind, start, end)
    return Period(PeriodKind.MONTH, anchor, anchor)


def last_complete(kind, *, latest, current_month):
    """The newest period of ``kind`` that has ended, and not after the data's ``latest`` month.

    On 1 December the month in progress has one day of answers, the quarter
    two months and a day: a default view of either compares a sliver with a
    whole. A custom interval has no «last complete» one: a quarter stands in.
    """
    if kind not in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR):
        kind = PeriodKind.QUARTER
    limit = add_months(period_for(kind, current_month).start, -1)
    return period_for(kind, min(latest, limit) if latest else limit)


class MonthInput(forms.TextInput):
    """<input type="month">, whose value HTML allows only as a real YYYY-MM:
    anything else typed where the browser shows a plain text box is not
    shown back (the field's error says what to type)."""

    input_type = "month"

    def format_value(self, value):
        if isinstance(value, dt.date):
            return f"{value:%Y-%m}"
        value = super().format_value(value)
        try:
            dt.datetime.strptime(value or "", "%Y-%m")
        except ValueError:
            return None
        return value if len(value) == 7 else None


class MonthField(forms.CharField):
    """A month as YYYY-MM (what <input type="month"> sends), cleaned to its 1st day."""

    # No placeholder: HTML does not allow one on type="month"; the help text
    # gives the format for browsers that show a plain text box.
    widget = MonthInput(attrs={"size": 8})
    default_error_messages = {"invalid": _("Укажите месяц в виде ГГГГ-ММ, например 2026-03.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            parsed = dt.datetime.strptime(value.strip()[:7], "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not 2000 <= parsed.year <= 2100:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


def _with_all(choices, label):
    return [("", label), *choices]


class CxFilterForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Период"), choices=PeriodKind.choices, required=False, initial=PeriodKind.QUARTER
    )
    month = MonthField(
        label=_("Месяц"),
        required=False,
        help_text=_("ГГГГ-ММ; для квартала и года — любой их месяц."),
    )
    start = MonthField(label=_("С месяца"), required=False)
    end = MonthField(label=_("По месяц"), required=False)
    office = forms.TypedChoiceField(
        label=_("Подразделение"), required=False, coerce=int, empty_value=None
    )
    client_type = forms.ChoiceField(
        label=_("Тип клиента"),
        required=False,
        choices=_with_all(ClientType.choices, _("все")),
    )
    client_group = forms.ChoiceField(
        label=_("Группа клиентов"),
        required=False,
        choices=_with_all(ClientGroup.choices, _("все")),
    )
    channel = forms.ChoiceField(
        label=_("Канал"), required=False, choices=_with_all(Channel.choices, _("все"))
    )

    def __init__(self, data=None, *, offices=(), region=True, **kwargs):
        """``offices``: those that may be chosen, in tree order; ``region``:
        whether «весь регион» may be (a head of an office sees only its
        subtree, and the first of ``offices`` is that office)."""
        super().__init__(data, **kwargs)
        top = min((office.level for office in offices), default=0)
        self.fields["office"].choices = [
            *([("", _("весь регион"))] if region else []),
            *((office.pk, "— " * (office.level - top) + office.title) for office in offices),
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") == PeriodKind.CUSTOM:
            start, end = cleaned.get("start"), cleaned.get("end")
            if not start or not end:
                if "start" not in self.errors and "end" not in self.errors:
                    self.add_error("start", _("Для своего интервала укажите оба месяца."))
            elif start > end:
                self.add_error("end", _("Конец интервала раньше его начала."))
            elif len(months_between(start, end)) > MAX_CUSTOM_MONTHS:
                self.add_error(
                    "end",
                    _("Интервал длиннее %(months)s месяцев: выберите короче.")
                    % {"months": MAX_CUSTOM_MONTHS},
                )
        return cleaned

    def filters(self, *, latest, current_month):
        """The filters to apply: the valid fields, defaults for the rest.

        Without a month, the period is the last complete one of its kind
        (see ``last_complete``); ``latest`` is the newest month with data.
        """
        data = self.cleaned_data if self.is_bound else {}
        ok = self.is_bound and not self.errors

        def value(name):
            return data.get(name) if name not in self.errors else None

        kind = value("period") or PeriodKind.QUARTER
        anchor = value("month")
        if kind == PeriodKind.CUSTOM and ok:
            period = Period(kind, data["start"], data["end"])
        elif anchor is None:
            period = last_complete(kind, latest=latest, current_month=current_month)
        elif kind == PeriodKind.CUSTOM:
            period = period_for(PeriodKind.QUARTER, anchor)
        else:
            period = period_for(kind, anchor)
        return Filters(
            period=period,
            office_id=value("office"),
            client_type=value("client_type") or "",
            client_group=value("client_group") or "",
            channel=value("channel") or "",
        )


@dataclass(frozen=True)
class Filters:
    period: Period
    office_id: int | None = None
    client_type: str = ""
    client_group: str = ""
    channel: str = ""

    def query(self, **overrides):
        """GET parameters of these filters (a dict), with some replaced."""
        params = {
            **self.period.query(),
            "office": self.office_id or "",
            "client_type": self.client_type,
            "client_group": self.client_group,
            "channel": self.channel,
        }
        params.update(overrides)
        return {key: value for key, value in params.items() if value not in ("", None)}

    def cache_key(self):
        return (
            f"{self.period.kind}:{self.period.start:%Y%m}:{self.period.end:%Y%m}:"
            f"{self.office_id or ''}:{self.client_type}:{self.client_group}:{self.channel}"
        )


class CommentsFilterForm(CxFilterForm):
    """The dashboard's filters plus a topic and words to look for."""

    topic = forms.TypedChoiceField(label=_("Тема"), required=False, coerce=int, empty_value=None)
    q = forms.CharField(
        label=_("Слова в комментарии"),
        required=False,
        max_length=200,
        help_text=_("Любая форма слова: «очереди» найдёт и «очередь»."),
    )

    def __init__(self, data=None, *, offices=(), topics=(), region=True, **kwargs):
        super().__init__(data, offices=offices, region=region, **kwargs)
        self.fields["topic"].choices = [
            ("", _("все комментарии")),
            *((topic.pk, topic.name) for topic in topics),
        ]

    def clean_q(self):
        from feedback.topics import text_terms

        query = " ".join(self.cleaned_data.get("q", "").split())
        if query and not text_terms(query):
            raise forms.ValidationError(
                _("В запросе нет значимых слов (только предлоги и союзы): уточните его.")
            )
        return query
