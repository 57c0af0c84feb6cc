from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from outcomes.organisations.services import association_create


class Command(BaseCommand):
    help = "Skapar ett samordningsförbund med standardkatalogerna och skriver ut dess id."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--org-number", required=True, help="NNNNNN-NNNN")

    def handle(self, *args, name, org_number, **options):
        try:
            association = association_create(name=name, org_number=org_number)
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        self.stdout.write(str(association.pk))
