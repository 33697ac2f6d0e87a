"""Who writes: a signed-in user, or a named non-human actor.

Every service takes ``actor=`` explicitly. An actor is either a Django user (the web UI, the API)
or a :class:`SystemActor` — the command line run by someone (``cli:alice``), an import of a file
(``import:stack.yaml``), a scheduled job (``job:finance_daily``), the demo loader or the system
itself. A bare string is not an actor: it is refused where an actor is expected, so a typo or a
forgotten argument can never pass as a trusted "system".

What the permission rules need to know about a user — their role, their person record and
department — is read once per user object by :func:`facts` and kept in a side table keyed by
the object's identity (weakly, so it lives exactly as long as that user object: one request).
Nothing is cached as a private attribute on the user, the request or a model instance.
"""

from __future__ import annotations

import contextlib
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .choices import RoleChoices

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class SystemActorKindChoices:
    CLI = "cli"
    IMPORT = "import"
    JOB = "job"
    DEMO = "demo"
    SYSTEM = "system"
    TEST = "test"
    ALL = frozenset({CLI, IMPORT, JOB, DEMO, SYSTEM, TEST})


@dataclass(frozen=True, slots=True)
class SystemActor:
    """A non-human actor, trusted by every policy: whoever runs it already holds the server."""

    kind: str
    name: str = ""

    def __post_init__(self):
        if self.kind not in SystemActorKindChoices.ALL:
            raise ValueError(f"unknown system actor kind {self.kind!r}")

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}" if self.name else self.kind

    @classmethod
    def cli(cls, name: str = "") -> SystemActor:
        return cls(SystemActorKindChoices.CLI, name)

    @classmethod
    def importer(cls, filename: str = "") -> SystemActor:
        return cls(SystemActorKindChoices.IMPORT, filename)

    @classmethod
    def job(cls, name: str) -> SystemActor:
        return cls(SystemActorKindChoices.JOB, name)

    @classmethod
    def demo(cls) -> SystemActor:
        return cls(SystemActorKindChoices.DEMO)

    @classmethod
    def system(cls) -> SystemActor:
        return cls(SystemActorKindChoices.SYSTEM)


SYSTEM = SystemActor.system()


def is_system(actor) -> bool:
    return isinstance(actor, SystemActor)


def check_actor(actor) -> None:
    """Refuse what is not an actor (a string, None) with a clear programming error."""
    if isinstance(actor, SystemActor):
        return
    if actor is None or isinstance(actor, str) or not hasattr(actor, "is_authenticated"):
        raise TypeError(f"actor must be a user or a SystemActor, not {actor!r}")


def user_of(actor) -> AbstractBaseUser | None:
    """The signed-in user behind ``actor``, or None (system actors, anonymous users)."""
    if isinstance(actor, SystemActor) or actor is None or isinstance(actor, str):
        return None
    return actor if getattr(actor, "is_authenticated", False) else None


def actor_name(actor) -> str:
    """The name a row freezes for who did something: the user's person's display name, else the user's full
    name, else the login; a system actor's label (``cli:alice``, ``demo``)."""
    if isinstance(actor, SystemActor):
        return str(actor)
    check_actor(actor)
    person = facts(actor).person
    if person is not None and getattr(person, "name", ""):
        return person.name
    full = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return full or actor.get_username()


def display_names() -> dict[str, str]:
    """Login → the person's display name, for every login linked to a person (one query): rows written
    before names were frozen as display names stored the login, and are shown by the person's name too."""
    from stacksteward.org.models import Person

    return dict(Person.objects.filter(user__isnull=False).values_list("user__username", "name"))


_SYSTEM_LABELS = {
    SystemActorKindChoices.CLI: "{name} (command line)",
    SystemActorKindChoices.IMPORT: "Import of {name}",
    SystemActorKindChoices.JOB: "Scheduled job {name}",
}
_SYSTEM_BARE = {SystemActorKindChoices.DEMO: "Demo data", SystemActorKindChoices.SYSTEM: "System",
                SystemActorKindChoices.CLI: "Command line", SystemActorKindChoices.IMPORT: "Import",
                SystemActorKindChoices.TEST: "Test"}


def shown_name(stored: str, names: dict[str, str] | None = None) -> str:
    """How a page shows a frozen actor name: the person's display name for a login (``names`` from
    :func:`display_names`), a system actor's label in words (``job:finance_daily`` → ``Scheduled job
    finance_daily``), anything else as stored."""
    if not stored:
        return ""
    if names and stored in names:
        return names[stored]
    kind, _, name = stored.partition(":")
    if kind in SystemActorKindChoices.ALL:
        if not name and kind in _SYSTEM_BARE:
            return _SYSTEM_BARE[kind]
        if name and kind in _SYSTEM_LABELS:
            return _SYSTEM_LABELS[kind].format(name=name)
    return stored


# What the rules need to know about a user --------------------------------------------------------

_RANK = {None: 0, RoleChoices.VIEWER: 1, RoleChoices.EDITOR: 2, RoleChoices.ADMIN: 3}


@dataclass(frozen=True, slots=True)
class ActorFacts:
    role: str | None
    person: object | None  # org.Person with its department, or None
    user_id: int | None = None

    @property
    def person_id(self) -> int | None:
        return self.person.pk if self.person is not None else None

    @property
    def department_id(self) -> int | None:
        return self.person.department_id if self.person is not None else None

    @property
    def department_kind(self) -> str | None:
        person = self.person
        return person.department.kind if person is not None and person.department_id else None

    def at_least(self, role: str) -> bool:
        return _RANK[self.role] >= _RANK[RoleChoices(role)]


NO_FACTS = ActorFacts(role=None, person=None, user_id=None)
_facts: dict[int, tuple[weakref.ref, ActorFacts]] = {}


def _forget(key: int):
    def drop(_ref):
        _facts.pop(key, None)
    return drop


def facts(actor) -> ActorFacts:
    """Role and person of a user (two queries per user object at most); nothing for others."""
    user = user_of(actor)
    if user is None or not user.is_active:
        return NO_FACTS
    key = id(user)
    held = _facts.get(key)
    if held is not None and held[0]() is user:
        return held[1]
    found = ActorFacts(role=_read_role(user), person=_read_person(user), user_id=user.pk)
    with contextlib.suppress(TypeError):  # an object that cannot be weakly referenced: answer, keep nothing
        _facts[key] = (weakref.ref(user, _forget(key)), found)
    return found


def forget_facts(user) -> None:
    """Drop what ``facts`` knows of this user object (after its role or person changed)."""
    held = _facts.get(id(user))
    if held is not None and held[0]() is user:
        _facts.pop(id(user), None)


def _read_role(user) -> str:
    if user.is_superuser:
        return str(RoleChoices.ADMIN)
    names = set(user.groups.values_list("name", flat=True))
    for candidate in (RoleChoices.ADMIN, RoleChoices.EDITOR):
        if candidate.value in names:
            return str(candidate)
    return str(RoleChoices.VIEWER)


def remember_facts(user, *, role: str, person) -> None:
    """Seed ``facts`` for a user object whose role and person were read already (token authentication)."""
    with contextlib.suppress(TypeError):
        _facts[id(user)] = (weakref.ref(user, _forget(id(user))), ActorFacts(role=str(role), person=person,
                                                                            user_id=user.pk))


def _no_person(user):
    return None


_person_reader = _no_person


def set_person_reader(reader) -> None:
    """``org`` tells core how to find a user's person record (core does not import org)."""
    global _person_reader
    _person_reader = reader


def _read_person(user):
    return _person_reader(user)
