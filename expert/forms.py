"""Choices of articles of given kinds, for the admin's forms.

The list offers only the kinds that fit, but any live article is accepted
and then refused in words: a bare «выберите корректный вариант» would not
tell the editor that the material is, say, a document and not a route.
"""

from django import forms
from django.forms.models import ModelChoiceIterator

from expert.models import kind_error


class _KindIterator(ModelChoiceIterator):
    def __init__(self, field):
        super().__init__(field)
        self.queryset = field.queryset.filter(kind__in=field.kinds).order_by("title")


class _KindMixin:
    iterator = _KindIterator

    def __init__(self, *, kinds, **kwargs):
        self.kinds = list(kinds)
        super().__init__(**kwargs)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.kinds = list(self.kinds)
        return result


class KindArticleField(_KindMixin, forms.ModelChoiceField):
    """One live article of ``kinds``."""

    def clean(self, value):
        article = super().clean(value)
        if article is not None and article.kind not in self.kinds:
            raise forms.ValidationError(kind_error(article, self.kinds), code="kind")
        return article


class KindArticlesField(_KindMixin, forms.ModelMultipleChoiceField):
    """Live articles of ``kinds``; each one of another kind is named in the error."""

    def clean(self, value):
        articles = super().clean(value)
        errors = [kind_error(a, self.kinds) for a in articles if a.kind not in self.kinds]
        if errors:
            raise forms.ValidationError(errors, code="kind")
        return articles
