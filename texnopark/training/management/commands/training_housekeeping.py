"""For cron (every few minutes): seat offers past their time pass to the next person in line."""

from django.core.management.base import BaseCommand

from texnopark.training import services


class Command(BaseCommand):
    help = "Expire seat offers that were not confirmed in time and offer the seats to the next in line."

    def handle(self, *args, **options):
        expired = services.expire_offers_everywhere()
        self.stdout.write(f"Expired seat offers: {expired}")
