from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Section
from kbimport.services import ImportRefused, upload_inspect


class SectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "— " * obj.level + obj.title


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("ZIP-архив с папками и файлами"),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
        error_messages={
            "required": gettext_lazy("Выберите архив."),
            "empty": gettext_lazy("Файл пустой (0 байт)."),
        },
    )
    root = SectionChoiceField(
        label=gettext_lazy("Куда импортировать"),
        queryset=Section.objects.only("id", "title", "level"),
        required=False,
        empty_label=gettext_lazy("На верхний уровень дерева разделов"),
        help_text=gettext_lazy(
            "Папки архива станут подразделами выбранного раздела (папка с тем же названием, "
            "что у существующего подраздела, попадёт в него)."
        ),
        error_messages={
            "invalid_choice": gettext_lazy("Такого раздела нет: выберите раздел из списка.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Архив, как его выгружают с общего диска: папки станут разделами, файлы — "
            "черновиками материалов. До %(size)s МБ, не больше %(files)s файлов и папок. Имена в "
            "UTF-8 или в кодировке Windows (CP866) читаются оба."
        ) % {
            "size": settings.KB_IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024),
            "files": settings.KB_IMPORT_MAX_FILES,
        }
        self.file_count = 0

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.file_count = upload_inspect(upload)
        except ImportRefused as error:
            raise ValidationError(str(error)) from None
        return upload
