"""Who may do what in change control.

* Editors (and admins) file, edit, submit and move changes along their workflow.
* A department's approval is decided by that department's editors, or by an admin.
* Everyone signed in reads changes, the calendar and meetings.
"""

from stacksteward.core.choices import RoleChoices
from stacksteward.core.permissions import is_admin
from stacksteward.core.roles import has_role
from stacksteward.org.permissions import department_id_of, is_system, person_of  # noqa: F401 (re-exported)

from .choices import ChangeStatusChoices as S
from .choices import ChangeTypeChoices as T

# from-status → to-statuses reachable by a plain transition (approval and rejection come from decisions)
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.DRAFT: (S.SUBMITTED,),
    S.SUBMITTED: (S.ASSESSING, S.AWAITING_APPROVAL),
    S.ASSESSING: (S.AWAITING_APPROVAL,),
    S.AWAITING_APPROVAL: (),
    S.APPROVED: (S.SCHEDULED,),
    S.REJECTED: (),
    S.SCHEDULED: (S.IMPLEMENTED, S.FAILED, S.ROLLED_BACK),
    S.IMPLEMENTED: (S.REVIEWED,),
    S.FAILED: (S.REVIEWED,),
    S.ROLLED_BACK: (S.REVIEWED,),
    S.REVIEWED: (),
}
# Emergency changes may go ahead before they are approved (approval after the fact, review required).
EMERGENCY_SHORTCUTS: dict[str, tuple[str, ...]] = {
    S.SUBMITTED: (S.SCHEDULED, S.IMPLEMENTED),
    S.ASSESSING: (S.SCHEDULED, S.IMPLEMENTED),
    S.AWAITING_APPROVAL: (S.SCHEDULED, S.IMPLEMENTED),
}


def allowed_next(change) -> tuple[str, ...]:
    steps = TRANSITIONS.get(change.status, ())
    if change.type == T.EMERGENCY:
        steps = steps + tuple(s for s in EMERGENCY_SHORTCUTS.get(change.status, ()) if s not in steps)
    return steps


def can_move(user) -> bool:
    """File, edit and move changes; keep the calendar and the meetings. A system actor (CLI, demo) may."""
    return is_system(user) or has_role(user, RoleChoices.EDITOR)


def can_decide(user, approval) -> bool:
    """Editors of the approving department, or an admin."""
    if is_system(user) or is_admin(user):
        return True
    return has_role(user, RoleChoices.EDITOR) and department_id_of(user) == approval.department_id
