"""Forms of the idea bank. They validate input and speak Russian; the views
hand the cleaned data to ``ideas.services``. None of them has a status field:
status changes only through the working group's actions."""

import re
from urllib.parse import urlsplit

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField

from articles.models import Article
from ideas.models import (
    CHANGES_MAX,
    COMMENT_MAX,
    EFFECT_MAX,
    MINUTES_MAX,
    RATIONALE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Decision,
    Idea,
)
from ideas.services import implementation_errors
from people import roles

MAX_ARTICLE_LINKS = 10
_ARTICLE_PATH = re.compile(r"^/kb/[\w-]+/(?P<slug>[\w-]+)/?$")


def _required(message):
    return {"required": message}


def _too_long(limit):
    return {
        "max_length": _(
            "Слишком длинно: не больше %(limit_value)d символов (сейчас %(show_value)d)."
        )
    }


def articles_from_links(text):
    """The published articles whose addresses ``text`` lists, one a line
    (at most MAX_ARTICLE_LINKS); a line that is not one refuses the lot."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > MAX_ARTICLE_LINKS:
        raise forms.ValidationError(
            _("Не больше %(count)d ссылок на материалы.") % {"count": MAX_ARTICLE_LINKS}
        )
    slugs = {}
    for line in lines:
        match = _ARTICLE_PATH.match(urlsplit(line).path)
        if match is None:
            raise forms.ValidationError(
                _("«%(line)s» — не адрес статьи базы знаний.") % {"line": line[:100]}
            )
        slugs[match["slug"]] = line
    found = {
        article.slug: article
        for article in Article.objects.published().filter(slug__in=list(slugs))
    }
    missing = [(slug, line) for slug, line in slugs.items() if slug not in found]
    if missing:
        slug, line = missing[0]
        unpublished = Article.all_objects.filter(slug=slug).first()
        if unpublished is not None and unpublished.deleted_at is not None:
            message = _("Материал по адресу «%(line)s» лежит в корзине: укажите опубликованный.")
        elif unpublished is not None:
            message = _(
                "Материал по адресу «%(line)s» не опубликован (статус — «%(status)s»): "
                "укажите опубликованный."
            )
        else:
            message = _("Не нашли опубликованную статью по адресу «%(line)s».")
        raise forms.ValidationError(
            message
            % {
                "line": line[:100],
                "status": unpublished.get_status_display() if unpublished else "",
            }
        )
    return list(found.values())


class IdeaForm(forms.Form):
    title = forms.CharField(
        label=_("Название идеи"),
        max_length=TITLE_MAX,
        help_text=_("Коротко, в одной строке: что предлагаете."),
        error_messages={**_required(_("Назовите идею.")), **_too_long(TITLE_MAX)},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    problem = forms.CharField(
        label=_("Проблема"),
        max_length=TEXT_MAX,
        help_text=_("Что сейчас идёт не так для клиентов или сотрудников."),
        error_messages={**_required(_("Опишите проблему.")), **_too_long(TEXT_MAX)},
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    proposal = forms.CharField(
        label=_("Предложение"),
        max_length=TEXT_MAX,
        help_text=_("Что и как изменить."),
        error_messages={**_required(_("Опишите, что предлагаете.")), **_too_long(TEXT_MAX)},
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    expected_effect = forms.CharField(
        label=_("Ожидаемый эффект"),
        max_length=EFFECT_MAX,
        help_text=_("Что станет лучше и как это можно будет заметить."),
        error_messages={**_required(_("Опишите ожидаемый эффект.")), **_too_long(EFFECT_MAX)},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tags = TagField(
        label=_("Метки"),
        required=False,
        help_text=_("Через запятую, например: запись на приём, ЕЦП."),
    )
    article_links = forms.CharField(
        label=_("Материалы базы знаний"),
        required=False,
        help_text=_(
            "Адреса статей, которых касается идея, — по одному в строке "
            "(скопируйте из адресной строки браузера)."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        if len(tags) > 10:
            raise forms.ValidationError(_("Не больше 10 меток."))
        if any(len(tag) > 100 for tag in tags):
            raise forms.ValidationError(_("Метка не может быть длиннее 100 символов."))
        return tags

    def clean_article_links(self):
        return articles_from_links(self.cleaned_data["article_links"])

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "title": data["title"],
            "problem": data["problem"],
            "proposal": data["proposal"],
            "expected_effect": data["expected_effect"],
            "tags": data["tags"],
            "articles": data["article_links"],
        }

    @classmethod
    def initial_for(cls, idea):
        return {
            "title": idea.title,
            "problem": idea.problem,
            "proposal": idea.proposal,
            "expected_effect": idea.expected_effect,
            "tags": list(idea.tags.all()),
            "article_links": "\n".join(
                article.get_absolute_url()
                for article in idea.articles.select_related("section").order_by("title")
            ),
        }


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Комментарий"),
        max_length=COMMENT_MAX,
        error_messages={**_required(_("Напишите комментарий.")), **_too_long(COMMENT_MAX)},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _reviewers():
    """People who can attend a meeting or answer for a decision: the working
    group, managers and administrators (a list, not every staff member, so the
    select stays short at any number of staff)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name__in=[roles.WORKING_GROUP, roles.MANAGER, roles.ADMINISTRATOR],
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class MeetingForm(forms.Form):
    held_on = forms.DateField(
        label=_("Дата заседания"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Укажите дату заседания."),
            "invalid": _("Дата в формате ГГГГ-ММ-ДД или ДД.ММ.ГГГГ."),
        },
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )
    attendees = UserMultipleChoiceField(
        label=_("Участники"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Отметьте участников заседания.")},
    )
    minutes = forms.CharField(
        label=_("Протокол"),
        required=False,
        max_length=MINUTES_MAX,
        help_text=_(
            "Ход обсуждения; решения по идеям записываются отдельно на странице заседания."
        ),
        error_messages=_too_long(MINUTES_MAX),
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = _reviewers()

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("Заседание ещё не прошло: дата не может быть в будущем."))
        return held_on


class DecisionForm(forms.Form):
    """One decision on one idea. The service checks the rules that span
    fields (reasons for a rejection, all three scores, a merge target) and
    its errors are shown on the same fields."""

    outcome = forms.ChoiceField(
        label=_("Решение"),
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Выберите решение."),
            "invalid_choice": _("Выберите решение из списка."),
        },
    )
    rationale = forms.CharField(
        label=_("Обоснование"),
        required=False,
        max_length=RATIONALE_MAX,
        help_text=_("Обязательно при отклонении и при «нужна доработка»: автор увидит его."),
        error_messages=_too_long(RATIONALE_MAX),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    responsible = UserChoiceField(
        label=_("Ответственный"),
        required=False,
        queryset=get_user_model().objects.none(),
        empty_label=_("— не назначен —"),
    )
    due_date = forms.DateField(
        label=_("Срок"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={"invalid": _("Дата в формате ГГГГ-ММ-ДД или ДД.ММ.ГГГГ.")},
    )
    duplicate_of = forms.ModelChoiceField(
        label=_("Номер исходной идеи"),
        required=False,
        queryset=Idea.objects.all(),
        widget=forms.NumberInput(attrs={"min": 1}),
        help_text=_("Только для решения «дубликат»: голоса перейдут к этой идее."),
        error_messages={"invalid_choice": _("Идеи с таким номером нет.")},
    )
    impact = forms.IntegerField(
        label=_("Влияние (1–10)"), required=False, min_value=1, max_value=10
    )
    confidence = forms.IntegerField(
        label=_("Уверенность (1–10)"), required=False, min_value=1, max_value=10
    )
    ease = forms.IntegerField(label=_("Простота (1–10)"), required=False, min_value=1, max_value=10)
    # Only for «реализовано»; the service says what is missing.
    changes = forms.CharField(
        label=_("Что изменено"),
        required=False,
        max_length=CHANGES_MAX,
        help_text=_("Обязательно для решения «реализовано»: что именно поменялось."),
        error_messages=_too_long(CHANGES_MAX),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    implemented_on = forms.DateField(
        label=_("Дата внедрения"),
        required=False,
        help_text=_("Обязательно для решения «реализовано»; не позже сегодняшнего дня."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={"invalid": _("Дата в формате ГГГГ-ММ-ДД или ДД.ММ.ГГГГ.")},
    )
    changed_articles = forms.CharField(
        label=_("Изменённые материалы базы знаний"),
        required=False,
        help_text=_(
            "Необязательно. Адреса опубликованных статей, которые изменились вместе с идеей, "
            "— по одному в строке. Для принятой идеи здесь уже стоят материалы, указанные в "
            "ней: оставьте только изменённые."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, idea=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.idea = idea
        self.fields["responsible"].queryset = _reviewers()
        self.fields["implemented_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        for name in ("impact", "confidence", "ease"):
            self.fields[name].error_messages.update(
                {
                    "min_value": _("Оценка — от 1 до 10."),
                    "max_value": _("Оценка — от 1 до 10."),
                    "invalid": _("Оценка — целое число от 1 до 10."),
                }
            )

    def clean_changed_articles(self):
        if self.cleaned_data.get("outcome") != Decision.Outcome.IMPLEMENTED:
            return []  # ignored by other decisions, so not checked either
        return articles_from_links(self.cleaned_data["changed_articles"])

    def clean(self):
        """For «реализовано», every missing or wrong detail at once (the
        service's own rules), not one round of the form at a time."""
        cleaned = super().clean()
        if cleaned.get("outcome") == Decision.Outcome.IMPLEMENTED and self.idea is not None:
            errors = implementation_errors(
                idea=self.idea,
                changes=(cleaned.get("changes") or "").strip(),
                implemented_on=cleaned.get("implemented_on"),
                changed_articles=cleaned.get("changed_articles") or [],
            )
            for name, messages in errors.items():
                if name not in self.errors:
                    self.add_error(name, messages)
        return cleaned

    @staticmethod
    def initial_for(idea, outcome=""):
        """The form's first values: the outcome asked for in the link, and,
        for an accepted idea, the articles it named as changed."""
        initial = {}
        if outcome in Decision.Outcome.values:
            initial["outcome"] = outcome
        if idea.status in (Idea.Status.ACCEPTED, Idea.Status.IN_PROGRESS):
            initial["changed_articles"] = "\n".join(
                article.get_absolute_url()
                for article in idea.articles.published().select_related("section").order_by("title")
            )
        return initial


class MergeForm(forms.Form):
    original = forms.ModelChoiceField(
        label=_("Номер исходной идеи"),
        queryset=Idea.objects.all(),
        widget=forms.NumberInput(attrs={"min": 1}),
        error_messages={
            "required": _("Укажите номер исходной идеи."),
            "invalid_choice": _("Идеи с таким номером нет."),
        },
    )
    reason = forms.CharField(
        label=_("Комментарий"),
        required=False,
        max_length=RATIONALE_MAX,
        error_messages=_too_long(RATIONALE_MAX),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StatusForm(forms.Form):
    """The working group's two status changes outside a meeting."""

    status = forms.ChoiceField(
        label=_("Новый статус"),
        choices=[
            (Idea.Status.UNDER_REVIEW, Idea.Status.UNDER_REVIEW.label),
            (Idea.Status.IN_PROGRESS, Idea.Status.IN_PROGRESS.label),
        ],
        error_messages={"invalid_choice": _("Такой статус здесь не ставится.")},
    )
    reason = forms.CharField(
        label=_("Комментарий"),
        required=False,
        max_length=RATIONALE_MAX,
        error_messages=_too_long(RATIONALE_MAX),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
