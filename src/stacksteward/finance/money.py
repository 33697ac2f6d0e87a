"""Money across currencies: never mixed silently.

Totals are kept per currency. ``convert`` turns them into the base currency (``STEWARD_CURRENCY``)
only with a rate from ``STEWARD_FX_RATES`` (units of the base currency per unit of the other, e.g.
``{"EUR": "1.08"}`` with USD as base); a currency without a rate stays apart and is reported.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

TWO = Decimal("0.01")


def base_currency() -> str:
    return settings.STEWARD_CURRENCY


def rates() -> dict[str, Decimal]:
    configured = getattr(settings, "STEWARD_FX_RATES", {}) or {}
    return {code.upper(): Decimal(str(rate)) for code, rate in configured.items()}


@dataclass
class Money:
    """Amounts per currency."""

    amounts: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    @classmethod
    def of(cls, items: Iterable[tuple[Decimal, str]]) -> "Money":
        money = cls()
        for amount, currency in items:
            if amount is not None:
                money.amounts[currency] += Decimal(amount)
        return money

    def __add__(self, other: "Money") -> "Money":
        return Money.of([*self.items(), *other.items()])

    def items(self) -> list[tuple[Decimal, str]]:
        return [(amount, currency) for currency, amount in sorted(self.amounts.items())]

    @property
    def is_zero(self) -> bool:
        return all(amount == 0 for amount in self.amounts.values())

    def convert(self) -> tuple[Decimal | None, list[str]]:
        """The total in the base currency and the currencies that could not be converted (then total is None)."""
        base, table, total, missing = base_currency(), rates(), Decimal(0), []
        for currency, amount in self.amounts.items():
            if currency == base:
                total += amount
            elif currency in table:
                total += amount * table[currency]
            else:
                missing.append(currency)
        return (None if missing else total.quantize(TWO)), sorted(missing)

    def __str__(self) -> str:
        return " + ".join(f"{amount:,.2f} {currency}" for amount, currency in self.items()) or "0"


# Splitting one amount over several parts ----------------------------------------------------------

HUNDRED = Decimal(100)


def split(total: Decimal, weights: list[Decimal], *, places: Decimal = TWO) -> list[Decimal]:
    """``total`` split in proportion to ``weights``, each part rounded to ``places`` (the cent), the parts
    summing to ``total`` rounded to ``places`` exactly.

    Largest remainder: every part is first rounded down; the cents left over go one by one to the parts
    whose exact share lost most in rounding (the first of them on a tie). Weights are ≥ 0 and not all
    zero; a negative total is split as its absolute value and the sign put back.
    """
    if not weights:
        return []
    weights = [Decimal(w) for w in weights]
    if any(w < 0 for w in weights) or not any(weights):
        raise ValueError("Weights must be zero or more and not all zero.")
    sign = -1 if total < 0 else 1
    whole = abs(Decimal(total)).quantize(places)
    units = int(whole / places)
    weight_sum = sum(weights)
    exact = [Decimal(units) * w / weight_sum for w in weights]
    floors = [int(e) for e in exact]  # exact ≥ 0, so int() rounds down
    left = units - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [sign * Decimal(n) * places for n in floors]


def parse_shares(raw, slugs: list[str], field: str) -> dict[str, Decimal]:
    """Validate explicit shares: component slug → percent, one for each of ``slugs``, each from 0 to 100 with
    at most two decimals, summing to exactly 100. Raises ``ValidationError`` naming ``field``."""
    from django.core.exceptions import ValidationError

    if not isinstance(raw, dict):
        raise ValidationError({field: "Give the shares as component → percent."})
    shares, problems = {}, []
    for slug, value in raw.items():
        try:
            share = Decimal(str(value).strip().rstrip("%").strip())
        except (ArithmeticError, ValueError):
            problems.append(f"“{value}” for {slug} is not a number")
            continue
        if not share.is_finite() or share < 0 or share > HUNDRED:
            problems.append(f"the share of {slug} must be from 0 to 100 %")
        elif share != share.quantize(TWO):
            problems.append(f"the share of {slug} has more than two decimals")
        shares[str(slug)] = share
    if problems:
        raise ValidationError({field: "Shares: " + "; ".join(problems) + "."})
    unknown = sorted(set(shares) - set(slugs))
    missing = sorted(set(slugs) - set(shares))
    if unknown:
        raise ValidationError({field: f"Shares name components it does not cover: {', '.join(unknown)}."})
    if missing:
        raise ValidationError({field: f"Give a share for every component it covers; missing: {', '.join(missing)}."})
    total = sum(shares.values(), Decimal(0))
    if total != HUNDRED:
        raise ValidationError({field: f"The shares add up to {total.normalize():f} %, not 100 %."})
    return shares


def shares_json(shares: dict[str, Decimal]) -> dict[str, str]:
    """Shares as stored: percent strings with two decimals (exact, readable in the audit)."""
    return {slug: f"{share.quantize(TWO)}" for slug, share in sorted(shares.items())}


def percent(share: Decimal) -> str:
    """A share in percent for people: 40 %, 33.33 %."""
    text = f"{share.quantize(TWO):f}".rstrip("0").rstrip(".")
    return f"{text} %"
