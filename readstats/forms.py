"""The page's filters, all GET parameters (a view is a link): the period
(the last 7, 30 or 90 days, or dates of one's own), a section (with its
subsections), an office of the person's scope, the order of the office table.

A bad value is named in Russian beside its field and the page shows the
default for it: nothing here ever answers an error page.
"""

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

DEFAULT_DAYS = 30
MAX_DAYS = 366
# Periods up to this many days are drawn per day, longer ones per week.
DAILY_UP_TO = 31
FIRST_YEAR = 2000


class PeriodKind:
    LAST_7 = "7"
    LAST_30 = "30"
    LAST_90 = "90"
    CUSTOM = "custom"

    choices = [
        (LAST_7, _("последние 7 дней")),
        (LAST_30, _("последние 30 дней")),
        (LAST_90, _("последние 90 дней")),
        (CUSTOM, _("свои даты")),
    ]


class OfficeSort:
    TREE = "tree"
    VIEWS = "views"
    PER_100 = "per100"
    choices = [
        (TREE, _("по структуре")),
        (VIEWS, _("по просмотрам")),
        (PER_100, _("по просмотрам на 100 сотрудников")),
    ]


class DayInput(forms.DateInput):
    """<input type="date">, whose value HTML allows only as a real date:
    anything else is not shown back (the field's error says what to type)."""

    input_type = "date"

    def format_value(self, value):
        if isinstance(value, dt.date):
            return value.isoformat()
        value = super().format_value(value) or ""
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return None
        return value if len(value) == 10 else None


class DayField(forms.DateField):
    widget = DayInput
    default_error_messages = {"invalid": _("Укажите дату в виде ГГГГ-ММ-ДД, например 2026-03-01.")}

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%Y-%m-%d"], **kwargs)

    def to_python(self, value):
        day = super().to_python(value)
        if day is not None and day.year < FIRST_YEAR:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return day


class ReadingFilterForm(forms.Form):
    period = forms.ChoiceField(label=_("Период"), required=False, choices=PeriodKind.choices)
    start = DayField(label=_("С даты"), required=False, help_text=_("Для своих дат."))
    end = DayField(label=_("По дату"), required=False, help_text=_("Включительно."))
    section = forms.TypedChoiceField(
        label=_("Раздел"), required=False, coerce=int, empty_value=None
    )
    office = forms.TypedChoiceField(
        label=_("Подразделение"), required=False, coerce=int, empty_value=None
    )
    sort = forms.ChoiceField(
        label=_("Порядок подразделений"), required=False, choices=OfficeSort.choices
    )

    def __init__(self, data=None, *, today, sections, offices, **kwargs):
        """``sections`` and ``offices``: [(id, label)] that may be chosen
        (the offices of the person's scope only)."""
        super().__init__(data, **kwargs)
        self.today = today
        self.fields["section"].choices = [("", _("все разделы")), *sections]
        self.fields["office"].choices = [("", _("все подразделения")), *offices]

    def clean_end(self):
        end = self.cleaned_data.get("end")
        if end is not None and end > self.today:
            raise forms.ValidationError(_("Эта дата ещё не наступила."), code="future")
        return end

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") != PeriodKind.CUSTOM:
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if "start" in self.errors or "end" in self.errors:
            return cleaned
        if start is None:
            self.add_error("start", _("Для своих дат укажите начало периода."))
        elif start > (end or self.today):
            self.add_error("start", _("Начало периода позже его конца."))
        elif ((end or self.today) - start).days + 1 > MAX_DAYS:
            self.add_error(
                "start",
                _("Период длиннее %(days)s дней: выберите короче.") % {"days": MAX_DAYS},
            )
        return cleaned

    def filters(self):
        """The filters to apply: the valid fields, defaults for the rest."""
        data = self.cleaned_data if self.is_bound else {}

        def value(name):
            return data.get(name) if name not in self.errors else None

        kind = value("period") or PeriodKind.LAST_30
        # Dates of one's own only when both are right: else the default period.
        custom = (
            kind == PeriodKind.CUSTOM and not {"start", "end"} & set(self.errors) and value("start")
        )
        if custom:
            start, end = value("start"), value("end") or self.today
        else:
            if kind == PeriodKind.CUSTOM:
                kind = PeriodKind.LAST_30
            end = self.today
            start = end - dt.timedelta(days=int(kind) - 1)
        return Filters(
            kind=kind,
            start=start,
            end=end,
            section_id=value("section"),
            office_id=value("office"),
            sort=value("sort") or OfficeSort.TREE,
        )


@dataclass(frozen=True)
class Filters:
    kind: str
    start: dt.date
    end: dt.date  # included
    section_id: int | None
    office_id: int | None
    sort: str

    @property
    def days(self):
        return (self.end - self.start).days + 1

    @property
    def weekly(self):
        return self.days > DAILY_UP_TO

    @property
    def label(self):
        start = formats.date_format(self.start, "j E Y")
        end = formats.date_format(self.end, "j E Y")
        return start if self.start == self.end else f"{start} — {end}"

    def query(self, **overrides):
        params = {
            "period": self.kind,
            "start": self.start.isoformat() if self.kind == PeriodKind.CUSTOM else "",
            "end": self.end.isoformat() if self.kind == PeriodKind.CUSTOM else "",
            "section": self.section_id,
            "office": self.office_id,
            "sort": self.sort if self.sort != OfficeSort.TREE else "",
        }
        params.update(overrides)
        return {key: value for key, value in params.items() if value not in ("", None)}
