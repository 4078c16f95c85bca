"""The admin's forms of a decision tree: its nodes and its answers are two
inline formsets on the algorithm's page, checked together as one tree
before any of it is written.

An answer names its nodes by their codes, so that a question, its answers
and the nodes they lead to can all be added in one save. The two formsets
find each other through ``tree_forms``, a dict the admin gives both."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from algorithms.models import CODE_MAX, DecisionAnswer, DecisionNode
from algorithms.services import DraftAnswer, DraftNode, algorithm_validate


def _clean_code(value):
    return " ".join((value or "").split())


class NodeForm(forms.ModelForm):
    class Meta:
        model = DecisionNode
        fields = [
            "code",
            "kind",
            "is_start",
            "text",
            "explanation",
            "steps",
            "documents",
            "script",
            "articles",
            "links",
            "order",
        ]
        widgets = {
            "code": forms.TextInput(attrs={"size": 8}),
            "text": forms.Textarea(attrs={"rows": 2, "cols": 80}),
            "explanation": forms.Textarea(attrs={"rows": 2, "cols": 80}),
            "steps": forms.Textarea(attrs={"rows": 4, "cols": 80}),
            "documents": forms.Textarea(attrs={"rows": 3, "cols": 80}),
            "script": forms.Textarea(attrs={"rows": 3, "cols": 80}),
            "links": forms.Textarea(attrs={"rows": 2, "cols": 80}),
        }

    def clean_code(self):
        return _clean_code(self.cleaned_data["code"])

    def clean_text(self):
        return " ".join(self.cleaned_data["text"].split())  # one line, as the wizard shows it


class TreeFormSet(BaseInlineFormSet):
    role = ""

    def __init__(self, *args, tree_forms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tree_forms = {} if tree_forms is None else tree_forms
        self.tree_forms[self.role] = self

    def kept_forms(self):
        """The forms that will be rows after the save (not deleted, not an
        untouched empty form)."""
        return [
            form
            for form in self.forms
            if not self._should_delete_form(form)
            and (form.instance.pk is not None or form.has_changed())
        ]

    def deleted_forms_(self):
        return [form for form in self.forms if self._should_delete_form(form)]


class NodeFormSet(TreeFormSet):
    role = "nodes"

    def drafts(self):
        return [
            DraftNode(
                code=form.cleaned_data["code"],
                kind=form.cleaned_data["kind"],
                is_start=form.cleaned_data["is_start"],
                text=form.cleaned_data["text"],
            )
            for form in self.kept_forms()
        ]

    def renamed(self):
        """{old code: new code} of the stored nodes whose code the form changes."""
        # The form's initial: the instance has the new code once validated.
        return {
            form.initial["code"]: form.cleaned_data["code"]
            for form in self.kept_forms()
            if form.instance.pk is not None and form.initial["code"] != form.cleaned_data["code"]
        }

    def deleted_pks(self):
        return {form.instance.pk for form in self.deleted_forms_() if form.instance.pk}


class AnswerForm(forms.ModelForm):
    from_code = forms.CharField(
        label=_("на вопрос (код)"),
        max_length=CODE_MAX,
        help_text=_("Код вопроса, на который это ответ."),
    )
    to_code = forms.CharField(
        label=_("ведёт к (код)"),
        max_length=CODE_MAX,
        required=False,
        help_text=_("Код следующего вопроса или итога."),
    )

    class Meta:
        model = DecisionAnswer
        fields = ["order", "from_code", "label", "to_code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        answer = self.instance
        if answer.pk is not None:
            self.initial.setdefault("from_code", answer.from_node.code)
            self.initial.setdefault("to_code", answer.to_node.code if answer.to_node else "")
        self.fields["from_code"].widget.attrs["size"] = 8
        self.fields["to_code"].widget.attrs["size"] = 8

    def clean_from_code(self):
        return _clean_code(self.cleaned_data["from_code"])

    def clean_to_code(self):
        return _clean_code(self.cleaned_data["to_code"])

    # Set by the formset for a stored answer whose node is deleted in this
    # save: it is saved again, pointed by its code (at a node that took the code).
    resave = False

    def has_changed(self):
        return self.resave or super().has_changed()

    def code(self, name, renamed):
        """The code in field ``name``, following a rename of its node made in
        the same save when the editor left the field as it was."""
        value = self.cleaned_data[name]
        if name not in self.changed_data:
            return renamed.get(value, value)
        return value


class AnswerFormSet(TreeFormSet):
    role = "answers"
    _renamed = {}

    def clean(self):
        super().clean()
        nodes = self.tree_forms.get("nodes")
        if nodes is None or not nodes.is_valid() or any(form.errors for form in self.forms):
            return  # the forms' own errors first; the tree is checked when they are right
        # Kept for the save: once the nodes are saved their forms no longer tell.
        self._renamed = renamed = nodes.renamed()
        deleted = nodes.deleted_pks()
        answers = []
        for form in self.kept_forms():
            stored = form.instance
            if stored.from_node_id in deleted and "from_code" not in form.changed_data:
                continue  # its question is deleted, and the answer with it
            form.resave = stored.pk is not None and stored.to_node_id in deleted
            answers.append(
                DraftAnswer(
                    from_code=form.code("from_code", renamed),
                    to_code=form.code("to_code", renamed),
                    label=form.cleaned_data["label"],
                )
            )
        problems = algorithm_validate(article=self.instance, nodes=nodes.drafts(), answers=answers)
        if problems:
            raise ValidationError(
                [gettext("Дерево не сохранено, ничего не изменилось:"), *problems]
            )

    def save(self, commit=True):
        # The nodes are saved already (their inline comes first): the codes
        # are resolved against them. An answer of a deleted question went
        # with it (on_delete=CASCADE) and is neither saved nor deleted again.
        self._nodes = {
            node.code: node for node in DecisionNode.objects.filter(article=self.instance)
        }
        return super().save(commit)

    def _resolve(self, form):
        answer = form.instance
        answer.article = self.instance
        answer.from_node = self._nodes.get(form.code("from_code", self._renamed))
        answer.to_node = self._nodes.get(form.code("to_code", self._renamed))
        return answer.from_node is not None

    def save_new(self, form, commit=True):
        if not self._resolve(form):
            return form.instance
        return super().save_new(form, commit)

    def save_existing(self, form, obj, commit=True):
        if not self._resolve(form):
            return obj
        return super().save_existing(form, obj, commit)

    def delete_existing(self, obj, commit=True):
        if commit and DecisionAnswer.objects.filter(pk=obj.pk).exists():
            super().delete_existing(obj, commit)
