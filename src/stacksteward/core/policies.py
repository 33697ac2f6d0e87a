"""Who may do what: named rules, composed into one policy per model, asked in three ways.

A :class:`Rule` answers two questions from one definition:

* ``test(facts, obj)`` — may this actor act on this object (``obj`` None: on the model at all);
* ``q(facts)`` — on which rows: ``True`` (all), ``False`` (none) or a ``Q`` filter.

Rules compose with ``|`` and ``&``; the composition keeps both answers consistent (a row is
listed exactly when its object passes ``test``). A :class:`Policy` names the rule of every
action (``view``, ``add``, ``change``, ``delete`` and any other verb), of every workflow step and
of every field group (money is one field group), and is used three ways:

* ``policy.require(actor, "change", obj)`` — the first line of every write service, the only
  place a write is authorized; raises ``PermissionDenied`` naming what was refused;
* ``policy.allows(actor, "change", obj)`` — views and templates deciding which buttons to show;
* ``policy.rows(actor, "view", queryset)`` — what ``RestrictedQuerySet.restrict()`` returns.

Field groups decide what every output shows: ``policy.shows(actor, "money", obj)`` for one
object, ``policy.shows_q(actor, "money")`` for the rows (lists, sorting), ``policy.hidden_fields(actor,
obj)`` for the names an output must blank, ``policy.hidden_anywhere(actor)`` for the names blanked where
rows are not at hand (the audit log), and ``policy.require_fields(actor, obj, data)`` refuses a write
that touches a group the actor may not write. System actors (:class:`core.actors.SystemActor`) pass
every rule; anonymous and inactive users pass none.

**Money is one rule** (:func:`money_group`): a model's money fields are read by those who see all money
(``SEES_ALL_MONEY``: admins and people in finance, procurement and legal departments) and by the owners
of what the money is about (a rule given per model: a component's owners, a contract's owners).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

from .actors import ActorFacts, check_actor, facts, is_system
from .choices import RoleChoices

Test = Callable[[ActorFacts, object | None], bool]
Rows = Callable[[ActorFacts], "Q | bool"]


class Rule:
    """A named permission rule. Build with :func:`rule`, :func:`row_rule` or the constants below."""

    def __init__(self, name: str, test: Test, q: Rows, doc: str = ""):
        self.name = name
        self._test = test
        self._q = q
        self.doc = doc

    def __repr__(self) -> str:
        return f"Rule({self.name})"

    def test(self, who: ActorFacts, obj=None) -> bool:
        return bool(self._test(who, obj))

    def q(self, who: ActorFacts) -> Q | bool:
        return self._q(who)

    def __or__(self, other: Rule) -> Rule:
        def test(who, obj):
            return self.test(who, obj) or other.test(who, obj)

        def q(who):
            a, b = self.q(who), other.q(who)
            if a is True or b is True:
                return True
            if a is False:
                return b
            if b is False:
                return a
            return a | b

        return Rule(f"{self.name} | {other.name}", test, q)

    def __and__(self, other: Rule) -> Rule:
        def test(who, obj):
            return self.test(who, obj) and other.test(who, obj)

        def q(who):
            a, b = self.q(who), other.q(who)
            if a is False or b is False:
                return False
            if a is True:
                return b
            if b is True:
                return a
            return a & b

        return Rule(f"({self.name} & {other.name})", test, q)


def rule(name: str, doc: str = ""):
    """A rule about the actor only (a role, a department kind): the same answer for every row."""

    def make(func: Callable[[ActorFacts], bool]) -> Rule:
        return Rule(name, lambda who, obj: func(who), lambda who: bool(func(who)), doc or (func.__doc__ or ""))

    return make


def row_rule(name: str, *, q: Rows, doc: str = ""):
    """A rule about rows: ``test(facts, obj)`` for one object, ``q(facts)`` for the rows it allows.

    With ``obj`` None the test asks "on some rows at all?", answered from ``q``.
    """

    def make(func: Test) -> Rule:
        def test(who, obj):
            if obj is None:
                return q(who) is not False
            return func(who, obj)

        return Rule(name, test, q, doc or (func.__doc__ or ""))

    return make


@rule("signed in")
def SIGNED_IN(who: ActorFacts) -> bool:
    return who.role is not None


@rule("editor")
def EDITOR(who: ActorFacts) -> bool:
    return who.at_least(RoleChoices.EDITOR)


@rule("admin")
def ADMIN(who: ActorFacts) -> bool:
    return who.at_least(RoleChoices.ADMIN)


@rule("nobody")
def NOBODY(who: ActorFacts) -> bool:
    return False


def in_department_kind(*kinds: str) -> Rule:
    kinds_set = frozenset(kinds)

    @rule(f"department in {'/'.join(sorted(kinds_set))}")
    def check(who: ActorFacts) -> bool:
        return who.role is not None and who.department_kind in kinds_set

    return check


def person_is(*fields: str, name: str | None = None) -> Rule:
    """The actor's person is named in one of ``fields`` (foreign keys to ``org.Person``) of the row."""

    def test(who, obj):
        if obj is None:
            return who.person_id is not None
        return who.person_id is not None and any(getattr(obj, f"{f}_id", None) == who.person_id for f in fields)

    def q(who):
        if who.person_id is None:
            return False
        found = Q()
        for f in fields:
            found |= Q(**{f"{f}_id": who.person_id})
        return found

    return Rule(name or f"person is {' or '.join(fields)}", test, q)


