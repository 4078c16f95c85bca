import re
from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from events.models import WEB_ADDRESS_MESSAGE, Event
from events.selectors import Filters
from people.audience_fields import (
    audience_cleaned_spec,
    audience_fields_prepare,
    nobody_matches,
    offices_field,
    positions_field,
    roles_field,
)
from people.audiences import members
from people.models import Office

MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
# Months a calendar can be turned to: far enough for any plan, near enough
# that date arithmetic never leaves the calendar.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def parse_month(value):
    """``YYYY-MM`` as the month's first day, or None."""
    match = MONTH.match(value or "")
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        return None
    return date(year, month, 1)


class MonthInput(forms.TextInput):
    """``<input type="month">``; a value that is not a month is not written
    back into it (the page names the error above)."""

    input_type = "month"

    def format_value(self, value):
        value = super().format_value(value)
        return value if value and parse_month(value) else None


def office_choices():
    """The offices in tree order, with their place in the tree (one query)."""
    return list(
        Office.objects.order_by("tree_id", "lft").values_list(
            "id", "title", "level", "tree_id", "lft", "rght"
        )
    )


class EventFilterForm(forms.Form):
    """The filters of the calendar and the lists. A value that is not in the
    lists is an error shown on the page, and that filter is left out."""

    month = forms.CharField(
        label=_("Месяц"),
        required=False,
        max_length=7,
        error_messages={"max_length": _("Месяц указан неверно (нужно ГГГГ-ММ).")},
    )
    mine = forms.BooleanField(label=_("Только для меня"), required=False)
    office = forms.TypedChoiceField(
        label=_("Организатор"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": _(
                "Такого подразделения нет — показаны мероприятия всех организаторов."
            )
        },
    )
    format = forms.ChoiceField(
        label=_("Формат"),
        required=False,
        choices=[("", _("любой")), *Event.Format.choices],
        error_messages={"invalid_choice": _("Такого формата нет — показаны все форматы.")},
    )
    kind = forms.ChoiceField(
        label=_("Вид"),
        required=False,
        choices=[("", _("любой")), *Event.Kind.choices],
        error_messages={"invalid_choice": _("Такого вида мероприятий нет — показаны все виды.")},
    )

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self._offices = {row[0]: row for row in offices}
        self.fields["office"].choices = [("", _("все подразделения"))] + [
            (str(pk), "— " * level + title) for pk, title, level, *_tree in offices
        ]
        self.fields["month"].widget = MonthInput(
            attrs={"min": f"{FIRST_YEAR}-01", "max": f"{LAST_YEAR}-12"}
        )

    def clean_month(self):
        value = self.cleaned_data["month"]
        if not value:
            return None
        first = parse_month(value)
        if first is None:
            raise forms.ValidationError(
                _("Месяц указан неверно (нужно ГГГГ-ММ, например 2026-03) — он не учтён.")
            )
        return first

    def filters(self):
        """The valid filters (``events.selectors.Filters``)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        office = self._offices.get(data.get("office"))
        return Filters(
            month=data.get("month"),
            mine=bool(data.get("mine")),
            office_id=office[0] if office else None,
            office_tree=tuple(office[3:]) if office else None,
            format=data.get("format") or "",
            kind=data.get("kind") or "",
        )


AUDIENCE_RULE = _(
    "Для кого мероприятие: оно попадёт в «Ближайшие мероприятия» на главной, в фильтр «Только для "
    "меня» и в личный календарь (iCal) сотрудников, которые подходят под каждое заполненное "
    "условие — работают в одном из выбранных подразделений или в подчинённом ему, занимают одну "
    "из выбранных должностей, имеют одну из выбранных ролей. Не выбрано ничего — мероприятие для "
    "всех. Увидеть мероприятие в календаре портала может каждый."
)


class EventAdminForm(forms.ModelForm):
    """The event with its organiser (by login) and its audience
    (``audience_spec`` after ``clean``; stored by ``event_audience_apply``).
    A view-only form has none of the extra fields."""

    loaded_version = forms.IntegerField(
        label=_("версия, открытая для правки"), widget=forms.HiddenInput, required=False
    )
    online_url = forms.URLField(
        label=Event._meta.get_field("online_url").verbose_name,
        help_text=Event._meta.get_field("online_url").help_text,
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": WEB_ADDRESS_MESSAGE},
    )
    organiser_login = forms.CharField(
        label=_("организатор: сотрудник (логин)"),
        required=False,
        max_length=150,
        help_text=_("Логин сотрудника, который проводит мероприятие; пусто — не указан."),
    )
    audience_offices = offices_field()
    audience_positions = positions_field()
    audience_roles = roles_field(label=_("роли (необязательно)"))
    confirm_empty_audience = forms.BooleanField(
        label=_("Подтверждаю: сохранить, хотя под условия сейчас не подходит ни один сотрудник"),
        required=False,
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "all_day",
            "place",
            "online_url",
            "organiser_office",
            "description",
            "materials",
            "report",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "loaded_version" in self.fields:
            # From the database, not the instance: a history revert's instance
            # holds the old version's number.
            self.fields["loaded_version"].initial = (
                Event.all_objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
        if "audience_offices" not in self.fields:
            return
        stored = self.instance.pk is not None
        audience_fields_prepare(
            self, prefix="audience", audience=self.instance.audience if stored else None
        )
        if stored and self.instance.organiser_user_id:
            self.initial.setdefault("organiser_login", self.instance.organiser_user.get_username())

    def clean_organiser_login(self):
        login = (self.cleaned_data.get("organiser_login") or "").strip()
        if not login:
            self.organiser = None
            return ""
        user = get_user_model().objects.filter(username=login, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("Нет действующего сотрудника с логином «%(login)s».") % {"login": login}
            )
        self.organiser = user
        return login

    def _check_not_stale(self, loaded_version):
        if not self.instance.pk or "loaded_version" not in self.fields:
            return
        # The admin's change view runs in a transaction: the row lock holds
        # until the save is done, so two saves of one event run one by one.
        stored = (
            Event.all_objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if loaded_version != stored:
            raise forms.ValidationError(
                _(
                    "Пока вы редактировали, мероприятие сохранил другой редактор. Ваши изменения "
                    "не сохранены, чтобы не затереть чужие: откройте мероприятие заново, "
                    "перенесите в него свои правки и сохраните снова."
                ),
                code="stale",
            )

    def clean(self):
        cleaned = super().clean()
        self._check_not_stale(cleaned.get("loaded_version"))
        if "organiser_login" in self.fields and hasattr(self, "organiser"):
            self.instance.organiser_user = self.organiser
        if "audience_offices" not in self.fields:
            return cleaned
        self.audience_spec = audience_cleaned_spec(cleaned, prefix="audience")
        if self.errors or cleaned.get("confirm_empty_audience"):
            return cleaned
        staff = nobody_matches(self.audience_spec)
        if staff is not None:
            self.add_error(
                "confirm_empty_audience",
                _(
                    "Под эти условия сейчас не подходит ни один сотрудник (всего сотрудников: "
                    "%(staff)s): на главной и в личных календарях мероприятие не увидит никто. "
                    "Измените условия или отметьте «Подтверждаю» и сохраните ещё раз."
                )
                % {"staff": staff},
            )
        return cleaned


def audience_count(spec):
    """How many active staff the audience holds (for the admin's note)."""
    return members(spec).count()
