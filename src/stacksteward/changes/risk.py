"""The risk level of a change, from a documented rule set that settings can tune.

Each rule adds points and says why; the total decides the level:

| rule | points (default) |
|---|---|
| type: emergency / normal / standard | 3 / 1 / 0 |
| highest tier among changed and impacted components: 1 / 2 / 3 | 3 / 2 / 1 |
| departments affected: ≥ 4 / ≥ 2 | 2 / 1 |
| personal data touched | 2 |
| window longer than 24 h / 4 h | 2 / 1 |
| conflicts with other changes, freezes or events | 2 |

Level: **high** at 6 points or more, **medium** at 3 or more, else **low**. Impact on a tier-1
component makes a change high whatever its points. ``STEWARD_CHANGE_RISK`` (a dict in settings)
overrides any of ``DEFAULT_RULES``' values.
"""

from dataclasses import dataclass, field

from django.conf import settings

from .choices import RiskLevelChoices

DEFAULT_RULES = {
    "type_points": {"emergency": 3, "normal": 1, "standard": 0},
    "tier_points": {1: 3, 2: 2, 3: 1, 4: 0},
    "departments_many": 4, "departments_many_points": 2,
    "departments_several": 2, "departments_several_points": 1,
    "personal_data_points": 2,
    "window_long_hours": 24, "window_long_points": 2,
    "window_medium_hours": 4, "window_medium_points": 1,
    "conflict_points": 2,
    "high_at": 6, "medium_at": 3,
    "tier_1_impact_is_high": True,
}


def rules() -> dict:
    return {**DEFAULT_RULES, **getattr(settings, "STEWARD_CHANGE_RISK", {})}


@dataclass
class Risk:
    level: str
    points: int
    reasons: list[str] = field(default_factory=list)


def assess(*, change_type: str, highest_tier: int | None, tier_1_impacted: bool, department_count: int,
           personal_data: bool, window_hours: float, conflict_count: int) -> Risk:
    r = rules()
    points, reasons = 0, []

    def add(n: int, why: str) -> None:
        nonlocal points
        if n:
            points += n
            reasons.append(f"+{n} {why}")

    add(r["type_points"].get(change_type, 0), f"{change_type} change")
    if highest_tier is not None:
        add(r["tier_points"].get(highest_tier, 0), f"tier-{highest_tier} component involved")
    if department_count >= r["departments_many"]:
        add(r["departments_many_points"], f"{department_count} departments affected")
    elif department_count >= r["departments_several"]:
        add(r["departments_several_points"], f"{department_count} departments affected")
    if personal_data:
        add(r["personal_data_points"], "personal data touched")
    if window_hours > r["window_long_hours"]:
        add(r["window_long_points"], f"window of {window_hours:g} h (over {r['window_long_hours']} h)")
    elif window_hours > r["window_medium_hours"]:
        add(r["window_medium_points"], f"window of {window_hours:g} h (over {r['window_medium_hours']} h)")
    if conflict_count:
        add(r["conflict_points"], f"{conflict_count} conflict{'s' if conflict_count != 1 else ''}")
    if points >= r["high_at"]:
        level = RiskLevelChoices.HIGH
    elif points >= r["medium_at"]:
        level = RiskLevelChoices.MEDIUM
    else:
        level = RiskLevelChoices.LOW
    if tier_1_impacted and r["tier_1_impact_is_high"] and level != RiskLevelChoices.HIGH:
        level = RiskLevelChoices.HIGH
        reasons.append("high: a tier-1 component is impacted")
    return Risk(level=str(level), points=points, reasons=reasons)
