from django.core.management.base import BaseCommand

from warning_system.registry.services import search_names_refresh


class Command(BaseCommand):
    help = (
        "Spell in pinyin the names of subjects that have no spelling yet or were renamed (search by "
        "initials and pinyin); runs after every load and every five minutes by itself."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"spelled: {search_names_refresh()}")
