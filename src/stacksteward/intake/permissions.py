"""Who may take which step of a request: the workflow table (the rules live in ``policies.py``)."""

from stacksteward.core.actors import is_system  # noqa: F401 (re-exported)
from stacksteward.org.permissions import department_id_of, person_of  # noqa: F401 (re-exported)

from .choices import RequestStatusChoices as S
from .policies import REQUESTS

DELIVERING, REQUESTER = "delivering", "requester"

# from-status → {to-status: who may take the step}
TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    S.SUBMITTED: {S.CLARIFYING: (DELIVERING,), S.ACCEPTED: (DELIVERING,), S.DECLINED: (DELIVERING,),
                  S.WITHDRAWN: (REQUESTER,)},
    S.CLARIFYING: {S.SUBMITTED: (REQUESTER, DELIVERING), S.ACCEPTED: (DELIVERING,), S.DECLINED: (DELIVERING,),
                   S.WITHDRAWN: (REQUESTER,)},
    S.ACCEPTED: {S.PLANNED: (DELIVERING,), S.DECLINED: (DELIVERING,), S.WITHDRAWN: (REQUESTER,)},
    S.PLANNED: {S.IN_PROGRESS: (DELIVERING,), S.ACCEPTED: (DELIVERING,), S.WITHDRAWN: (REQUESTER,)},
    S.IN_PROGRESS: {S.DELIVERED: (DELIVERING,), S.PLANNED: (DELIVERING,)},
    S.DELIVERED: {S.MEASURED: (REQUESTER, DELIVERING)},
    S.MEASURED: {},
    S.DECLINED: {},
    S.WITHDRAWN: {},
}


def delivering_department_id(request) -> int | None:
    if request.delivering_department_id:
        return request.delivering_department_id
    return request.capability.department_id if request.capability_id else None


def is_requester(user, request) -> bool:
    person = person_of(user)
    return person is not None and person.pk == request.requester_id


def can_respond(user, request) -> bool:
    """Answer approach, estimate and feasibility."""
    return REQUESTS.allows(user, "respond", request)


def can_transition(user, request, to_status: str) -> bool:
    allowed = TRANSITIONS.get(request.status, {}).get(to_status)
    if allowed is None:
        return False
    return any(REQUESTS.allows(user, step, request) for step in allowed)


def next_steps(user, request) -> list[str]:
    """The statuses this user may move the request to now."""
    return [to for to in TRANSITIONS.get(request.status, {}) if can_transition(user, request, to)]

