"""The change log's filter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from outcomes.changelog.selectors import change_log_kinds


class ChangeLogFilter(forms.Form):
    kind = forms.ChoiceField(label=_("Typ av ändring"), required=False)
    since = forms.DateField(
        label=_("Från och med"), required=False, input_formats=["%Y-%m-%d"], help_text=_("ÅÅÅÅ-MM-DD")
    )
    until = forms.DateField(
        label=_("Till och med"), required=False, input_formats=["%Y-%m-%d"], help_text=_("ÅÅÅÅ-MM-DD")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("alla")), *change_log_kinds()]
        for name in ("since", "until"):
            self.fields[name].error_messages["invalid"] = _("Ange ett datum som ÅÅÅÅ-MM-DD.")