def user_is(field_name: str, *, name: str | None = None) -> Rule:
    """The row's ``field_name`` (a foreign key to the user model) is the actor's user."""

    def test(who, obj):
        if obj is None:
            return who.user_id is not None
        return who.user_id is not None and getattr(obj, f"{field_name}_id") == who.user_id

    def q(who):
        return Q(**{f"{field_name}_id": who.user_id}) if who.user_id is not None else False

    return Rule(name or f"own {field_name}", test, q)


def same_department(field_name: str, *, name: str | None = None) -> Rule:
    """The row's ``field_name`` (a foreign key to ``org.Department``) is the actor's department."""

    def q(who):
        return Q(**{f"{field_name}_id": who.department_id}) if who.department_id is not None else False

    def test(who, obj):
        if obj is None:
            return who.department_id is not None
        return who.department_id is not None and getattr(obj, f"{field_name}_id") == who.department_id

    return Rule(name or f"same department as {field_name}", test, q)


ACTIONS = ("view", "add", "change", "delete")


NEW_ROW = Rule("a new row", lambda who, obj: obj is None, lambda who: False,
               doc="Creating: the money of a new row is entered by whoever records it.")
MONEY_DEPARTMENT_KINDS = frozenset({"finance", "procurement", "legal"})
SEES_ALL_MONEY = ADMIN | in_department_kind(*MONEY_DEPARTMENT_KINDS)


@dataclass
class FieldGroup:
    """Fields shown and written only where ``read`` (and ``write``) allow: money is one."""

    name: str
    fields: tuple[str, ...]
    read: Rule
    write: Rule | None = None  # default: read & the policy's change rule
    label: str = ""


def money_group(fields: Iterable[str], *, owner: Rule, label: str = "") -> FieldGroup:
    """The money of a model, declared with the one money rule: read by who sees all money and by ``owner``;
    written by editors who read it (and by the editor recording a new row, who enters its money)."""
    read = SEES_ALL_MONEY | owner
    return FieldGroup("money", fields=tuple(fields), read=read, write=EDITOR & (NEW_ROW | read), label=label)


