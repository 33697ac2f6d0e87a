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
