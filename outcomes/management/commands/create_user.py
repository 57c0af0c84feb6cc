from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from outcomes.models import Association, Intervention, Role
from outcomes.organisations.services import api_token_create, user_create


class Command(BaseCommand):
    help = "Skapar en användare (om den är ny) och ger den en roll i ett förbund eller en insats."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--association", type=int, required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--intervention", type=int)
        parser.add_argument("--password")
        parser.add_argument(
            "--api-token",
            action="store_true",
            help="Skapa också en API-nyckel; den skrivs ut på sista raden och visas bara en gång.",
        )

    def handle(self, *args, email, association, role, intervention, password, api_token, **options):
        try:
            assoc = Association.objects.get(pk=association)
        except Association.DoesNotExist as exc:
            raise CommandError(f"Förbund {association} finns inte.") from exc
        target = None
        if intervention is not None:
            target = Intervention.objects.filter(pk=intervention).first()
            if target is None:
                raise CommandError(f"Insats {intervention} finns inte.")
        try:
            user = user_create(email=email, association=assoc, role=role, intervention=target, password=password)
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        self.stdout.write(f"{user.email} har rollen {role} (användare {user.pk}).")
        if api_token:
            try:
                _token, secret = api_token_create(user=user, name="create_user")
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            self.stdout.write(secret)
