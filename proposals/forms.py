from django import forms
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from articles.richtext import editor_labels_json, plain_text, sanitize_html
from articles.uploads import inspect_upload
from proposals.models import (
    BODY_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    RATIONALE_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)

TOO_LONG = _("Не больше %(limit_value)d символов (сейчас %(show_value)d).")
MAX_FILES = 10


def _text(label, max_length, *, required=True, rows=None, help_text="", empty=None):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=widget,
        help_text=help_text,
        error_messages={"max_length": TOO_LONG, "required": empty or _("Заполните это поле.")},
    )


def body_field():
    """The article body's own field (django-prose-editor, configured like the
    admin's), which without JavaScript is a plain textarea of HTML."""
    field = Article._meta.get_field("body").formfield(
        label=_("Текст"),
        required=False,
        max_length=BODY_MAX_LENGTH,
        error_messages={"max_length": TOO_LONG},
        help_text=_(
            "Заголовки, списки, ссылки, таблицы. Без JavaScript — HTML: всё, кроме "
            "разрешённого оформления, будет удалено."
        ),
    )
    field.widget.attrs["data-kb-editor-labels"] = editor_labels_json()
    field.widget.attrs["rows"] = 16
    return field


class ProposalForm(forms.Form):
    """An edit of an article: its text, and what changed and why."""

    title = _text(_("Заголовок"), TITLE_MAX_LENGTH, empty=_("Укажите заголовок."))
    summary = _text(
        _("Кратко"),
        SUMMARY_MAX_LENGTH,
        required=False,
        rows=3,
        help_text=_("Одно-два простых предложения: о чём материал и кому он нужен."),
    )
    body = None  # set in __init__: the widget carries the labels of the current language
    rationale = _text(
        _("Что и почему изменено"),
        RATIONALE_MAX_LENGTH,
        rows=3,
        help_text=_("Коротко, для редактора: что вы изменили и почему."),
        empty=_("Напишите, что и почему изменено."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = dict(self.fields)
        fields["body"] = body_field()
        order = ["title", "kind", "summary", "body", "rationale", "files"]
        self.fields = {name: fields[name] for name in order if name in fields}

    def clean_title(self):
        title = plain_text(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError(_("Укажите заголовок: одной разметки мало."))
        return title

    def clean_summary(self):
        return plain_text(self.cleaned_data["summary"])

    def clean_body(self):
        return sanitize_html(self.cleaned_data["body"])

    def clean_rationale(self):
        rationale = self.cleaned_data["rationale"].strip()
        if not plain_text(rationale):
            raise forms.ValidationError(_("Напишите, что и почему изменено."))
        return rationale


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class NewMaterialForm(ProposalForm):
    """A new material for a section: also its kind and files."""

    kind = forms.ChoiceField(
        label=_("Вид материала"),
        choices=[("", "—"), *Article.Kind.choices],
        error_messages={
            "required": _("Выберите вид материала."),
            "invalid_choice": _("Выберите вид материала из списка."),
        },
    )
    files = MultipleFileField(
        label=_("Вложения"),
        required=False,
        help_text=_(
            "Необязательно, до 10 файлов: PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, TXT, PNG, JPG, "
            "MP4, MP3."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rationale"].label = _("Зачем этот материал")
        self.fields["rationale"].help_text = _("Коротко, для редактора: кому и зачем он нужен.")
        self.fields["rationale"].error_messages["required"] = _("Напишите, зачем этот материал.")

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Не больше %(limit)d файлов за раз."), params={"limit": MAX_FILES}
            )
        errors = []
        for upload in files:
            try:
                inspect_upload(upload)
            except forms.ValidationError as error:
                errors.extend(f"{upload.name}: {message}" for message in error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return files


class DecisionForm(forms.Form):
    comment = _text(
        _("Комментарий автору"),
        COMMENT_MAX_LENGTH,
        rows=3,
        empty=_("Напишите автору, что доработать."),
    )

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError(self.fields["comment"].error_messages["required"])
        return comment


class RejectForm(DecisionForm):
    comment = _text(
        _("Причина отказа"),
        COMMENT_MAX_LENGTH,
        rows=3,
        empty=_("Напишите, почему предложение отклонено."),
    )
