import pytest

from stacksteward.changes.risk import assess

BASE = {"change_type": "standard", "highest_tier": 4, "tier_1_impacted": False, "department_count": 0,
        "personal_data": False, "window_hours": 1, "conflict_count": 0}


def test_routine_standard_change_is_low():
    risk = assess(**BASE)
    assert (risk.level, risk.points, risk.reasons) == ("low", 0, [])


@pytest.mark.parametrize(("overrides", "points", "reason"), [
    ({"change_type": "emergency"}, 3, "+3 emergency change"),
    ({"change_type": "normal"}, 1, "+1 normal change"),
    ({"highest_tier": 2}, 2, "+2 tier-2 component involved"),
    ({"department_count": 2}, 1, "+1 2 departments affected"),
    ({"department_count": 5}, 2, "+2 5 departments affected"),
    ({"personal_data": True}, 2, "+2 personal data touched"),
    ({"window_hours": 4.5}, 1, "+1 window of 4.5 h (over 4 h)"),
    ({"window_hours": 30}, 2, "+2 window of 30 h (over 24 h)"),
    ({"conflict_count": 1}, 2, "+2 1 conflict"),
])
def test_each_rule_adds_its_points_with_its_reason(overrides, points, reason):
    risk = assess(**{**BASE, **overrides})
    assert risk.points == points
    assert risk.reasons == [reason]


def test_thresholds_decide_the_level():
    assert assess(**{**BASE, "change_type": "emergency"}).level == "medium"  # 3
    assert assess(**{**BASE, "change_type": "emergency", "highest_tier": 2, "department_count": 2}).level == "high"


def test_tier_1_impact_is_high_whatever_the_points():
    risk = assess(**{**BASE, "tier_1_impacted": True, "highest_tier": 1})
    assert risk.points == 3
    assert risk.level == "high"
    assert risk.reasons[-1] == "high: a tier-1 component is impacted"


def test_settings_tune_the_rules(settings):
    settings.STEWARD_CHANGE_RISK = {"personal_data_points": 6, "tier_1_impact_is_high": False}
    assert assess(**{**BASE, "personal_data": True}).level == "high"
    assert assess(**{**BASE, "tier_1_impacted": True, "highest_tier": 1}).level == "medium"
