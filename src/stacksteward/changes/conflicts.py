"""Conflicts of a change window with other changes, freeze periods and marketing events.

* another live change on the same component, or on a component directly related to one of this
  change's components (either direction, any relation type), in an overlapping window;
* a freeze period overlapping the window that covers every component or one this change touches
  or impacts;
* a marketing event overlapping the window that relies on every component or on one this change
  touches or impacts.

Windows are compared as aware date-times, so time zones cannot hide an overlap; windows that only
touch (one ends when the other starts) do not overlap.
"""

from dataclasses import dataclass

from stacksteward.catalog import graph as g

from .models import CalendarEvent, ChangeRequest

KIND_CHANGE = "change"
KIND_FREEZE = "freeze"
KIND_EVENT = "event"


@dataclass(frozen=True)
class Conflict:
    kind: str
    reason: str
    other_id: int
    other_name: str
    start: object
    end: object

    def as_dict(self) -> dict:
        return {"kind": self.kind, "reason": self.reason, "other_id": self.other_id, "other_name": self.other_name,
                "start": self.start.isoformat(), "end": self.end.isoformat()}


def _neighbours(component_ids: set[int]) -> set[int]:
    graph = g.load_graph()
    found = set()
    for node in component_ids:
        found.update(other for other, _edge in graph.downstream.get(node, ()))
        found.update(other for other, _edge in graph.upstream.get(node, ()))
    return found - component_ids


def find_conflicts(*, component_ids, impacted_ids, start, end, exclude_pk=None) -> list[Conflict]:
    """Every conflict of a window on ``component_ids`` (which impacts ``impacted_ids``). Three queries."""
    touched = set(component_ids)
    related = _neighbours(touched)
    near = touched | related
    conflicts: list[Conflict] = []
    others = (ChangeRequest.objects.live().overlapping(start, end).exclude(pk=exclude_pk)
              .filter(components__in=near).distinct().prefetch_related("components"))
    for other in others:
        theirs = {c.pk: c.name for c in other.components.all()}
        same = sorted(name for pk, name in theirs.items() if pk in touched)
        if same:
            reason = f"{other} changes {', '.join(same)} in an overlapping window"
        else:
            names = ", ".join(sorted(name for pk, name in theirs.items() if pk in related))
            reason = f"{other} changes {names}, directly related to this change's components, in an overlapping window"
        conflicts.append(Conflict(KIND_CHANGE, reason, other.pk, str(other), other.window_start, other.window_end))
    reach = touched | set(impacted_ids)
    for event in CalendarEvent.objects.filter(start__lt=end, end__gt=start).prefetch_related("components"):
        relied = {c.pk: c.name for c in event.components.all()}
        hit = sorted(name for pk, name in relied.items() if pk in reach)
        if not (event.all_components or hit):
            continue
        scope = "every component" if event.all_components else ", ".join(hit)
        if event.is_freeze:
            kind, reason = KIND_FREEZE, f"The window falls in the freeze “{event}” covering {scope}"
        else:
            kind, reason = KIND_EVENT, (f"{event.get_kind_display()} “{event}” relies on {scope}, "
                                        "which this change touches or impacts")
        conflicts.append(Conflict(kind, reason, event.pk, str(event), event.start, event.end))
    return conflicts
