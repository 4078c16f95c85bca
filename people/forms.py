from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from people.services import login_attempt_start, login_attempt_succeeded


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
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not (username and password):
            return super().clean()  # a missing field: no password is checked, nothing counted
        ip = self.request.META.get("REMOTE_ADDR") if self.request else None
        # Counted before the check, so simultaneous tries cannot pass the limit.
        if not login_attempt_start(username=username, ip=ip):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        cleaned = super().clean()  # a wrong password raises, and its attempt stays counted
        login_attempt_succeeded(username=username, ip=ip)
        return cleaned
