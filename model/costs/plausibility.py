"""Plausibility of the cost rules against public totals, without the engine.

For 2017, Viborg's gross spending per benefit group — the July 2016 stock of recipients taken as
full-year persons (an assumption), each at the rules' average monthly gross for the state and
age band — against the national spending of that group (Økonomisk Redegørelse, Dec. 2016) scaled
by Viborg's share of the group's national recipients. The ratio is Viborg's gross per recipient
over the nation's, so it tests the rates, the shares and the averages, not the stocks.

``python -m model.costs.plausibility`` prints the ratios; the tolerances and their reasons are in
``model/data/rates/national.toml`` and docs/model.md.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass

from model.inputs import municipalities, rates
from model.inputs.municipalities import Municipality
from model.sim import cost_rules
from model.sim.citizens import Offer
from model.states import State

YEAR = 2017
FULL_MONTH = 3   # months into the spell: past the sick-pay employer period


@dataclass(frozen=True)
class Comparison:
    group: str
    label: str
    viborg_persons: float
    national_persons: float | None
    viborg_gross: float          # DKK a year
    national_scaled: float | None
    tolerance: float

    @property
    def ratio(self) -> float | None:
        return None if not self.national_scaled else self.viborg_gross / self.national_scaled

    @property
    def within(self) -> bool | None:
        r = self.ratio
        return None if r is None else 1 / self.tolerance <= r <= self.tolerance


def _u25_share_of_young(profile: Municipality) -> float:
    """Share under 25 among under-30 recipients: the 18–24 and 25–29 age bands of the population
    (derived from the municipality profile; recipients under 18 are few)."""
    edges, shares = profile.population["age_edges"], profile.population["age_shares"]
    band = {(edges[i], edges[i + 1]): shares[i] for i in range(len(shares))}
    return band[(18, 25)] / (band[(18, 25)] + band[(25, 30)])


def _recipients(state: str, profile: Municipality, book: rates.RateBook, year: int) -> float:
    """Viborg's full-year recipients of a state, in the national count's terms: dagpenge without
    those in company offers (the national figure excludes the activated); sick pay in full-time
    persons (those on partial return count by the share of the benefit they draw)."""
    persons = float(profile.stocks[state]["count"])
    status = profile.status_2016
    if state == "unemployment_insurance":
        persons -= status["company_offers"].get(state, 0)
    if state == "sickness_benefit":
        sick_and_jaf = profile.stocks["sickness_benefit"]["count"] + profile.stocks["job_clarification"]["count"]
        partial = status["partial_return"] / sick_and_jaf
        persons *= 1 - partial * (1 - book.value("sick_pay", "partial_return_benefit_share", year))
    return persons


def compare(profile: Municipality, year: int = YEAR, book: rates.RateBook | None = None) -> list[Comparison]:
    book = book or rates.book()
    t = cost_rules.cost_tables(book)
    u25 = _u25_share_of_young(profile)
    y = year - cost_rules.FIRST_YEAR
    out = []
    for group, states in book.national_groups.items():
        spending = book.get("national", f"spending.{group}")
        persons = gross = 0.0
        for name in states:
            n = _recipients(name, profile, book, year)
            young = profile.stocks[name]["young"]
            per_month = sum(w * cost_rules.benefit_gross(t, int(State[name]), Offer.none, y, age * 12, FULL_MONTH,
                                                          False, 0.0)
                            for w, age in ((young * u25, 22), (young * (1 - u25), 27), (1 - young, 40)))
            persons += n
            gross += n * per_month * 12
        national = book.entries["national"].get(f"recipients.{group}")
        nat_persons = national(year) if national and year in national.values else None
        scaled = spending(year) * 1e9 * persons / nat_persons if nat_persons else None
        out.append(Comparison(group=group, label=spending.label_en, viborg_persons=persons,
                              national_persons=nat_persons, viborg_gross=gross, national_scaled=scaled,
                              tolerance=book.national_tolerances[group]))
    return out


def cash_cross_check(municipality: Municipality, year: int = YEAR, book: rates.RateBook | None = None) -> float:
    """Viborg's gross per cash-type recipient in ``year`` over DST's actual spending per recipient in
    December 2014, indexed by the kontanthjælp regulation 2016→2017 for each year since 2014."""
    book = book or rates.book()
    cash = next(c for c in compare(municipality, year, book) if c.group == "cash_benefit")
    kh = book.get("benefits", "kh_30_other")
    index = (kh(2017) / kh(2016)) ** (year - 2014)
    dst = book.get("national", "cross_check.cash_benefit_2014")(2014) * index
    return cash.viborg_gross / cash.viborg_persons / 12 / dst


def report(municipality: Municipality, year: int = YEAR) -> str:
    lines = [f"Cost plausibility, {year}: Viborg gross spending against national spending (src:OR2016-B28) "
             "scaled by Viborg's share of national recipients",
             f"{'group':<24}{'Viborg persons':>15}{'national':>10}{'Viborg mio.':>13}{'national×share':>16}"
             f"{'ratio':>8}{'tolerance':>12}  within"]
    for c in compare(municipality, year):
        if c.ratio is None:
            lines.append(f"{c.group:<24}{c.viborg_persons:>15,.0f}{'–':>10}{c.viborg_gross / 1e6:>13,.1f}{'–':>16}"
                         f"{'–':>8}{'':>12}  not compared: no national recipient count found")
            continue
        tol = f"{1 / c.tolerance:.2f}–{c.tolerance:.2f}"
        lines.append(f"{c.group:<24}{c.viborg_persons:>15,.0f}{c.national_persons:>10,.0f}{c.viborg_gross / 1e6:>13,.1f}"
                     f"{c.national_scaled / 1e6:>16,.1f}{c.ratio:>8.2f}{tol:>12}  {'yes' if c.within else 'NO'}")
    lines.append(f"Cross-check, cash-type benefits: Viborg gross per recipient / DST actual per recipient "
                 f"(Dec. 2014, indexed): {cash_cross_check(municipality, year):.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the ratios of the profile named on the command line (a scenario file's default if none)."""
    args = sys.argv[1:] if argv is None else argv
    print(report(municipalities.load(args[0] if args else municipalities.DEFAULT)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
