"""Who may do what in intake.

* Anyone signed in may file a request, ask and answer questions.
* The requester (or an admin) edits the request's *what* and *why* and may withdraw it.
* The delivering department's editors (or an admin) answer feasibility and move the request
  through the delivering side's steps (clarifying, accepted, planned, in progress, delivered, declined).
* Capabilities are edited by the editors of the department that offers them (or an admin).
* Backlog, roadmaps, iterations and milestones follow the default roles (editors write).
"""

from django.db.models import Q

from stacksteward.core.policies import ADMIN, EDITOR, SIGNED_IN, Policy, Rule, person_is, register, same_department


def _delivering_department_id(request) -> int | None:
    if request.delivering_department_id:
        return request.delivering_department_id
    return request.capability.department_id if request.capability_id else None


def _delivering_test(who, obj):
    if obj is None:
        return who.department_id is not None
    dept = _delivering_department_id(obj)
    return dept is not None and dept == who.department_id


def _delivering_q(who):
    if who.department_id is None:
        return False
    return Q(delivering_department_id=who.department_id) | Q(delivering_department__isnull=True,
                                                             capability__department_id=who.department_id)


DELIVERING_DEPARTMENT = Rule("in the delivering department", _delivering_test, _delivering_q)
DELIVERING = ADMIN | (EDITOR & DELIVERING_DEPARTMENT)
REQUESTER = ADMIN | person_is("requester", name="requester")

REQUESTS = register(Policy(
    "intake.request",
    add=SIGNED_IN,
    change=REQUESTER | DELIVERING,
    delete=ADMIN,
    actions={"respond": DELIVERING},  # answer approach, estimate and feasibility
    steps={"delivering": DELIVERING, "requester": REQUESTER},
))
CAPABILITIES = register(Policy(
    "intake.capability",
    change=ADMIN | (EDITOR & same_department("department", name="offering department")),
    delete=ADMIN | (EDITOR & same_department("department", name="offering department")),
))
