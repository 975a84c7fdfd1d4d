"""What changed between two versions of a plan, as one reader is allowed to see them."""

from __future__ import annotations

from dataclasses import dataclass

from app.models import PlanItem, Section
from app.models.plans import SECTION_ORDER

COMPARED = ("section", "text", "phone", "for_teen", "for_family", "for_school")


@dataclass(frozen=True)
class Change:
    kind: str  # "added", "removed" or "changed"
    old: PlanItem | None
    new: PlanItem | None

    @property
    def item(self) -> PlanItem:
        """The item as it is now; as it was, when removed."""
        item = self.new or self.old
        if item is None:
            raise ValueError("a change has an old item, a new one or both")
        return item

    @property
    def section(self) -> Section:
        return self.item.section


def diff(old_items: list[PlanItem], new_items: list[PlanItem]) -> list[Change]:
    """Items are matched by their key, which stays the same from version to version.
    Both lists must already be filtered to what the reader may see."""
    old_by_key = {item.key: item for item in old_items}
    new_by_key = {item.key: item for item in new_items}
    changes = []
    for item in new_items:
        before = old_by_key.get(item.key)
        if before is None:
            changes.append(Change("added", None, item))
        elif any(getattr(before, f) != getattr(item, f) for f in COMPARED):
            changes.append(Change("changed", before, item))
    changes.extend(
        Change("removed", item, None) for item in old_items if item.key not in new_by_key
    )
    return sorted(
        changes,
        key=lambda c: (SECTION_ORDER[c.section], c.item.position, c.kind),
    )
