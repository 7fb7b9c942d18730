"""One kind of file attached to any reviewed object (a report, a form row, ...).

The owner is reached through contenttypes so that this app needs no import of the apps that
own files; each owner declares `evidence = GenericRelation(Evidence, ...)`, which keeps
`owner.evidence.all()` and prefetching working and deletes the rows with the owner.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models

# What a browser may show in the page (evidence/serving.py); everything else is downloaded.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "application/pdf"})


class EvidenceQuerySet(models.QuerySet):
    def of_kind(self, model) -> EvidenceQuerySet:
        """Files of owners of this model only: a scope filter through the GenericRelation's
        query name (`report__...`) that is empty (a leader's) would otherwise match them all."""
        return self.filter(owner_type=ContentType.objects.get_for_model(model))


class Evidence(models.Model):
    """A file stored under a random name outside the web root, checked by its content."""

    owner_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_type", "owner_id")
    # The file column of a form row the file belongs to; blank for a report's files.
    field_code = models.CharField("栏目", max_length=40, blank=True)
    stored_name = models.CharField(max_length=80, unique=True, editable=False)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["owner_type", "owner_id"])]
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"

    def __str__(self) -> str:
        return self.original_name

    @property
    def viewable(self) -> bool:
        """A browser can show it in the page (an image or a PDF), not only download it."""
        return self.content_type in INLINE_TYPES

    @property
    def is_image(self) -> bool:
        return self.content_type in ("image/jpeg", "image/png")


def evidence_relation(query_name: str) -> GenericRelation:
    """The owner's side: `evidence = evidence_relation("report")` gives `report.evidence` and
    lets Evidence be filtered through the owner (`Evidence.objects.filter(report__...)`)."""
    return GenericRelation(
        Evidence,
        content_type_field="owner_type",
        object_id_field="owner_id",
        related_query_name=query_name,
    )
