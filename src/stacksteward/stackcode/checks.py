"""Checks of one entry beyond its values (``Section.checks``): each takes the entry and its typed values and
answers ``(field, message, value)`` for the first problem, or None."""

from .report import quote


def differs_from(name: str, other: str, problem: str):
    """``name`` must not name the same entry as ``other`` (compared ignoring case)."""

    def check(entry, values):
        if (values.get(name) or "").casefold() == (values.get(other) or "").casefold():
            return name, f"{quote(values[name])} {problem}.", values[name]
        return None

    return check


def score_range(low: int, high: int):
    """The entry's ``score`` must be from ``low`` to ``high``."""

    def check(entry, values):
        if not low <= values["score"] <= high:
            raw = entry.raw("score")
            return "score", f"{quote(raw)} is not a score from {low} to {high}.", raw
        return None

    return check


def names_a_criterion(entry, values):
    """A criterion is named as ``department/name``."""
    if "/" not in values["criterion"]:
        return ("criterion", f"{quote(values['criterion'])} does not name a criterion as department/name "
                             f"(e.g. it/Security).", values["criterion"])
    return None
