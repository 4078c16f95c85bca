"""The form fields of an audience (offices, positions, roles), for any form
that says who something is for: mandatory reading and targeting of articles
and sections, and whatever else takes an `Audience`.

A form declares the three fields under a prefix of its own
(``mandatory_offices = offices_field()`` …), fills their choices and the
stored audience with `audience_fields_prepare`, and reads the spec back
with `audience_cleaned_spec`; `nobody_matches` tells whether to ask the
editor to confirm an audience nobody is in.
"""

from django import forms
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.utils.translation import gettext_lazy as _

from people.audiences import AudienceSpec, audience_spec, members, role_choices
from people.models import Office, Position


class OfficeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return "— " * obj.level + obj.title


def offices_field():
    return OfficeChoiceField(
        label=_("подразделения"),
        queryset=Office.objects.none(),
        required=False,
        widget=FilteredSelectMultiple(_("подразделения"), is_stacked=False),
        help_text=_("Подразделение вместе со всеми подчинёнными ему."),
    )


def positions_field():
    return forms.ModelMultipleChoiceField(
        label=_("должности"),
        queryset=Position.objects.none(),
        required=False,
        widget=FilteredSelectMultiple(_("должности"), is_stacked=False),
    )


def roles_field(*, label=None, help_text=""):
    return forms.ModelMultipleChoiceField(
        label=label or _("роли"),
        queryset=role_choices().none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


def audience_fields_prepare(form, *, prefix, audience=None):
    """Fill the choices of ``form``'s ``<prefix>_offices/positions/roles``
    and, for a stored object, their initial values from ``audience``."""
    form.fields[f"{prefix}_offices"].queryset = Office.objects.order_by("tree_id", "lft")
    form.fields[f"{prefix}_positions"].queryset = Position.objects.all()
    form.fields[f"{prefix}_roles"].queryset = role_choices().order_by("name")
    if form.instance.pk is None:
        return
    spec = audience_spec(audience)
    form.initial.setdefault(f"{prefix}_offices", list(spec.office_ids))
    form.initial.setdefault(f"{prefix}_positions", list(spec.position_ids))
    form.initial.setdefault(f"{prefix}_roles", list(spec.role_ids))


def audience_cleaned_spec(cleaned, *, prefix):
    """The AudienceSpec of the cleaned ``<prefix>_…`` fields."""
    return AudienceSpec.of(
        offices=cleaned.get(f"{prefix}_offices") or (),
        positions=cleaned.get(f"{prefix}_positions") or (),
        roles=cleaned.get(f"{prefix}_roles") or (),
    )


def nobody_matches(spec):
    """The number of staff when nobody is in ``spec`` (to show it to the
    editor before they confirm), None when someone is (or ``spec`` is everyone)."""
    if spec.everyone or members(spec).exists():
        return None
    return members(AudienceSpec()).count()
