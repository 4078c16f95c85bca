from django import forms
from django.utils.translation import gettext_lazy as _

from contributions.models import TEXT_MAX_LENGTH, Helpfulness

TOO_LONG = _("Не больше %(limit_value)d символов (сейчас %(show_value)d).")


class HelpfulnessForm(forms.Form):
    helpful = forms.TypedChoiceField(
        label=_("Материал был полезен?"),
        choices=[("yes", _("Да")), ("no", _("Нет"))],
        coerce=lambda value: value == "yes",
        error_messages={
            "required": _("Ответьте «Да» или «Нет»."),
            "invalid_choice": _("Ответьте «Да» или «Нет»."),
        },
    )
    reason = forms.ChoiceField(
        label=_("Если нет — что не так?"),
        choices=Helpfulness.Reason.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Выберите причину из списка.")},
    )
    text = forms.CharField(
        label=_("Пояснение (необязательно)"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": TOO_LONG},
    )

    def clean(self):
        cleaned = super().clean()
        no_reason = cleaned.get("helpful") is False and not cleaned.get("reason")
        if no_reason and "reason" not in self.errors:
            self.add_error("reason", _("Выберите, что не так с материалом."))
        return cleaned


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Примечание (необязательно)"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": TOO_LONG},
    )
