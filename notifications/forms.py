from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import Kind


class PreferencesForm(forms.Form):
    """One checkbox per kind: «также по электронной почте»."""

    email_kinds = forms.MultipleChoiceField(
        label=_("Также по электронной почте"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Такого вида уведомлений нет: %(value)s.")},
    )
