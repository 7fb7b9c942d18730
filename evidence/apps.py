from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = "佐证材料"

    def orphan_files(self):
        """Stored files no row names; `purge_orphan_files` asks every app that has this."""
        from evidence.services import evidence_orphans

        return evidence_orphans()
