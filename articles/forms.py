from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst, slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from mptt.forms import MPTTAdminForm
from taggit.models import Tag

from articles.models import Article, Attachment, Section
from people.audience_fields import (
    audience_cleaned_spec,
    audience_fields_prepare,
    nobody_matches,
    offices_field,
    positions_field,
    roles_field,
)

AUDIENCE_RULE = _(
    "Документ обязателен для сотрудника, если тот подходит под каждое заполненное условие: "
    "работает в одном из выбранных подразделений или в подчинённом ему (достаточно любого из "
    "выбранных), занимает одну из выбранных должностей (любую) и имеет одну из выбранных ролей "
    "(любую). Не выбрано ничего — документ обязателен для всех сотрудников. Условия действуют, "
    "пока отмечено «обязательно для ознакомления»."
)
REACK_RULE = _(
    "Отметьте «требуется повторное ознакомление», если сохраняете изменение по существу, и "
    "напишите, что изменилось: все сотрудники из аудитории получат уведомление со ссылкой на "
    "сравнение версий и должны будут ознакомиться с новой версией. Их прежние отметки "
    "останутся в истории для прежней версии."
)


TARGET_RULE = _(
    "Для кого этот материал или раздел: он попадёт в блок «Для вас» на главной у сотрудников, "
    "которые подходят под каждое заполненное условие — работают в одном из выбранных "
    "подразделений или в подчинённом ему, занимают одну из выбранных должностей, имеют одну из "
    "выбранных ролей. Материалы раздела (и его подразделов) адресованы тем же сотрудникам. "
    "Не выбрано ничего — материал не адресован никому особо. Открыть материал по-прежнему может "
    "каждый."
)


class TargetFormMixin(forms.Form):
    """Who an article or a section is for (``target_spec`` after ``clean``;
    stored by ``article_target_apply`` / ``section_target_apply``).

    The fields exist only for people who may change the object: a view-only
    form has none, and then there is no ``target_spec``."""

    target_offices = offices_field()
    target_positions = positions_field()
    target_roles = roles_field(label=_("роли (необязательно)"))
    confirm_empty_target = forms.BooleanField(
        label=_("Подтверждаю: сохранить, хотя под адресатов сейчас не подходит ни один сотрудник"),
        required=False,
    )

    def _target_fields(self):
        if "target_offices" in self.fields:
            audience = self.instance.target_audience if self.instance.pk else None
            audience_fields_prepare(self, prefix="target", audience=audience)

    def _clean_target(self, cleaned):
        if "target_offices" not in self.fields:
            return
        self.target_spec = audience_cleaned_spec(cleaned, prefix="target")
        if self.errors or cleaned.get("confirm_empty_target"):
            return
        staff = nobody_matches(self.target_spec)
        if staff is not None:
            self.add_error(
                "confirm_empty_target",
                ngettext(
                    "Под этих адресатов сейчас не подходит ни один сотрудник (из %(staff)s "
                    "сотрудника): в блоке «Для вас» материал не увидит никто. Измените условия "
                    "или отметьте «Подтверждаю» и сохраните ещё раз.",
                    "Под этих адресатов сейчас не подходит ни один сотрудник (из %(staff)s "
                    "сотрудников): в блоке «Для вас» материал не увидит никто. Измените условия "
                    "или отметьте «Подтверждаю» и сохраните ещё раз.",
                    staff,
                )
                % {"staff": staff},
            )


def _slug_not_in_trash(form, message):
    """The model's unique check sees only live rows (the default manager); a
    trashed row still holds its slug, and saving would fail in the database."""
    slug = form.cleaned_data.get("slug")
    model = form._meta.model
    in_trash = model.all_objects.filter(slug=slug, deleted_at__isnull=False)
    if slug and in_trash.exclude(pk=form.instance.pk).exists():
        raise ValidationError(message)
    return slug


