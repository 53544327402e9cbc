from pathlib import Path

from django.core.management.base import BaseCommand

from warning_system.registry.services import REFERENCE_DIR, reference_data_load


class Command(BaseCommand):
    help = "Load departments, districts and the post-licence catalogue (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--from",
            dest="folder",
            default=str(REFERENCE_DIR),
            help="folder holding departments.csv, districts.csv, post_licence_catalog.csv",
        )

    def handle(self, *args, folder, **options):
        counts = reference_data_load(folder=Path(folder))
        self.stdout.write(
            f"departments: {counts.departments}, districts: {counts.districts}, "
            f"catalogue entries: {counts.catalogue_entries}"
        )
