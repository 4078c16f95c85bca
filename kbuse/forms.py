"""The page's filters: complete months, the level of the offices, the chart's measure.

All of them GET parameters, so a view is a link. A bad value is named in
Russian beside its field and the page shows the default for it.
"""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboards.forms import MonthField, add_months, month_label, months_between

DEFAULT_MONTHS = 6
MAX_MONTHS = 24


class Measure:
    """What the scatter chart puts on its horizontal axis."""

    VIEWS = "views"
    READING = "reading"
    IDEAS = "ideas"
    CASES = "cases"

    choices = [
        (VIEWS, _("просмотры базы знаний на сотрудника")),
        (READING, _("ознакомление с обязательными документами, %")),
        (IDEAS, _("идеи на 100 сотрудников")),
        (CASES, _("обращения, закрытые в срок, %")),
    ]
    # Short enough for the chart's axis on a phone.
    axis = {
        VIEWS: _("просмотров на сотрудника"),
        READING: _("ознакомление, %"),
        IDEAS: _("идей на 100 сотрудников"),
        CASES: _("обращений закрыто в срок, %"),
    }


class KnowledgeFilterForm(forms.Form):
    start = MonthField(label=_("С месяца"), required=False, help_text=_("ГГГГ-ММ."))
    end = MonthField(
        label=_("По месяц"),
        required=False,
        help_text=_("ГГГГ-ММ; только завершённые месяцы."),
    )
    level = forms.TypedChoiceField(
        label=_("Уровень подразделений"), required=False, coerce=int, empty_value=None
    )
    x = forms.ChoiceField(
        label=_("На графике по горизонтали"), required=False, choices=Measure.choices
    )

    def __init__(self, data=None, *, levels, current_month, **kwargs):
        """``levels``: [(level, label)] of the offices the person sees;
        ``current_month``: the month in progress, the first one not allowed."""
        super().__init__(data, **kwargs)
        self.current_month = current_month
        self.fields["level"].choices = levels

    @property
    def last_complete(self):
        return add_months(self.current_month, -1)

    def clean_end(self):
        end = self.cleaned_data.get("end")
        if end is not None and end >= self.current_month:
            raise forms.ValidationError(
                _("Этот месяц ещё не закончился: выберите не позже, чем %(month)s.")
                % {"month": month_label(self.last_complete)},
                code="partial",
            )
        return end

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end") or self.last_complete
        if start is None or "end" in self.errors:
            return cleaned
        if start > end:
            self.add_error("start", _("Начало периода позже его конца."))
        elif len(months_between(start, end)) > MAX_MONTHS:
            self.add_error(
                "start",
                _("Период длиннее %(months)s месяцев: выберите короче.") % {"months": MAX_MONTHS},
            )
        return cleaned

    def filters(self, *, default_level):
        """The filters to apply: the valid fields, defaults for the rest."""
        data = self.cleaned_data if self.is_bound else {}

        def value(name):
            return data.get(name) if name not in self.errors else None

        end = value("end") or self.last_complete
        start = value("start") or add_months(end, -(DEFAULT_MONTHS - 1))
        level = value("level")
        return Filters(
            start=start,
            end=end,
            level=default_level if level is None else level,
            measure=value("x") or Measure.VIEWS,
        )


@dataclass(frozen=True)
class Filters:
    start: object  # the first day of the first month
    end: object  # the first day of the last month
    level: int
    measure: str

    @property
    def months(self):
        return months_between(self.start, self.end)

    @property
    def label(self):
        if self.start == self.end:
            return month_label(self.start)
        return f"{month_label(self.start)} — {month_label(self.end)}"

    def query(self, **overrides):
        params = {
            "start": f"{self.start:%Y-%m}",
            "end": f"{self.end:%Y-%m}",
            "level": self.level,
            "x": self.measure,
        }
        params.update(overrides)
        return {key: value for key, value in params.items() if value not in ("", None)}