@dataclass
class Policy:
    """Who may do what with one model. Actions default to: view signed in, writes editors."""

    model: type[models.Model] | str
    view: Rule = SIGNED_IN
    add: Rule = EDITOR
    change: Rule = EDITOR
    delete: Rule = EDITOR
    actions: dict[str, Rule] = field(default_factory=dict)  # other verbs: "answer", "decide", "export"…
    steps: dict[str, Rule] = field(default_factory=dict)  # workflow steps by name ("submit", "approve"…)
    fields: dict[str, FieldGroup] = field(default_factory=dict)
    audit: Rule = SIGNED_IN  # who reads the audit entries of this model's objects

    def __post_init__(self):
        self.label = self.model if isinstance(self.model, str) else self.model._meta.label_lower
        self.label = self.label.lower()

    # The three uses ---------------------------------------------------------------------------

    def rule_for(self, action: str) -> Rule:
        if action in ACTIONS or action == "audit":
            return getattr(self, action)
        if action in self.actions:
            return self.actions[action]
        if action in self.steps:
            return self.steps[action]
        raise ValueError(f"{self.label}: no rule for {action!r}")

    def allows(self, actor, action: str, obj=None) -> bool:
        check_actor(actor)
        if is_system(actor):
            return True
        who = facts(actor)
        if who.role is None:
            return False
        return self.rule_for(action).test(who, obj)

    def require(self, actor, action: str, obj=None) -> None:
        """Refuse (``PermissionDenied``) unless the policy allows ``action`` on ``obj``."""
        if not self.allows(actor, action, obj):
            raise PermissionDenied(self.refusal(action, obj))

    def refusal(self, action: str, obj=None) -> str:
        noun = self._verbose_name()
        what = f"{noun} “{obj}”" if obj is not None else noun
        verb = action.replace("_", " ")
        return f"You may not {verb} {what}."

    def q(self, actor, action: str = "view") -> Q | bool:
        check_actor(actor)
        if is_system(actor):
            return True
        who = facts(actor)
        if who.role is None:
            return False
        return self.rule_for(action).q(who)

    def rows(self, actor, action: str, queryset: models.QuerySet) -> models.QuerySet:
        """The rows of ``queryset`` the actor may ``action``."""
        found = self.q(actor, action)
        if found is True:
            return queryset
        if found is False:
            return queryset.none()
        return queryset.filter(found)

    # Field groups ------------------------------------------------------------------------------

    def shows(self, actor, group: str, obj=None) -> bool:
        check_actor(actor)
        if is_system(actor):
            return True
        who = facts(actor)
        return who.role is not None and self.fields[group].read.test(who, obj)

    def shows_q(self, actor, group: str) -> Q | bool:
        """The rows whose ``group`` the actor reads: True (all), False (none) or a filter."""
        check_actor(actor)
        if is_system(actor):
            return True
        who = facts(actor)
        if who.role is None:
            return False
        return self.fields[group].read.q(who)

    def hidden_anywhere(self, actor) -> set[str]:
        """The fields of every group ``actor`` does not read on every row (blanked where the row is not at hand)."""
        hidden: set[str] = set()
        for name, spec in self.fields.items():
            if self.shows_q(actor, name) is not True:
                hidden.update(spec.fields)
        return hidden

    def may_write_group(self, actor, group: str, obj=None) -> bool:
        check_actor(actor)
        if is_system(actor):
            return True
        who = facts(actor)
        if who.role is None:
            return False
        spec = self.fields[group]
        write = spec.write or (spec.read & (self.change if obj is not None else self.add))
        return write.test(who, obj)

    def hidden_fields(self, actor, obj=None) -> set[str]:
        """Names of the fields ``actor`` may not read on ``obj`` (every output blanks them)."""
        hidden: set[str] = set()
        for name, spec in self.fields.items():
            if not self.shows(actor, name, obj):
                hidden.update(spec.fields)
        return hidden

    def require_fields(self, actor, obj, data: Mapping | Iterable[str]) -> None:
        """Refuse a write touching a field group the actor may not write (``obj`` None: a create)."""
        names = set(data)
        for group, spec in self.fields.items():
            touched = names.intersection(spec.fields)
            if touched and not self.may_write_group(actor, group, obj):
                listed = ", ".join(sorted(touched))
                raise PermissionDenied(f"You may not set {spec.label or group} ({listed}) of this "
                                       f"{self._verbose_name()}.")

    def _verbose_name(self) -> str:
        if isinstance(self.model, str):
            return self.label.split(".", 1)[1]
        return str(self.model._meta.verbose_name)


# Registry ----------------------------------------------------------------------------------------

_policies: dict[str, Policy] = {}
_DEFAULT: dict[str, Policy] = {}


def register(policy: Policy) -> Policy:
    if policy.label in _policies:
        raise ValueError(f"a policy for {policy.label} is registered already")
    _policies[policy.label] = policy
    return policy


def policy_for(target) -> Policy:
    """The policy of a model class, an instance or a label ("catalog.component")."""
    label = target.lower() if isinstance(target, str) else target._meta.label_lower
    found = _policies.get(label)
    if found is not None:
        return found
    default = _DEFAULT.get(label)
    if default is None:
        model = target if isinstance(target, str) else (target if isinstance(target, type) else type(target))
        default = _DEFAULT[label] = Policy(model)
    return default


def registered() -> dict[str, Policy]:
    return dict(_policies)


# Core's own models ---------------------------------------------------------------------------------

# Anyone signed in asks (the service checks they see what it is about); the asker or an admin marks it answered.
QUESTIONS = register(Policy("core.question", add=SIGNED_IN,
                            actions={"close": ADMIN | user_is("asked_by", name="asker")}))
ANSWERS = register(Policy("core.answer", add=SIGNED_IN))
NOTIFICATIONS = register(Policy("core.notification", view=user_is("recipient"), change=user_is("recipient"),
                                add=NOBODY, delete=NOBODY))
TAGS = register(Policy("core.tag", change=NOBODY, delete=NOBODY))  # made by naming them on a component
USERS = register(Policy("auth.user", view=SIGNED_IN, add=ADMIN, change=ADMIN, delete=ADMIN, audit=ADMIN))
# Transitions are written by the workflow engine under the step's own rule; nobody edits them.
TRANSITIONS = register(Policy("core.transition", add=NOBODY, change=NOBODY, delete=NOBODY))
