from django.core.management.base import BaseCommand

from texnopark.bookings.services import housekeeping


class Command(BaseCommand):
    help = ("Expire booking requests past their hold, release bookings without check-in (no-shows) "
            "and send reminders for tomorrow. Run it every few minutes from cron or a systemd timer.")

    def handle(self, *args, **options):
        done = housekeeping()
        self.stdout.write(f"expired {done['expired']}, released {done['released']}, reminded {done['reminded']}")
