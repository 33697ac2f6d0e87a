"""Who may do what in intake: one policy per model, the only place these rules are decided.

* Anyone signed in may file a request, ask and answer questions, and watch a request.
* The requester (or an admin) edits the request's *what* and *why* and may withdraw it.
* The delivering department's editors (or an admin) answer feasibility, move a planned date and
  take the delivering side's steps (clarify, accept, plan, start, deliver, decline). The delivering
  department is the request's own, or else its capability's department.
* Either side may send a clarified request back (resubmit) and record the outcome (measure).
* Only admins delete requests (the others withdraw them).
* Capabilities are edited and deleted by the editors of the department that offers them (or an admin);
  any editor may add one.
* Backlog items, roadmaps, iterations and milestones follow the default roles (everyone signed in
  reads, editors write; planning an item into an iteration is a change of it).
* A scope change by the requester after the delivering side answered or planned is a change order: the
  request moves to "needs re-estimate" by the internal step ``change_scope``. Edits by people of the
  delivering department are theirs to make and are not change orders.
* When an iteration moves, the planned delivery dates of the requests planned in it move with it, under
  the rule of whoever may move the iteration (``follow_iteration``).
* A request's transitions, the schedule changes and the change orders are records written only by the step that
  makes them (under that step's rule): nobody adds, edits or deletes them directly.

The workflow table (which status may follow which, and the step each move is) lives in
``permissions.py``; the rule of each step lives here.
"""

from django.db.models import Q

from stacksteward.core.actors import facts, is_system
from stacksteward.core.policies import (
    ADMIN,
    EDITOR,
    NOBODY,
    SIGNED_IN,
    Policy,
    Rule,
    person_is,
    register,
    same_department,
)


def delivering_department_id(request) -> int | None:
    """The department that delivers the request: its own, or else its capability's."""
    if request.delivering_department_id:
        return request.delivering_department_id
    return request.capability.department_id if request.capability_id else None


def _delivering_test(who, obj) -> bool:
    if who.department_id is None:
        return False
    if obj is None:
        return True
    return delivering_department_id(obj) == who.department_id


def _delivering_q(who):
    if who.department_id is None:
        return False
    return Q(delivering_department_id=who.department_id) | Q(delivering_department__isnull=True,
                                                             capability__department_id=who.department_id)


DELIVERING_DEPARTMENT = Rule("in the delivering department", _delivering_test, _delivering_q)
DELIVERING = ADMIN | (EDITOR & DELIVERING_DEPARTMENT)
REQUESTER = ADMIN | person_is("requester", name="requester")
EITHER_SIDE = REQUESTER | DELIVERING
OFFERING = ADMIN | (EDITOR & same_department("department", name="offering department"))

def on_delivering_side(actor, request) -> bool:
    """Whether the actor is a person of the request's delivering department (any role): their edits of the
    scope are not change orders. Imports and jobs (system actors) are on neither side."""
    return not is_system(actor) and DELIVERING_DEPARTMENT.test(facts(actor), request)


REQUESTS = register(Policy(
    "intake.request",
    add=SIGNED_IN,
    change=EITHER_SIDE,  # the what and why
    delete=ADMIN,
    actions={
        "respond": DELIVERING,  # answer approach, estimate and feasibility
        "reschedule": DELIVERING,  # move the planned delivery date
        # the planned delivery follows the iteration its items are planned in: whoever may move an
        # iteration (``ITERATIONS.change``) moves the dates of the requests planned in it with it
        "follow_iteration": EDITOR,
        "watch": SIGNED_IN,  # be told of its steps and date changes
    },
    steps={  # by name; permissions.STEP_TO names the status each step moves to
        "resubmit": EITHER_SIDE,
        "clarify": DELIVERING,
        "accept": DELIVERING,
        "plan": DELIVERING,
        "start": DELIVERING,
        "deliver": DELIVERING,
        "measure": EITHER_SIDE,
        "decline": DELIVERING,
        "withdraw": REQUESTER,
        # internal: taken by ``services.request_update`` when the requester changes the scope after the
        # estimate (a change order); never by the delivering side (``on_delivering_side``)
        "change_scope": REQUESTER,
    },
))
CAPABILITIES = register(Policy("intake.capability", change=OFFERING, delete=OFFERING))
BACKLOG_ITEMS = register(Policy("intake.backlogitem", actions={"plan": EDITOR}))
ROADMAPS = register(Policy("intake.roadmap"))
ITERATIONS = register(Policy("intake.iteration"))
MILESTONES = register(Policy("intake.milestone"))
SCHEDULE_CHANGES = register(Policy("intake.schedulechange", add=NOBODY, change=NOBODY, delete=NOBODY))
CHANGE_ORDERS = register(Policy("intake.changeorder", add=NOBODY, change=NOBODY, delete=NOBODY))
