from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from people.services import login_failure_record, login_failures_clear, login_is_locked


class ThrottledAuthenticationForm(AuthenticationForm):
    """The login form, refusing further tries after repeated failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Слишком много неудачных попыток входа. Подождите несколько минут "
            "и попробуйте снова или обратитесь к администратору."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = self.request.META.get("REMOTE_ADDR") if self.request else None
        if login_is_locked(username=username, ip=ip):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_failure_record(username=username, ip=ip)
            raise
        login_failures_clear(username=username)
        return cleaned
