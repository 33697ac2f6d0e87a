"""The request workflow table: which status may follow which, and the named step each move is.

Nothing here decides who may take a step: every answer asks ``policies.REQUESTS`` (the rule of the
step, or of ``respond``), so the pages, the API and the services agree.
"""

from stacksteward.org.permissions import person_of

from .choices import RequestStatusChoices as S
from .policies import REQUESTS, delivering_department_id

__all__ = ["STEP_TO", "TRANSITIONS", "can_respond", "can_transition", "delivering_department_id", "is_requester",
           "next_steps", "person_of", "step_to"]

# The step that moves a request to each status (its rule is ``REQUESTS.steps[step]``).
STEP_TO: dict[str, str] = {
    S.SUBMITTED: "resubmit",
    S.CLARIFYING: "clarify",
    S.ACCEPTED: "accept",
    S.PLANNED: "plan",
    S.IN_PROGRESS: "start",
    S.DELIVERED: "deliver",
    S.MEASURED: "measure",
    S.DECLINED: "decline",
    S.WITHDRAWN: "withdraw",
}

# from-status → the statuses it may move to
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.SUBMITTED: (S.CLARIFYING, S.ACCEPTED, S.DECLINED, S.WITHDRAWN),
    S.CLARIFYING: (S.SUBMITTED, S.ACCEPTED, S.DECLINED, S.WITHDRAWN),
    S.ACCEPTED: (S.PLANNED, S.DECLINED, S.WITHDRAWN),
    S.PLANNED: (S.IN_PROGRESS, S.ACCEPTED, S.WITHDRAWN),
    S.IN_PROGRESS: (S.DELIVERED, S.PLANNED),
    S.DELIVERED: (S.MEASURED,),
    S.MEASURED: (),
    S.DECLINED: (),
    S.WITHDRAWN: (),
}


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
