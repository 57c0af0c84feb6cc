from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Resultat och sammanställningar")

    def ready(self):
        from reports import receivers
        from reports.summaries import stored

        receivers.connect()
        stored.connect()
