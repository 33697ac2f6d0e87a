"""Properties of the money arithmetic, for any amounts: a split adds up to the whole to the cent, no amount is
counted twice in a total, utilisation stays within its bounds, currencies are never mixed."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stacksteward.finance.brief import Utilisation
from stacksteward.finance.money import TWO, Money, parse_shares, split
from stacksteward.finance.roi import Split

amounts = st.decimals(min_value=Decimal("-10000000"), max_value=Decimal("10000000"), places=2,
                      allow_nan=False, allow_infinity=False)
weights = st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=12).filter(any)
currencies = st.sampled_from(["USD", "EUR", "GBP", "CHF"])
quick = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@quick
@given(total=amounts, weights=weights)
def test_parts_add_up_to_the_whole_to_the_cent(total, weights):
    parts = split(total, weights)
    assert len(parts) == len(weights)
    assert sum(parts, Decimal(0)) == total
    assert all(part == part.quantize(TWO) for part in parts)
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = total * weight / weight_sum
        assert abs(part - exact) < Decimal("0.01")  # each part within a cent of its exact share
        assert (part == 0) if weight == 0 else True


@quick
@given(weights=weights)
def test_shares_made_from_any_weights_are_a_valid_whole(weights):
    shares = split(Decimal(100), weights)
    slugs = [f"c{i}" for i in range(len(weights))]
    parsed = parse_shares(dict(zip(slugs, [str(s) for s in shares], strict=True)), slugs, "attribution_shares")
    assert sum(parsed.values()) == 100


@quick
@given(weights=weights, off=st.integers(min_value=1, max_value=500))
def test_shares_off_by_any_cent_are_refused(weights, off):
    shares = split(Decimal(100), weights)
    shares[0] += Decimal(off) / 100
    slugs = [f"c{i}" for i in range(len(weights))]
    with pytest.raises(ValidationError) as caught:
        parse_shares(dict(zip(slugs, [str(s) for s in shares], strict=True)), slugs, "allocation_shares")
    assert list(caught.value.message_dict) == ["allocation_shares"]


@quick
@given(kpis=st.lists(st.tuples(amounts, st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=6)),
                     min_size=1, max_size=8))
def test_no_value_is_counted_twice_across_components(kpis):
    """Several KPIs, each split over its own components (ids overlap between KPIs): the components' totals
    add up to the KPIs' totals, once."""
    per_component: dict[int, Decimal] = {}
    for total, component_weights in kpis:
        rule = Split({i: Decimal(w) for i, w in enumerate(component_weights)}, "shares", "")
        for component, amount in rule.parts(total).items():
            per_component[component] = per_component.get(component, Decimal(0)) + amount
    assert sum(per_component.values(), Decimal(0)) == sum((total for total, _ in kpis), Decimal(0))


@quick
@given(items=st.lists(st.tuples(amounts, currencies), max_size=20))
def test_currencies_are_never_mixed(items):
    money = Money.of(items)
    for currency in {c for _, c in items}:
        assert money.amounts[currency] == sum((a for a, c in items if c == currency), Decimal(0))
    assert set(money.amounts) <= {c for _, c in items}
    halves = Money.of(items[: len(items) // 2]) + Money.of(items[len(items) // 2:])
    assert {c: a for c, a in halves.amounts.items()} == {c: a for c, a in money.amounts.items()}


@quick
@given(items=st.lists(st.tuples(amounts, currencies), min_size=1, max_size=10))
def test_conversion_needs_a_rate_for_every_currency(items):
    """USD base, a rate for EUR only: a total exists only without GBP and CHF, and then it is exact."""
    with override_settings(STEWARD_CURRENCY="USD", STEWARD_FX_RATES={"EUR": "1.10"}):
        money = Money.of(items)
        total, missing = money.convert()
        unrated = sorted({c for c in money.amounts if c not in ("USD", "EUR")})
        assert missing == unrated
        if unrated:
            assert total is None
        else:
            expected = money.amounts.get("USD", Decimal(0)) + money.amounts.get("EUR", Decimal(0)) * Decimal("1.10")
            assert total == expected.quantize(TWO)


@quick
@given(bought=st.integers(min_value=1, max_value=100_000), used=st.integers(min_value=0, max_value=200_000))
def test_utilisation_is_within_bounds_unless_over_deployed(bought, used):
    use = Utilisation(used, bought, "")
    assert use.ratio == used / bought
    assert use.over_deployed is (used > bought)
    if used <= bought:
        assert 0 <= use.ratio <= 1 and use.summary.endswith(f"{used} of {bought} seats are used.")
    else:
        assert use.summary.startswith(f"Over-deployed: {used} seats in use for {bought} bought — {used - bought} more")
