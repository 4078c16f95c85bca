from datetime import date, datetime, time, timedelta

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from search.backends import Filters

MAX_QUERY = 200

# The calendar's ends (0001-01-01, 9999-12-31) overflow once made datetimes.
DATE_VALIDATORS = [MinValueValidator(date(1900, 1, 1)), MaxValueValidator(date(9000, 1, 1))]


class SearchForm(forms.Form):
    """The query and filters, all in the URL so a result page can be shared."""

    q = forms.CharField(label=_("Что ищем"), max_length=MAX_QUERY, required=False, strip=True)
    section = forms.IntegerField(label=_("Раздел"), required=False, min_value=1)
    kind = forms.ChoiceField(
        label=_("Вид материала"),
        required=False,
        choices=[("", _("любой")), *Article.Kind.choices],
    )
    tag = forms.CharField(label=_("Метка"), required=False, max_length=100)
    updated_from = forms.DateField(
        label=_("Обновлено с"), required=False, validators=DATE_VALIDATORS
    )
    updated_to = forms.DateField(label=_("по"), required=False, validators=DATE_VALIDATORS)
    mandatory = forms.BooleanField(label=_("только обязательные"), required=False)
    attachments = forms.BooleanField(label=_("с вложениями"), required=False)
    drafts = forms.BooleanField(label=_("включая черновики"), required=False)

    def __init__(self, data=None, *, may_see_drafts=False, **kwargs):
        if data is not None and "q" in data:
            data = data.copy()
            data["q"] = data["q"][:MAX_QUERY]
        super().__init__(data, **kwargs)
        self.may_see_drafts = may_see_drafts
        if not may_see_drafts:
            del self.fields["drafts"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("updated_from"), cleaned.get("updated_to")
        if start and end and start > end:
            self.add_error("updated_to", _("Конец периода раньше его начала."))
        return cleaned

    def value(self, name):
        """A valid cleaned value, or empty: an invalid filter is dropped, not fatal."""
        if not self.is_valid() and name in self.errors:
            return None
        return self.cleaned_data.get(name)

    def query(self):
        return " ".join((self.value("q") or "").split())

    def filters(self):
        statuses = ("published",)
        if self.may_see_drafts and self.value("drafts"):
            statuses = tuple(Article.Status.values)
        start, end = self.value("updated_from"), self.value("updated_to")
        zone = timezone.get_current_timezone()
        return Filters(
            statuses=statuses,
            kind=self.value("kind") or "",
            tag=(self.value("tag") or "").strip(),
            mandatory=bool(self.value("mandatory")),
            attachments=bool(self.value("attachments")),
            updated_from=datetime.combine(start, time.min, zone) if start else None,
            updated_before=(
                datetime.combine(end + timedelta(days=1), time.min, zone) if end else None
            ),
        )

    def active(self):
        """The filters in force, for the log and the «сбросить» link."""
        names = ["section", "kind", "tag", "updated_from", "updated_to", "mandatory", "attachments"]
        if self.may_see_drafts:
            names.append("drafts")
        active = {}
        for name in names:
            value = self.value(name)
            if value not in (None, "", False):
                active[name] = value.isoformat() if hasattr(value, "isoformat") else value
        return active