class SectionAdminForm(TargetFormMixin, MPTTAdminForm):
    class Meta:
        model = Section
        fields = ["title", "slug", "parent", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._target_fields()
        if "parent" not in self.fields:
            return  # a view-only form (administrators) has no fields at all
        # The list offers neither the section itself, nor its subsections, nor
        # the trash; a forged choice gets a message that says why.
        self.fields["parent"].error_messages["invalid_choice"] = _(
            "Сюда раздел перенести нельзя: выберите раздел, который не является им самим "
            "или его подразделом и не лежит в корзине."
        )

    def clean(self):
        cleaned = super().clean()
        self._clean_target(cleaned)
        return cleaned

    def clean_slug(self):
        return _slug_not_in_trash(
            self,
            _(
                "Раздел с таким адресом лежит в корзине: "
                "восстановите его или выберите другой адрес."
            ),
        )


class ArticleAdminForm(TargetFormMixin, forms.ModelForm):
    """The editor's article form, refusing to overwrite someone else's save.

    It also holds who the document is mandatory for (offices, positions,
    roles — stored by ``articles.services.article_mandatory_apply`` after the
    article is saved, from ``mandatory_spec``) and the request for a
    re-acknowledgement (``reack_summary``)."""

    loaded_version = forms.IntegerField(
        label=_("версия, открытая для правки"), widget=forms.HiddenInput, required=False
    )
    external_url = forms.URLField(
        label=Article._meta.get_field("external_url").verbose_name,
        help_text=Article._meta.get_field("external_url").help_text,
        max_length=500,
        required=False,
        assume_scheme="https",
    )

    mandatory_offices = offices_field()
    mandatory_positions = positions_field()
    mandatory_roles = roles_field(
        help_text=_("«Сотрудник» — это каждый, поэтому такой роли здесь нет: оставьте пустым.")
    )
    confirm_empty_audience = forms.BooleanField(
        label=_("Подтверждаю: сохранить, хотя под аудиторию сейчас не подходит ни один сотрудник"),
        required=False,
    )
    reack = forms.BooleanField(label=_("требуется повторное ознакомление"), required=False)
    reack_summary = forms.CharField(
        label=_("что изменилось"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Одно-два предложения простыми словами: сотрудники прочитают это первым."),
    )

    # «Существенное изменение» (articles.ArticleUpdate): for «Что нового», the
    # followers and the digests. Not for a fixed typo.
    substantive = forms.BooleanField(label=_("существенное изменение"), required=False)
    substantive_summary = forms.CharField(
        label=_("что изменилось (для «Что нового»)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Одно-два предложения: что поменялось по существу. Увидят все в «Что нового», "
            "подписчики и читатели дайджеста. Если отмечено «требуется повторное "
            "ознакомление», второй раз писать не нужно."
        ),
    )

    class Meta:
        model = Article
        fields = [
            "section",
            "title",
            "slug",
            "kind",
            "summary",
            "body",
            "status",
            "lifecycle",
            "mandatory",
            "mandatory_deadline",
            "owner",
            "review_due",
            "published_at",
            "approved_on",
            "approval_number",
            "tags",
            "related",
            "external_url",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "loaded_version" in self.fields:
            # Taken from the database, not the instance: when reverting to an
            # old version the instance holds that version's number.
            self.fields["loaded_version"].initial = self.instance.current_version()
        if "section" in self.fields:
            self.fields["section"].queryset = Section.objects.all()
        self.stored_deadline = None
        if "mandatory_offices" in self.fields:
            self._audience_fields()
        self._target_fields()

    def _audience_fields(self):
        stored = self.instance.pk is not None
        audience_fields_prepare(
            self, prefix="mandatory", audience=self.instance.mandatory_audience if stored else None
        )
        if stored:
            self.stored_deadline = (
                Article.all_objects.filter(pk=self.instance.pk)
                .values_list("mandatory_deadline", flat=True)
                .first()
            )

    def clean_slug(self):
        return _slug_not_in_trash(
            self,
            _(
                "Материал с таким адресом лежит в корзине: "
                "восстановите его или выберите другой адрес."
            ),
        )

    def clean_tags(self):
        tags = self.cleaned_data.get("tags") or []
        # A tag is linked by its slug; a name of punctuation only gets an empty
        # slug, and a link to it would break every page that shows the tag.
        unusable = [name for name in tags if not slugify(name, allow_unicode=True)]
        if unusable:
            raise ValidationError(
                _("В метке «%(tag)s» нет ни букв, ни цифр. Напишите метку словом."),
                params={"tag": unusable[0]},
            )
        limit = Tag._meta.get_field("name").max_length
        too_long = [name for name in tags if len(name) > limit]
        if too_long:
            raise ValidationError(
                _(
                    "Метка «%(tag)s» длиннее %(limit)d символов (в ней %(length)d). "
                    "Сократите её: метка — это одно-два слова."
                ),
                params={
                    "tag": Truncator(too_long[0]).chars(11),
                    "limit": limit,
                    "length": len(too_long[0]),
                },
            )
        return tags

    def clean(self):
        cleaned = super().clean()
        self._check_not_stale(cleaned.get("loaded_version"))
        if "mandatory_offices" in self.fields:
            self._clean_mandatory(cleaned)
        if "substantive" in self.fields:
            self._clean_substantive(cleaned)
        self._clean_target(cleaned)
        kind = cleaned.get("kind")
        link_kinds = {Article.Kind.EXTERNAL, Article.Kind.VIDEO, Article.Kind.PODCAST}
        if kind in link_kinds and not cleaned.get("external_url") and not cleaned.get("body"):
            self.add_error(
                "external_url",
                _("Для видео, подкаста или внешнего материала укажите ссылку или текст."),
            )
        return cleaned

    def _clean_mandatory(self, cleaned):
        """The audience, the deadline and the re-acknowledgement request:
        each refusal names what to change, and nothing is saved until all
        are right."""
        self.mandatory_spec = audience_cleaned_spec(cleaned, prefix="mandatory")
        is_mandatory = cleaned.get("mandatory")
        today = timezone.localdate()
        deadline = cleaned.get("mandatory_deadline")
        summary = (cleaned.get("reack_summary") or "").strip()
        self.reack_summary = ""
        if deadline and deadline < today and deadline != self.stored_deadline:
            self.add_error(
                "mandatory_deadline",
                _("Эта дата уже прошла: укажите сегодняшний или более поздний день."),
            )
        if cleaned.get("reack"):
            if self.instance.pk is None:
                self.add_error(
                    "reack",
                    _("Новый материал ещё никто не читал: повторное ознакомление не нужно."),
                )
            elif not is_mandatory:
                self.add_error(
                    "reack",
                    _(
                        "Повторное ознакомление можно запросить только для обязательного "
                        "документа: отметьте «обязательно для ознакомления» или снимите эту "
                        "отметку."
                    ),
                )
            elif cleaned.get("status") != Article.Status.PUBLISHED:
                self.add_error(
                    "reack",
                    _(
                        "Повторное ознакомление можно запросить только для опубликованного "
                        "документа: его ещё никто не читал."
                    ),
                )
            if not summary:
                self.add_error(
                    "reack_summary",
                    _(
                        "Напишите, что изменилось: сотрудники увидят это вместе со ссылкой на "
                        "сравнение версий."
                    ),
                )
            elif deadline and deadline < today:
                self.add_error(
                    "mandatory_deadline",
                    _(
                        "Срок прошёл: для повторного ознакомления укажите новый срок или "
                        "очистите поле."
                    ),
                )
            self.reack_summary = summary
        elif summary:
            self.add_error(
                "reack",
                _(
                    "Отметьте «требуется повторное ознакомление» — или очистите поле «что "
                    "изменилось»."
                ),
            )
        if is_mandatory and not cleaned.get("confirm_empty_audience"):
            staff = nobody_matches(self.mandatory_spec)
            if staff is not None:
                self.add_error(
                    "confirm_empty_audience",
                    ngettext(
                        "Под эту аудиторию сейчас не подходит ни один сотрудник (из %(staff)s "
                        "сотрудника): документ никто не увидит среди обязательных. Измените "
                        "условия или отметьте «Подтверждаю» и сохраните ещё раз.",
                        "Под эту аудиторию сейчас не подходит ни один сотрудник (из %(staff)s "
                        "сотрудников): документ никто не увидит среди обязательных. Измените "
                        "условия или отметьте «Подтверждаю» и сохраните ещё раз.",
                        staff,
                    )
                    % {"staff": staff},
                )

    def _clean_substantive(self, cleaned):
        """«Существенное изменение» needs «что изменилось» and a material that
        was published before this save and stays published. A re-acknowledgement
        round already says what changed: its text is used, not asked again."""
        summary = (cleaned.get("substantive_summary") or "").strip()
        self.substantive_summary = ""
        if not cleaned.get("substantive"):
            if summary:
                self.add_error(
                    "substantive",
                    _(
                        "Отметьте «существенное изменение» — или очистите поле «что "
                        "изменилось (для «Что нового»)»."
                    ),
                )
            return
        stored = None
        if self.instance.pk is not None:
            stored = (
                Article.all_objects.filter(pk=self.instance.pk)
                .values_list("status", flat=True)
                .first()
            )
        published = Article.Status.PUBLISHED
        if stored != published or cleaned.get("status") != published:
            self.add_error(
                "substantive",
                _(
                    "Существенное изменение отмечают только у опубликованного материала: "
                    "черновик или новый материал ещё никто не читал (о публикации "
                    "подписчики узнают и так)."
                ),
            )
            return
        if not summary and not getattr(self, "reack_summary", ""):
            self.add_error(
                "substantive_summary",
                _("Напишите, что изменилось: это увидят в «Что нового» и в дайджесте."),
            )
        self.substantive_summary = summary

    def _check_not_stale(self, loaded_version):
        if not self.instance.pk:
            return
        # The admin's change view runs in a transaction, so this row lock holds
        # until the save is done: two saves of one article run one after another.
        stored = (
            Article.all_objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if loaded_version != stored:
            url = reverse("admin:articles_article_change", args=[self.instance.pk])
            history = reverse("admin:articles_article_history", args=[self.instance.pk])
            raise ValidationError(
                format_html(
                    '{} <a href="{}" target="_blank">{}</a> · <a href="{}" target="_blank">{}</a>',
                    _(
                        "Пока вы редактировали, материал сохранил другой редактор. "
                        "Ваши изменения не сохранены, чтобы не затереть чужие. "
                        "Откройте новую версию, перенесите в неё свои правки и сохраните снова."
                    ),
                    url,
                    _("Открыть новую версию"),
                    history,
                    _("История изменений"),
                ),
                code="stale",
            )


class AttachmentInlineForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["file", "title"]


class AttachmentInlineFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        # A row of the attachments table has column headings but no labels:
        # each input is named for screen readers, with its row number ("—" in
        # the blank template row the admin copies for "add another").
        number = index + 1 if index is not None else "—"
        row = _("вложение %(number)s") % {"number": number}
        for name, field in form.fields.items():
            field.widget.attrs["aria-label"] = f"{capfirst(field.label or name)}, {row}"
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = _("Удалить вложение %(number)s") % {
                "number": number
            }
