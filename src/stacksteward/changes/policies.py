"""Who may do what in change control, and the workflow a change request follows.

* Everyone signed in reads changes, their approvals and timeline, the calendar and the meetings.
* Editors (and admins) file, edit and delete changes and take every workflow step (submit, assess,
  ask for approval, schedule, implement, mark failed or rolled back, review); they keep the change
  calendar, the meeting series, the meetings and their minutes and decisions.
* A department's approval is decided by that department's editors, or by an admin; the change then
  moves to approved or rejected as a consequence of that decision (the ``approve``/``reject`` steps).
* A calendar feed key is its user's (or an admin's) to rotate.
* The workflow history (transitions, meeting decisions) is written by the services and never edited.
"""

from stacksteward.core.policies import (
    ADMIN,
    EDITOR,
    NOBODY,
    Policy,
    register,
    same_department,
    user_is,
)

from .workflow import CHANGE_WORKFLOW

# The workflow ------------------------------------------------------------------------------------

# The step that brings a change into each status: the name of its rule in CHANGES.steps (read from the
# one declaration, ``workflow.CHANGE_WORKFLOW``).
STEP_TO: dict[str, str] = {step.target: step.name for step in reversed(CHANGE_WORKFLOW.steps)}


def allowed_next(change) -> tuple[str, ...]:
    """The statuses a change may move to by a plain transition (emergency shortcuts included)."""
    return tuple(CHANGE_WORKFLOW.targets_from(change.status, change))


def step_to(status: str) -> str:
    """The step (rule name) that moves a change into ``status``; "change" for an unknown status."""
    return STEP_TO.get(status, "change")


# The rules ---------------------------------------------------------------------------------------

APPROVING_DEPARTMENT = same_department("department", name="approving department")
DECIDER = ADMIN | (EDITOR & APPROVING_DEPARTMENT)
OWN_FEED = ADMIN | user_is("user", name="own calendar feed")

CHANGES = register(Policy(
    "changes.changerequest",
    steps={step: EDITOR for step in STEP_TO.values()},
    actions={"recompute": EDITOR},  # recompute and keep impact, conflicts and risk
))
APPROVALS = register(Policy(
    "changes.changeapproval",
    # approvals are created, re-reasoned and dropped by the change's workflow steps (editors)
    actions={"decide": DECIDER},
))
EVENTS = register(Policy("changes.calendarevent"))
SERIES = register(Policy("changes.meetingseries", actions={"schedule": EDITOR}))
MEETINGS = register(Policy("changes.meeting"))
MEETING_DECISIONS = register(Policy("changes.meetingdecision", change=NOBODY, delete=NOBODY))
FEED_TOKENS = register(Policy("changes.calendarfeedtoken", view=OWN_FEED, add=OWN_FEED, change=OWN_FEED,
                              delete=OWN_FEED, audit=ADMIN))

