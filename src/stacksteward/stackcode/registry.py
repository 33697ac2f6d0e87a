"""The sections of the format, as the apps declare them (each app's ``sections.py``, imported from its
``AppConfig.ready``). stackcode knows no app: the exporter, the readers and the importer iterate over what is
registered here, in dependency order.

The order is computed from the references: a section comes after every section its ``ref``/``refs`` fields
name (references to itself, and to parts of its own selection, are resolved within the section); among the
sections that are free to go next, the one registered first goes first (the apps register in
``INSTALLED_APPS`` order, each app its sections in the order it lists them), and ``Section.after`` names a
section that must come first although no reference says so.

The mappings below are filled in place, so that ``from .registry import SECTIONS`` always sees every section.
"""

import heapq

SECTIONS: dict = {}  # name → Section, in dependency order
SECTION_ORDER: list[str] = []
# Money that only people who see all values may export or import: {section: (field, …)}: the fields of the
# section's model that its policy declares in a field group (``core.policies.money_group``).
MONEY_FIELDS: dict[str, tuple[str, ...]] = {}
# {section: (one, many)}: how reports count entries ("1 RACI assignment", "3 RACI assignments").
SECTION_NOUNS: dict[str, tuple[str, str]] = {}
# Objects that fields refer to without being a section of their own (data categories): name → RefTarget.
REF_TARGETS: dict = {}

_registered: dict = {}  # name → Section, in registration order

# Field kinds naming another section's entry (a part of the entry's own selection is not a dependency).
_DEPENDENCY_KINDS = ("ref", "refs")


def register_section(*sections) -> None:
    """Add sections to the format (an app's ``sections.py`` calls this when it is imported)."""
    for section in sections:
        if section.name in _registered and _registered[section.name] is not section:
            raise ValueError(f"The section {section.name} is registered twice.")
        _registered[section.name] = section
    _recompute()


def register_ref_target(target) -> None:
    """A kind of object that fields may name without being a section (``data_categories``)."""
    REF_TARGETS[target.name] = target


def sections() -> list:
    """Every registered section, in dependency order."""
    return list(SECTIONS.values())


def get(name: str):
    return SECTIONS[name]


def dependencies(section, known=None) -> set[str]:
    """The sections ``section`` must come after (among ``known``, default the registered ones): those its
    references name, and its ``after``."""
    known = _registered if known is None else known
    deps = {f.ref for f in section.fields if f.kind in _DEPENDENCY_KINDS and f.ref and f.ref != section.name}
    deps.update(section.after)
    return {d for d in deps if d in known}


def dependency_order(registered: dict) -> list[str]:
    """A topological order of ``registered`` (name → Section); ties go to the one registered first."""
    position = {name: i for i, name in enumerate(registered)}
    waiting = {name: dependencies(s, registered) for name, s in registered.items()}
    needed_by: dict[str, list[str]] = {name: [] for name in registered}
    for name, deps in waiting.items():
        for dep in deps:
            needed_by[dep].append(name)
    ready = [(position[n], n) for n, deps in waiting.items() if not deps]
    heapq.heapify(ready)
    order = []
    while ready:
        _pos, name = heapq.heappop(ready)
        order.append(name)
        for other in needed_by[name]:
            waiting[other].discard(name)
            if not waiting[other]:
                heapq.heappush(ready, (position[other], other))
    if len(order) != len(registered):
        stuck = sorted(set(registered) - set(order))
        raise ValueError(f"The sections {', '.join(stuck)} refer to each other in a cycle.")
    return order


def _money_of(section) -> set[str]:
    """The model fields of ``section`` in a field group of the model's policy (its money); the apps register
    their policies before their sections (``AppConfig.ready``)."""
    from stacksteward.core.policies import policy_for

    model = getattr(section, "model", None)
    if model is None:
        return set()
    return {name for spec in policy_for(model).fields.values() for name in spec.fields}


def _recompute() -> None:
    order = dependency_order(_registered)
    SECTIONS.clear()
    SECTIONS.update((name, _registered[name]) for name in order)
    SECTION_ORDER[:] = order
    MONEY_FIELDS.clear()
    SECTION_NOUNS.clear()
    for section in SECTIONS.values():
        money = tuple(f.name for f in section.fields if f.model_attr in _money_of(section))
        if money:
            MONEY_FIELDS[section.name] = money
        SECTION_NOUNS[section.name] = (section.singular, section.plural)
