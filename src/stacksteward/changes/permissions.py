"""Kept for callers outside change control (the demo loader): every answer comes from
:mod:`changes.policies`, where the workflow and its rules are declared."""

from .policies import APPROVALS, CHANGES, allowed_next  # noqa: F401


def can_move(actor) -> bool:
    """May ``actor`` file, edit and move changes (the policy's ``change`` rule)?"""
    return CHANGES.allows(actor, "change")


def can_decide(actor, approval) -> bool:
    """May ``actor`` decide this department's approval (the policy's ``decide`` rule)?"""
    return APPROVALS.allows(actor, "decide", approval)
