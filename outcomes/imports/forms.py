"""The upload form of "Läs in fil"."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

MAX_FILES = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadForm(forms.Form):
    """One or more templates (XLSX) or long CSV files. Their content is checked when read
    (:mod:`outcomes.imports.files`); the form only makes sure there is at least one."""

    files = forms.FileField(
        label=gettext_lazy("Filer (mallar .xlsx eller lång CSV)"),
        widget=MultipleFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
        error_messages={"required": gettext_lazy("Välj minst en fil att läsa in.")},
    )

    def clean_files(self):
        files = self.files.getlist("files")
        if not files:
            raise forms.ValidationError(self.fields["files"].error_messages["required"], code="required")
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                gettext_lazy("Högst %(n)s filer åt gången.") % {"n": MAX_FILES}, code="too_many"
            )
        return files
