"""Make ``actuals_illustrative.csv`` beside this script: illustrative actual figures.

The figures are made by hubinsim, not taken from a bulletin: the baseline scenario run with
other parameters (:data:`PARAMETERS`: slower services productivity and slower growth of
spending from outside the district) stands in for the district's statistics. Its 2021-2023
figures are written as bulletins print them (levels and real growth to one decimal, small
levels to two; the growth of fixed-asset investment, which bulletins print without the
level); 2021 and 2022 are ``final`` and 2023 ``preliminary``; 2022 GDP also has a
preliminary figure 1 % below the final one; 2024 has GDP's real growth of H1 and Q1-Q3 and
retail sales' nominal growth of Q1-Q3 (the run's 2024 growth, the half year 0.3 points and
Q1-Q3 0.2 points below it). Every row's source says the figure is illustrative.

Run it again after the model changes (``python examples/make_actuals_illustrative.py``),
then re-run the figures docs/evaluation.md quotes.
"""

from __future__ import annotations

import csv
from pathlib import Path

import hubinsim

#: The parameters that make the run differ from the baseline.
PARAMETERS = {"tfp.growth_tertiary": 0.006, "consumption.external_growth": 0.035}
SOURCE = "illustrative: made with hubinsim, not a published figure"
#: Indicator, basis, decimals, as a bulletin prints them.
PRINTED = (
    ("gdp", "level", 1),
    ("gdp", "real_growth_pct", 1),
    ("va_tertiary", "level", 1),
    ("va_primary", "level", 2),
    ("fai", "nominal_growth_pct", 1),
    ("retail_sales", "level", 1),
    ("fiscal_revenue", "level", 2),
    ("industrial_va_above_scale", "real_growth_pct", 1),
    ("population", "level", 2),
    ("unemployment_rate_pct", "level", 2),
)


def figures() -> list[list]:
    """The rows of the file: indicator, year, period, value, basis, vintage, source."""
    scenario = hubinsim.load_scenario(Path(__file__).parents[1] / "scenarios" / "baseline.toml")
    run = hubinsim.simulate(scenario, parameters=PARAMETERS).annual

    def growth(name: str, year: int) -> float:
        if name == "gdp":
            return run.loc[year, "gdp_real_growth_pct"]
        if name == "industrial_va_above_scale":
            return run.loc[year, "industrial_va_above_scale_growth_pct"]
        return (run.loc[year, name] / run.loc[year - 1, name] - 1.0) * 100.0

    rows = []
    for year in (2021, 2022, 2023):
        vintage = "final" if year < 2023 else "preliminary"
        for name, basis, decimals in PRINTED:
            value = run.loc[year, name] if basis == "level" else growth(name, year)
            if (name, basis, year) == ("gdp", "level", 2022):
                rows.append([name, year, "year", f"{value * 0.99:.1f}", basis, "preliminary"])
            rows.append([name, year, "year", f"{value:.{decimals}f}", basis, vintage])
    gdp, retail = growth("gdp", 2024), growth("retail_sales", 2024)
    late = "preliminary"
    rows.append(["gdp", 2024, "H1", f"{gdp - 0.3:.1f}", "real_growth_pct", late])
    rows.append(["gdp", 2024, "Q1-Q3", f"{gdp - 0.2:.1f}", "real_growth_pct", late])
    rows.append(["retail_sales", 2024, "Q1-Q3", f"{retail:.1f}", "nominal_growth_pct", late])
    return [[*row, SOURCE] for row in rows]


def main() -> None:
    path = Path(__file__).with_name("actuals_illustrative.csv")
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["indicator", "year", "period", "value", "basis", "vintage", "source"])
        writer.writerows(figures())
    print(f"Wrote {path}")


if __name__ == "__main__":
    main()
