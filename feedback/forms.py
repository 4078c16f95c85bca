from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback.importers import columns_for
from feedback.models import ImportBatch
from feedback.services import max_upload_bytes, upload_inspect
from feedback.tables import TableError


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Что загружаете"),
        choices=ImportBatch.Kind.choices,
        initial=ImportBatch.Kind.FEEDBACK,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=gettext_lazy("Файл CSV или XLSX"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
        error_messages={
            "required": gettext_lazy("Выберите файл."),
            "empty": gettext_lazy("Файл пустой (0 байт)."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV (UTF-8 или Windows-1251, разделитель «;» или «,») или XLSX, до %(limit)s МБ. "
            "Заголовки — как в шаблоне; другие заголовки можно сопоставить на следующем шаге."
        ) % {"limit": max_upload_bytes() // (1024 * 1024)}
        self.table_info = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.table_info = upload_inspect(upload)
        except TableError as error:
            raise ValidationError(str(error)) from None
        return upload


class SheetForm(forms.Form):
    """Which visible sheet of an XLSX book to import."""

    sheet = forms.ChoiceField(label=gettext_lazy("Лист книги"))

    def __init__(self, *args, sheets, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = [(name, name) for name in sheets]
        self.fields["sheet"].initial = current
        self.fields["sheet"].error_messages["invalid_choice"] = _(
            "В книге нет видимого листа с таким названием."
        )


class MappingForm(forms.Form):
    """One select per column of the portal: which column of the file holds it."""

    def __init__(self, *args, kind, headers, columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        choices = [("", _("— нет в файле —"))]
        for index, header in enumerate(headers):
            label = header or _("колонка %(number)s без заголовка") % {"number": index + 1}
            choices.append((str(index), label))
        for column in columns_for(kind):
            current = columns.get(column.key)
            self.fields[column.key] = forms.ChoiceField(
                label=column.header,
                choices=choices,
                required=column.required,
                initial="" if current is None else str(current),
                error_messages={"required": _("Обязательная колонка: выберите её в файле.")},
            )

    def clean(self):
        cleaned = super().clean()
        used = {}
        for key, value in list(cleaned.items()):
            if value in ("", None):
                continue
            if value in used:
                self.add_error(
                    key,
                    _("Эта колонка файла уже выбрана для «%(other)s».")
                    % {"other": self.fields[used[value]].label},
                )
            used[value] = key
        return cleaned

    def columns(self):
        return {
            key: (None if value in ("", None) else int(value))
            for key, value in self.cleaned_data.items()
        }
