from django.core.management.base import BaseCommand, CommandError

from outcomes.catalog.services import catalog_load
from outcomes.models import Association


class Command(BaseCommand):
    help = "Lägger in standardkatalogerna (avslutsorsaker, bakgrundsvariabler, enkätfrågor) som saknas."

    def add_arguments(self, parser):
        parser.add_argument("--association", type=int, help="Bara detta förbund; annars alla.")

    def handle(self, *args, association, **options):
        associations = Association.objects.all()
        if association is not None:
            associations = associations.filter(pk=association)
            if not associations.exists():
                raise CommandError(f"Förbund {association} finns inte.")
        for assoc in associations:
            created = catalog_load(association=assoc)
            summary = ", ".join(f"{k} {v}" for k, v in created.items())
            self.stdout.write(f"{assoc.name}: nya poster: {summary}")
