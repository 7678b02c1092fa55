from datetime import date

from django.core.management.base import BaseCommand

from marac.notifications.sweep import run_daily_sweep


class Command(BaseCommand):
    help = "Run the daily reminder sweep now (the same job Celery beat runs daily)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        for step, flagged in run_daily_sweep(options.get("date")).items():
            self.stdout.write(f"{step}: {flagged}")
