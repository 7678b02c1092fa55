from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "marac.transfers"
    label = "transfers"

    def ready(self):
        from marac.meetings.pack_sections import register_pack_section

        from .pack import transferred_from_pack_section

        register_pack_section("transferred_from", "Transferred from another MARAC", transferred_from_pack_section)
