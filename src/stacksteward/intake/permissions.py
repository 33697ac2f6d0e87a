"""Who may do what in intake.

* Anyone signed in may file a request, ask and answer questions.
* The requester (or an admin) edits the request's *what* and *why* and may withdraw it.
* The delivering department's editors (or an admin) answer feasibility and move the request
  through the delivering side's steps (clarifying, accepted, planned, in progress, delivered, declined).
* Capabilities are edited by the editors of the department that offers them (or an admin).
* Backlog, roadmaps, iterations and milestones follow the default roles (editors write).
"""

from stacksteward.core.choices import RoleChoices
from stacksteward.core.permissions import is_admin, rule
from stacksteward.core.roles import has_role
from stacksteward.org.permissions import department_id_of, is_system, person_of

from .choices import RequestStatusChoices as S

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


def is_delivering_editor(user, request) -> bool:
    dept = delivering_department_id(request)
    return dept is not None and has_role(user, RoleChoices.EDITOR) and department_id_of(user) == dept


def is_requester(user, request) -> bool:
    person = person_of(user)
    return person is not None and person.pk == request.requester_id


def can_respond(user, request) -> bool:
    """Answer approach, estimate and feasibility."""
    return is_system(user) or is_admin(user) or is_delivering_editor(user, request)


def can_transition(user, request, to_status: str) -> bool:
    allowed = TRANSITIONS.get(request.status, {}).get(to_status)
    if allowed is None:
        return False
    if is_system(user) or is_admin(user):
        return True
    return (DELIVERING in allowed and is_delivering_editor(user, request)) or (
        REQUESTER in allowed and is_requester(user, request))


def next_steps(user, request) -> list[str]:
    """The statuses this user may move the request to now."""
    return [to for to in TRANSITIONS.get(request.status, {}) if can_transition(user, request, to)]


@rule("intake.request", "add")
def anyone_files(user, action, obj):
    return True


@rule("intake.request", "change")
def requester_or_delivering(user, action, obj):
    if obj is None:
        return None
    if is_admin(user):
        return True
    return is_requester(user, obj) or is_delivering_editor(user, obj)


@rule("intake.request", "delete")
def admins_delete_requests(user, action, obj):
    return is_admin(user)


@rule("intake.capability", "change", "delete")
def offering_department(user, action, obj):
    if obj is None or is_admin(user):
        return None
    return has_role(user, RoleChoices.EDITOR) and department_id_of(user) == obj.department_id
