"""Forms of questions, answers and error reports: plain text with limits and
Russian messages; the views pass the cleaned data to ``questions.services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from questions.models import (
    ANSWER_MAX,
    QUESTION_MAX,
    QUOTE_MAX,
    REPLY_MAX,
    REPORT_MAX,
    ErrorReport,
)

TOO_LONG = {
    "max_length": _("Слишком длинно: не больше %(limit_value)d символов (сейчас %(show_value)d).")
}


def _text(label, limit, required_message=None, rows=3, help_text=""):
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required_message is not None,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={**TOO_LONG, "required": required_message or ""},
    )


class QuestionForm(forms.Form):
    text = _text(
        _("Ваш вопрос"),
        QUESTION_MAX,
        _("Напишите вопрос."),
        help_text=_("Его увидят все сотрудники; ответственный за материал получит уведомление."),
    )


class AnswerForm(forms.Form):
    text = _text(_("Ваш ответ"), ANSWER_MAX, _("Напишите ответ."), rows=4)


class ErrorReportForm(forms.Form):
    text = _text(
        _("Что не так"),
        REPORT_MAX,
        _("Напишите, что не так в материале."),
        help_text=_("Сообщение увидят только ответственный за материал и редакторы."),
    )
    quote = _text(_("Неточный текст (необязательно)"), QUOTE_MAX, rows=2)


class ReportCloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Решение"),
        choices=[
            (ErrorReport.Status.FIXED, ErrorReport.Status.FIXED.label),
            (ErrorReport.Status.REJECTED, ErrorReport.Status.REJECTED.label),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Выберите: исправлено или отклонено."),
            "invalid_choice": _("Выберите: исправлено или отклонено."),
        },
    )
    comment = _text(
        _("Комментарий для сообщившего"),
        REPLY_MAX,
        _("Напишите комментарий: что сделано или почему отклонено."),
        rows=2,
    )
