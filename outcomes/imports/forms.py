"""The upload form of "Läs in fil"."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from outcomes.imports.files import FileRefused, file_name_check

MAX_FILES = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern): a list of uploaded files."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        if not data and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if isinstance(data, (list, tuple)):
            return [one(item, initial) for item in data]
        return [one(data, initial)]


class UploadForm(forms.Form):
    """One or more templates (XLSX) or long CSV files. Their content is checked when read
    (:mod:`outcomes.imports.files`); the form only makes sure there is at least one."""

    files = MultipleFileField(
        label=gettext_lazy("Filer (mallar .xlsx eller lång CSV)"),
        widget=MultipleFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
        error_messages={"required": gettext_lazy("Välj minst en fil att läsa in.")},
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                gettext_lazy("Högst %(n)s filer åt gången.") % {"n": MAX_FILES}, code="too_many"
            )
        for file in files:
            # A name is kept with the upload until it is saved: one holding personal data is not.
            try:
                file_name_check(file.name)
            except FileRefused as refused:
                raise forms.ValidationError(refused.message, code=refused.code) from None
        return files
