from django import forms
from django.utils.translation import gettext_lazy as _

from articles.models import Article


class NewsFilterForm(forms.Form):
    """The filters of «Что нового»: a section (with its subsections) and a
    kind. A value that is not in the lists is an error shown on the page,
    and that filter is left out."""

    section = forms.TypedChoiceField(
        label=_("Раздел"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": _("Такого раздела нет — показаны материалы всех разделов.")
        },
    )
    kind = forms.ChoiceField(
        label=_("Вид материала"),
        required=False,
        choices=[("", _("любой")), *Article.Kind.choices],
        error_messages={"invalid_choice": _("Такого вида материалов нет — показаны все виды.")},
    )

    def __init__(self, *args, tree, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("все разделы"))]

        def walk(nodes):
            for node in nodes:
                choices.append((str(node.id), "— " * node.level + node.title))
                walk(node.children)

        walk(tree.roots)
        self.fields["section"].choices = choices

    def filters(self):
        """The valid filters: {"section": id or None, "kind": "" or a kind}."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"section": data.get("section"), "kind": data.get("kind") or ""}
