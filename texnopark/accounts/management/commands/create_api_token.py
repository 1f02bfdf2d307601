from django.core.management.base import BaseCommand, CommandError

from texnopark.accounts.models import User
from texnopark.accounts.services import token_create


class Command(BaseCommand):
    help = "Create a personal API token for a person and print it (it is shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("name", help="What the token is for")

    def handle(self, *args, email, name, **options):
        user = User.objects.filter(email=email.lower()).first()
        if user is None:
            raise CommandError(f"No person with the e-mail {email}.")
        _token, plain = token_create(actor=user, name=name)
        self.stdout.write(plain)
