"""What a state looks like, declared once for every workflow and status field.

Every state of every workflow (requests, backlog items, changes, approvals, capabilities,
contracts, …) is shown in one of five :class:`Tone`\\ s, and a tone means the same everywhere:

==========  =====  ======  ==============================================================
tone        colour  mark   meaning
==========  =====  ======  ==============================================================
done        green   ✓      finished well: approved, delivered, done, active and healthy
progress    blue    ▸      moving: in progress, planned, scheduled, assessing
waiting     amber   !      needs someone: submitted, awaiting approval, due, clarifying
stopped     red     ✕      rejected, cancelled, failed, declined, overdue
neutral     grey    ○      draft, closed, withdrawn, not started
==========  =====  ======  ==============================================================

The mark and the text are always shown, so no one has to tell colours apart. Each app declares
the tones of its choices next to them (``tones(RequestStatusChoices, {…})`` in ``choices.py``);
:func:`tone_of` answers for a field of a model; the ``{% status_badge obj %}`` template tag
(``core/templatetags/steward.py``) draws the badge. A state that was not given a tone is neutral.
"""

from django.db import models


class Tone(models.TextChoices):
    DONE = "done", "Done or approved"
    PROGRESS = "progress", "In progress"
    WAITING = "waiting", "Waiting or needs attention"
    STOPPED = "stopped", "Rejected, cancelled or failed"
    NEUTRAL = "neutral", "Draft or closed"


MARKS = {Tone.DONE: "✓", Tone.PROGRESS: "▸", Tone.WAITING: "!", Tone.STOPPED: "✕", Tone.NEUTRAL: "○"}

_by_values: dict[frozenset, dict[str, Tone]] = {}
_by_class: dict[type, dict[str, Tone]] = {}
_named: dict[str, dict[str, Tone]] = {}


def tones(choices: type[models.Choices], mapping: dict[str, Tone]) -> dict[str, Tone]:
    """Declare the tone of each value of ``choices`` (values left out are neutral)."""
    unknown = set(mapping) - {str(v) for v in choices.values}
    if unknown:
        raise ValueError(f"{choices.__name__}: no such values {sorted(unknown)}")
    full = {str(v): Tone(mapping.get(str(v), Tone.NEUTRAL)) for v in choices.values}
    _by_class[choices] = full
    _by_values[frozenset(full)] = full
    return full


def named_tones(name: str, mapping: dict[str, Tone]) -> dict[str, Tone]:
    """Declare the tones of states that are computed rather than stored (a contract's notice deadline)."""
    _named[name] = {str(k): Tone(v) for k, v in mapping.items()}
    return _named[name]


def tone_named(name: str, value) -> Tone:
    return _named.get(name, {}).get(str(value), Tone.NEUTRAL)


def tones_for_field(model, field_name: str) -> dict[str, Tone] | None:
    """The declared tones of a model's choice field (found by its set of values), or None."""
    field = model._meta.get_field(field_name)
    values = frozenset(str(v) for v, _label in (field.flatchoices or ()))
    return _by_values.get(values)


def tone_of(choices_or_model, value, field_name: str = "status") -> Tone:
    """The tone of ``value`` of a choices class, or of a model's choice field."""
    if isinstance(choices_or_model, type) and issubclass(choices_or_model, models.Choices):
        mapping = _by_class.get(choices_or_model)
    else:
        mapping = tones_for_field(choices_or_model, field_name)
    return (mapping or {}).get(str(value), Tone.NEUTRAL)


def declared() -> dict[type, dict[str, Tone]]:
    return dict(_by_class)
