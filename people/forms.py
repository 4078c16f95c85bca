import re

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from people.folding import expertise_key
from people.models import EXPERTISE_MAX_COUNT, EXPERTISE_MAX_LENGTH
from people.photos import photo_clean
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


# A working phone as people write it: digits, spaces, «+», brackets, hyphens,
# and an extension («доб. 123»).
PHONE_RE = re.compile(r"\+?[\d\s()\-–]+(?:\s*(?:доб\.?|ext\.?)\s*\d{1,6})?", re.IGNORECASE)
PHONE_MIN_DIGITS = 5
EXPERTISE_SEPARATORS = re.compile(r"[,;\n]")
# What a subject may hold besides letters, digits and spaces.
EXPERTISE_CHARACTERS = re.compile(r"[^\w\s\-–—.()«»\"'/+№&]|_")


class ProfileContactsForm(forms.Form):
    """What a person changes about themselves: phone, subjects, photo.

    Everything is checked before anything is saved (the view calls
    people.services.profile_contacts_update only with a valid form)."""

    phone = forms.CharField(
        label=_("Рабочий телефон"),
        max_length=50,
        required=False,
        help_text=_("Например: +7 846 200-00-00 доб. 123. Пустое поле — телефон не показывается."),
        error_messages={"max_length": _("Телефон длиннее 50 знаков: оставьте один номер.")},
    )
    expertise = forms.CharField(
        label=_("По каким темам к вам можно обратиться"),
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Слишком длинный список тем: сократите его.")},
    )
    photo = forms.FileField(
        label=_("Новая фотография"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    remove_photo = forms.BooleanField(label=_("Удалить фотографию"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expertise"].help_text = gettext(
            "Через запятую, не больше %(count)s тем по %(length)s знаков: например, "
            "«квотирование, пособие по безработице, СВО». Коллеги найдут вас по ним "
            "в справочнике сотрудников."
        ) % {"count": EXPERTISE_MAX_COUNT, "length": EXPERTISE_MAX_LENGTH}
        self.fields["photo"].help_text = gettext(
            "JPEG или PNG, не больше %(size)s. Сведения о снимке (камера, место, дата) "
            "при загрузке удаляются."
        ) % {"size": filesizeformat(settings.PROFILE_PHOTO_MAX_BYTES)}

    def clean_phone(self):
        phone = " ".join(self.cleaned_data["phone"].split())
        if not phone:
            return ""
        digits = sum(char.isdigit() for char in phone)
        if not PHONE_RE.fullmatch(phone) or digits < PHONE_MIN_DIGITS:
            raise forms.ValidationError(
                _(
                    "Телефон пишется цифрами, можно с «+», пробелами, скобками и дефисами "
                    "и добавочным номером: +7 846 200-00-00 доб. 123."
                ),
                code="phone",
            )
        return phone

    def clean_expertise(self):
        names, seen, errors = [], set(), []
        for part in EXPERTISE_SEPARATORS.split(self.cleaned_data["expertise"]):
            name = " ".join(part.split()).strip(" .")
            if not name:
                continue
            bad = sorted(set(EXPERTISE_CHARACTERS.findall(name)))
            if bad:
                errors.append(
                    _("В теме «%(name)s» есть недопустимые знаки: %(chars)s.")
                    % {"name": name, "chars": " ".join(bad)}
                )
            elif len(name) > EXPERTISE_MAX_LENGTH:
                errors.append(
                    _("Тема «%(name)s» длиннее %(max)s знаков (%(length)s): сократите её.")
                    % {"name": name, "max": EXPERTISE_MAX_LENGTH, "length": len(name)}
                )
            elif len(expertise_key(name)) < 2:
                errors.append(
                    _("Тема «%(name)s» слишком короткая: нужно хотя бы два знака.") % {"name": name}
                )
            elif expertise_key(name) not in seen:
                seen.add(expertise_key(name))
                names.append(name)
        if errors:
            raise forms.ValidationError(errors)
        if len(names) > EXPERTISE_MAX_COUNT:
            raise forms.ValidationError(
                _("Тем не больше %(max)s, а указано %(count)s: оставьте самые важные.")
                % {"max": EXPERTISE_MAX_COUNT, "count": len(names)},
                code="too_many",
            )
        return names

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        return photo_clean(upload) if upload else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("photo") and cleaned.get("remove_photo"):
            self.add_error(
                "remove_photo",
                _("Выберите что-то одно: загрузить новую фотографию или удалить фотографию."),
            )
        return cleaned


class SearchInput(forms.TextInput):
    input_type = "search"


class DirectoryForm(forms.Form):
    """The directory's search (a GET form). A value that is not in the lists
    is an error shown on the page, and that filter is left out."""

    q = forms.CharField(
        label=_("Имя, должность, подразделение или тема"),
        max_length=100,
        required=False,
        widget=SearchInput,
        error_messages={"max_length": _("Запрос длиннее 100 знаков — сократите его.")},
    )
    office = forms.ChoiceField(
        label=_("Подразделение"),
        required=False,
        error_messages={
            "invalid_choice": _("Такого подразделения нет — показаны все подразделения.")
        },
    )
    position = forms.TypedChoiceField(
        label=_("Должность"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Такой должности нет — показаны все должности.")},
    )
    expertise = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args, offices, positions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [("", _("все подразделения"))] + [
            (office.code, "— " * office.level + office.title) for office in offices
        ]
        self.fields["position"].choices = [("", _("все должности"))] + [
            (str(position.pk), position.title) for position in positions
        ]

    def filters(self):
        """The valid filters: q, office (a code), position (an id), expertise (as written)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "office": data.get("office") or "",
            "position": data.get("position"),
            "expertise": data.get("expertise") or "",
        }
