from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = _("Pinnstatistik")

    def ready(self):
        from outcomes.signals import report_changed
        from outcomes.tallies.reopening import on_report_changed

        report_changed.connect(on_report_changed, dispatch_uid="outcomes.tallies.reopening")
