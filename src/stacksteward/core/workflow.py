"""One workflow engine for every object that moves through states.

A :class:`Workflow` declares, for one model, its state field, its states (a ``TextChoices``) and
its :class:`Step`\\ s — each a named move from some states to one state, taken by whoever the
model's policy allows for that step (``Policy.steps[step.name]``), with the inputs it requires
(a reason, a date). ``workflow.move(obj, to=…, actor=…)`` is the one way a step is taken:

1. the row is locked and its version checked (a stale step is refused like a stale edit);
2. the move must be one the table allows from the current state (else a ``ValidationError`` on the
   state field naming the states it can go to);
3. the policy must allow the step for the actor (``PermissionDenied``);
4. the step's required inputs must be given, and the app's ``check`` hook may refuse with
   field-keyed errors;
5. the state (and the step's other field changes) are written through ``core.services.
   object_update`` with ``rule=step.name`` — versioned, audited;
6. one :class:`core.models.Transition` row records the move for the object's timeline.

Side effects that belong to the domain (notifications, derived dates) stay in the app's service
around ``move``. ``workflow.timeline(obj)`` and the ``transitions`` generic relation on the model
read the transitions back; ``workflow.available(actor, obj)`` lists the steps an actor may take
now (what the page shows as buttons).
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from .actors import actor_name, user_of
from .choices import AuditSourceChoices
from .policies import policy_for


@dataclass(frozen=True)
class Step:
    name: str  # the policy's step rule, and the name people and the API use
    target: str  # the state the step moves to
    sources: tuple[str, ...]  # the states it moves from
    requires: tuple[str, ...] = ()  # inputs that must not be empty ("note": a reason)
    messages: Mapping[str, str] = field(default_factory=dict)  # input → what to say when it is missing
    when: Callable[[models.Model], bool] | None = None  # only for some objects (an emergency change's shortcut)
    internal: bool = False  # taken only by a service as the consequence of something else (decisions, a review)

    def applies(self, obj) -> bool:
        return self.when is None or obj is None or self.when(obj)


@dataclass
class Workflow:
    model: type[models.Model]
    states: type[models.TextChoices]
    steps: list[Step]
    state_field: str = "status"
    closed_text: str = "nothing (it is closed)"

    def __post_init__(self):
        for step in self.steps:
            unknown = {step.target, *step.sources} - set(self.states.values)
            if unknown:
                raise ValueError(f"{self.model.__name__}.{step.name}: unknown states {sorted(unknown)}")
        _workflows[self.model._meta.label_lower] = self

    # The table -------------------------------------------------------------------------------

    def step(self, name: str) -> Step:
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(name)

    def steps_from(self, state: str, obj=None, *, internal: bool = False) -> list[Step]:
        """The steps that leave ``state`` (for ``obj``, when some apply only to some objects); the ones a
        service takes as a consequence only with ``internal``."""
        return [s for s in self.steps if state in s.sources and s.applies(obj) and (internal or not s.internal)]

    def targets_from(self, state: str, obj=None) -> list[str]:
        return list(dict.fromkeys(s.target for s in self.steps_from(state, obj)))

    def step_between(self, state: str, target: str, obj=None, *, internal: bool = False) -> Step | None:
        return next((s for s in self.steps_from(state, obj, internal=internal) if s.target == target), None)

    def available(self, actor, obj) -> list[Step]:
        """The steps ``actor`` may take on ``obj`` now (what a page offers as buttons)."""
        policy = policy_for(self.model)
        return [s for s in self.steps_from(getattr(obj, self.state_field), obj) if policy.allows(actor, s.name, obj)]

    def label(self, state: str) -> str:
        return self.states(state).label if state in self.states.values else state

    # Taking a step ---------------------------------------------------------------------------

    def move(
        self,
        obj,
        *,
        actor,
        to: str,
        note: str = "",
        data: Mapping | None = None,
        inputs: Mapping | None = None,
        expected_version: int | None = None,
        source: str = AuditSourceChoices.UI,
        check: Callable[[models.Model, Step], Mapping] | None = None,
        lock: Callable[[models.QuerySet], models.QuerySet] | None = None,
        internal: bool = False,
    ):
        """Take the step that moves ``obj`` to ``to``; returns ``(obj, transition)``.

        ``data``: other fields the step sets; ``inputs``: the values its ``requires`` names (the note
        is one of them when it is required); ``check(current, step)``: more field-keyed problems;
        ``internal``: a service taking a step that is the consequence of something else (approval decisions).
        """
        from .services import check_version, object_update

        if to not in self.states.values:
            raise ValidationError({self.state_field: f"'{to}' is not a {self.model._meta.verbose_name} "
                                                     f"{self.state_field}; one of: {', '.join(self.states.values)}."})
        rows = self.model.objects.select_for_update()
        current = (lock(rows) if lock else rows).get(pk=obj.pk)
        check_version(current, expected_version)
        state = getattr(current, self.state_field)
        step = self.step_between(state, to, current, internal=internal)
        if step is None:
            options = ", ".join(self.targets_from(state, current)) or self.closed_text
            raise ValidationError({self.state_field: f"A {self.model._meta.verbose_name} that is "
                                                     f"{self.label(state).lower()} cannot move to "
                                                     f"“{self.label(to).lower()}”; from here it can go to: {options}."})
        policy = policy_for(self.model)
        if not policy.allows(actor, step.name, current):
            raise PermissionDenied(f"You may not move this {self.model._meta.verbose_name} to "
                                   f"“{self.label(to).lower()}”.")
        given = {"note": (note or "").strip(), **(inputs or {})}
        problems: dict[str, str] = {}
        for name in step.requires:
            value = given.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                problems[name] = step.messages.get(name, f"Give the {name.replace('_', ' ')} for this step.")
        if check is not None:
            for name, message in (check(current, step) or {}).items():
                problems.setdefault(name, message)
        if problems:
            raise ValidationError(problems)
        current = object_update(current, actor=actor, data={**(data or {}), self.state_field: to},
                                expected_version=current.version, source=source, rule=step.name)
        transition = self.record(current, from_state=state, to_state=getattr(current, self.state_field),
                                 step=step.name, note=given["note"], actor=actor)
        return current, transition

    def record(self, obj, *, from_state: str, to_state: str, step: str, note: str, actor):
        """The transition row of a step taken (``move`` writes it; a service that creates an object in its
        first state records that here too)."""
        from .models import Transition

        return Transition.objects.create(
            content_object=obj, workflow=self.model._meta.label_lower, step=step, from_status=from_state,
            to_status=to_state, note=note, actor=user_of(actor), actor_name=actor_name(actor)[:150])

    def timeline(self, obj) -> models.QuerySet:
        from .models import Transition

        return Transition.objects.about(obj)


_workflows: dict[str, Workflow] = {}


def workflow_for(target) -> Workflow | None:
    label = target if isinstance(target, str) else target._meta.label_lower
    return _workflows.get(label.lower())


def registered() -> Iterable[Workflow]:
    return list(_workflows.values())
