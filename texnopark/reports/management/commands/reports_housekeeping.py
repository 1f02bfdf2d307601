"""For cron (daily): remind residents' admins of quarterly reports due in 7 and 1 days."""

from django.core.management.base import BaseCommand

from texnopark.reports import services


class Command(BaseCommand):
    help = "Remind the admins of residents that have not filed the last quarter's report before its deadline."

    def handle(self, *args, **options):
        sent = services.send_reminders()
        self.stdout.write(f"Report reminders sent: {sent}")
