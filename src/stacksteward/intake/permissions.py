"""The request workflow table: which status may follow which, and the named step each move is.

Nothing here decides who may take a step: every answer asks ``policies.REQUESTS`` (the rule of the
step, or of ``respond``), so the pages, the API and the services agree.
"""

from stacksteward.org.permissions import person_of

from .choices import RequestStatusChoices as S
from .policies import REQUESTS, delivering_department_id
from .workflow import REQUEST_WORKFLOW

__all__ = ["STEP_TO", "TRANSITIONS", "can_respond", "can_transition", "delivering_department_id", "is_requester",
           "next_steps", "person_of", "step_to"]

# from-status → the statuses it may move to, and the step that moves a request to each status: both read
# from the one declaration, ``workflow.REQUEST_WORKFLOW``.
TRANSITIONS: dict[str, tuple[str, ...]] = {state: tuple(REQUEST_WORKFLOW.targets_from(state)) for state in S.values}
STEP_TO: dict[str, str] = {step.target: step.name for step in REQUEST_WORKFLOW.steps}


def step_to(to_status: str) -> str:
    """The name of the step (and of its policy rule) that moves a request to ``to_status``."""
    return STEP_TO[to_status]


def is_requester(user, request) -> bool:
    """Whether the user's person filed the request (which side a question most likely goes to)."""
    person = person_of(user)
    return person is not None and person.pk == request.requester_id


def can_respond(user, request) -> bool:
    """Answer approach, estimate and feasibility."""
    return REQUESTS.allows(user, "respond", request)


def can_transition(user, request, to_status: str) -> bool:
    if to_status not in TRANSITIONS.get(request.status, ()):
        return False
    return REQUESTS.allows(user, step_to(to_status), request)


def next_steps(user, request) -> list[str]:
    """The statuses this user may move the request to now."""
    return [to for to in TRANSITIONS.get(request.status, ()) if can_transition(user, request, to)]
