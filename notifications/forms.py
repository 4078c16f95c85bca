from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import DigestFrequency, Kind
from notifications.selectors import kind_areas, kind_short_label


class PreferencesForm(forms.Form):
    """One checkbox per kind: «также по электронной почте»."""

    email_kinds = forms.MultipleChoiceField(
        label=_("Также по электронной почте"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Такого вида уведомлений нет: %(value)s.")},
    )

    def __init__(self, *args, kinds=None, **kwargs):
        """``kinds``: the kinds this person can get (all by default); the
        others are neither shown nor accepted."""
        super().__init__(*args, **kwargs)
        if kinds is not None:
            labels = dict(Kind.choices)
            self.fields["email_kinds"].choices = [(kind, labels[kind]) for kind in kinds]

    def areas(self):
        """[(area title, [the kind's checkbox])] for the template."""
        boxes = {box.data["value"]: box for box in self["email_kinds"]}
        return [
            (title, [(boxes[kind], kind_short_label(kind)) for kind in kinds])
            for title, kinds in kind_areas(kinds=list(boxes))
        ]


class DigestForm(forms.Form):
    """How often the digest comes by e-mail."""

    frequency = forms.ChoiceField(
        label=_("Дайджест по электронной почте"),
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Выберите, как часто присылать дайджест."),
            "invalid_choice": _(
                "Такого варианта нет: выберите «никогда», «раз в неделю» или «каждый день»."
            ),
        },
    )
