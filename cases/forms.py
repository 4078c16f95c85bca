from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases.models import Case, CaseRule
from cases.services import rule_matching_count

CONDITION_FIELDS = [
    "complaint",
    "csat_at_most",
    "nps_at_most",
    "problem_not_solved",
    "with_comment",
]


class CaseRuleForm(forms.ModelForm):
    """A rule; one that would match every response is saved only once confirmed."""

    confirm_catch_all = forms.BooleanField(
        label=_("Подтверждаю: правило подходит ко всем отзывам"),
        required=False,
        help_text=_(
            "Нужно, только если правило открывает обращение по каждому отзыву: "
            "без условий или с условиями, которым отвечает каждый загруженный отзыв."
        ),
    )

    class Meta:
        model = CaseRule
        fields = ["title", "is_active", "order", *CONDITION_FIELDS]

    def clean(self):
        cleaned = super().clean()
        if self.errors or not cleaned.get("is_active"):
            return cleaned
        rule = CaseRule(**{name: cleaned.get(name) for name in CONDITION_FIELDS})
        matching, total = rule_matching_count(rule=rule)
        if (rule.is_catch_all or (total and matching == total)) and not cleaned.get(
            "confirm_catch_all"
        ):
            raise forms.ValidationError(
                ngettext(
                    "Это правило подходит к каждому отзыву: под него попадает %(matching)s "
                    "отзыв из %(total)s, и по каждому новому отзыву откроется обращение. "
                    "Добавьте условие или отметьте «Подтверждаю» и сохраните ещё раз.",
                    "Это правило подходит к каждому отзыву: под него попадают %(matching)s "
                    "отзывов из %(total)s, и по каждому новому отзыву откроется обращение. "
                    "Добавьте условие или отметьте «Подтверждаю» и сохраните ещё раз.",
                    matching,
                )
                % {"matching": matching, "total": total},
                code="catch_all",
            )
        return cleaned


class CaseForm(forms.Form):
    """What a person changes on a case; `cases.services.case_update` decides."""

    status = forms.ChoiceField(label=_("Состояние"), choices=Case.Status.choices)
    assignee = forms.ModelChoiceField(
        label=_("Ответственный"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("не назначен"),
    )
    action_taken = forms.CharField(
        label=_("Что сделано"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Обязательно, чтобы закрыть обращение."),
    )
    contacted_back = forms.BooleanField(label=_("С клиентом связались"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, assignees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees
        self.fields["assignee"].label_from_instance = lambda user: (
            user.get_full_name() or user.get_username()
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") in Case.CLOSED and not (cleaned.get("action_taken") or "").strip():
            self.add_error("action_taken", _("Чтобы закрыть обращение, опишите, что сделано."))
        return cleaned


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Состояние"),
        required=False,
        choices=[("", _("все")), ("open", _("открытые")), *Case.Status.choices],
    )
    office = forms.TypedChoiceField(label=_("Подразделение"), required=False, coerce=int)
    overdue = forms.BooleanField(label=_("Только просроченные"), required=False)

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [("", _("все доступные"))] + [
            (office.pk, "— " * office.level + office.title) for office in offices
        ]
