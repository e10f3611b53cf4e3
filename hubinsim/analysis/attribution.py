"""Attribution: a difference between two scenarios split by setting (:func:`attribute`).

::

    import hubinsim
    att = hubinsim.attribute("scenarios/baseline.toml", "scenarios/stimulus.toml")
    att.table("stimulus", 2025)          # settings x headline indicators, with the total
    att.contributions("stimulus", "gdp_real", 2025)
    att.frame                            # every alternative, setting, indicator and year

**The settings.** Everything in which the alternative differs from the reference is a
*setting*: each lever (the value a run uses, its default included), each structural
parameter, each shock that one of them has and the other has not, and the project pool. The
pool's settings are one setting, ``pool``: its realisation (``plan_realisation`` and the
categories' ``realisation``), its timing ``profile``, ``pool_delay`` and
``carry_over_years`` describe one programme, and they override one another (a category's
realisation replaces ``plan_realisation``; a delay moves the profile), so apart they would
share out effects that exist only together. Projects beyond the pool (``extra_<category>``)
are settings of their own. ``groups`` joins settings under a name of one's own (for
example ``{"people": ["net_migration_policy", "siphon_rate"]}``). The time settings must be
the same (they are not a policy).

**Shapley values.** For the settings N = {1..n}, v(S) is the run of the reference with the
settings in S taken from the alternative. Setting i's contribution is its Shapley value

    phi_i = sum over S not holding i of |S|! (n - |S| - 1)! / n! (v(S + i) - v(S)),

its marginal effect averaged over every order in which the settings could be switched from
the reference to the alternative. The contributions add up to the difference exactly: v(N)
is the alternative's run and v(empty) the reference's, and the sum of the phi_i is v(N) -
v(empty) for every indicator and year (to rounding). Interactions (two settings that
together do more than apart) are shared equally between them.

**Cost.** 2^n runs (one per subset). Up to ``max_settings`` (default 8: 256 runs) settings
are attributed one by one; beyond that, settings are grouped by the section of the
catalogue they belong to (investment, population, consumption, industry, innovation,
fiscal, prices; parameters in one group, shocks in one), with a warning; if there are still
more groups than ``max_settings``, an error asks for ``groups``. The runs are single runs
(the scenarios' parameter values), also when the comparison has draws.
"""

from __future__ import annotations

import logging
import math
import os
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..catalog import HEADLINE, LEVER_BY_NAME, LEVERS, POOL_CATEGORIES
from ..data import load_data, load_parameters
from ..defaults import ATTRIBUTION_MAX_SETTINGS
from ..errors import ScenarioError
from ..results import judge_target, target_text, unique_names
from ..run.parallel import resolve_workers, worker_pool, workers_problems
from ..run.single import run_scenario
from ..scenario.reader import load_scenarios
from ..scenario.resolve import resolve_levers, resolve_parameters
from ..scenario.settings import Scenario, check_scenario

log = logging.getLogger(__name__)

#: The levers that make up the project pool's setting (with the timing ``profile``).
POOL_LEVERS: tuple[str, ...] = (
    "plan_realisation",
    *(f"realisation_{c}" for c in POOL_CATEGORIES),
    "pool_delay",
    "carry_over_years",
)
POOL = "pool"


@dataclass(frozen=True)
class Setting:
    """One player of the attribution: a name and the keys it switches.

    Keys are lever names, ``pool``, parameter names (``capital.depreciation``) and
    ``shock:<n>`` for the n-th shock that differs (see :func:`differing_settings`).
    """

    name: str
    keys: tuple[str, ...]
    description: str = ""


def _shock_key(shock) -> tuple:
    return (shock.target, shock.first, shock.last, float(shock.factor))


def _shock_label(shock, added: bool) -> str:
    what = shock.name or f"{shock.target} x{shock.factor:g} {shock.first}-{shock.last}"
    return f"shock {what!r}" + ("" if added else " (removed)")


def differing_settings(ref: Scenario, alt: Scenario, data_dir=None) -> tuple[list[Setting], dict]:
    """The settings in which ``alt`` differs from ``ref`` (one :class:`Setting` each), and
    the shocks behind the ``shock:<n>`` keys (key -> (shock, added))."""
    if ref.time != alt.time:
        raise ScenarioError(
            f"attribute: {ref.name!r} and {alt.name!r} have different [time] settings "
            f"({ref.time} and {alt.time}); attribution splits the effect of policy settings, "
            "so give both the same end, dt and method"
        )
    # every lever's value under the reference's parameters: lever defaults that name a
    # parameter would otherwise differ with a parameter override, which is its own setting
    params = resolve_parameters(ref, None, 1, data_dir)
    ref_levers, _ = resolve_levers(ref, params, data_dir)
    alt_levers, _ = resolve_levers(alt, params, data_dir)
    out: list[Setting] = []
    pool_differs = ref.profile_weights() != alt.profile_weights() or any(
        ref_levers[n] != alt_levers[n] for n in POOL_LEVERS
    )
    if pool_differs:
        out.append(
            Setting(POOL, (POOL,), "the project pool: realisation, profile, delay, carry-over")
        )
    for lever in LEVERS:
        n = lever.name
        if n not in POOL_LEVERS and ref_levers[n] != alt_levers[n]:
            out.append(Setting(n, (n,), lever.meaning_en))
    defaults = load_parameters(data_dir)
    for n, prm in defaults.items():
        a = float(ref.parameters.get(n, prm.value))
        b = float(alt.parameters.get(n, prm.value))
        if a != b:
            out.append(Setting(n, (n,), f"parameter {n}: {a:g} -> {b:g}"))
    shocks = {}
    ref_keys = [_shock_key(s) for s in ref.shocks]
    alt_keys = [_shock_key(s) for s in alt.shocks]
    k = 0
    for s, key in zip(alt.shocks, alt_keys, strict=True):
        if key not in ref_keys:
            k += 1
            shocks[f"shock:{k}"] = (s, True)
    for s, key in zip(ref.shocks, ref_keys, strict=True):
        if key not in alt_keys:
            k += 1
            shocks[f"shock:{k}"] = (s, False)
    for key, (s, added) in shocks.items():
        out.append(Setting(_shock_label(s, added), (key,), "shock"))
    return out, shocks


def _section(setting: Setting) -> str:
    """The group a setting falls in when settings are grouped by section."""
    key = setting.keys[0]
    if key == POOL:
        return "investment"
    if key in LEVER_BY_NAME:
        return LEVER_BY_NAME[key].section
    if key.startswith("shock:"):
        return "shocks"
    return "parameters"


def group_settings(
    settings: list[Setting], groups: Mapping[str, Sequence[str]] | None, max_settings: int
) -> tuple[list[Setting], str | None]:
    """The players: ``groups`` first (name -> keys or setting names), the other settings one
    by one; grouped by section when there are more than ``max_settings``. Returns the players
    and a note on the grouping made (None when none was needed)."""
    by_key = {s.keys[0]: s for s in settings} | {s.name: s for s in settings}
    players: list[Setting] = []
    used: set[str] = set()
    problems = []
    for name, members in (groups or {}).items():
        if isinstance(members, str):
            members = [m.strip() for m in members.split(",") if m.strip()]
        keys = []
        for m in members:
            if m in POOL_LEVERS or m == "profile":
                m = POOL
            s = by_key.get(m)
            if s is None:
                problems.append(
                    f"group {name!r}: {m!r} is not a setting in which the scenarios differ; "
                    f"they differ in: {', '.join(s.name for s in settings) or 'nothing'}"
                )
            elif s.keys[0] in used:
                problems.append(f"group {name!r}: {m!r} is already in another group")
            else:
                keys += list(s.keys)
                used.add(s.keys[0])
        if keys:
            players.append(Setting(str(name), tuple(keys), f"group of {', '.join(members)}"))
    if problems:
        raise ScenarioError(problems)
    rest = [s for s in settings if s.keys[0] not in used]
    note = None
    if len(players) + len(rest) > max_settings:
        sections: dict[str, list[Setting]] = {}
        for s in rest:
            sections.setdefault(_section(s), []).append(s)
        grouped = [
            items[0]
            if len(items) == 1
            else Setting(
                sec, tuple(k for s in items for k in s.keys), ", ".join(s.name for s in items)
            )
            for sec, items in sections.items()
        ]
        note = (
            f"{len(players) + len(rest)} settings differ, more than {max_settings} "
            f"(2^n runs): grouped by section into {len(players) + len(grouped)}: "
            + "; ".join(f"{g.name} = {g.description}" for g in grouped if len(g.keys) > 1)
        )
        rest = grouped
    players += rest
    if len(players) > max_settings:
        raise ScenarioError(
            f"attribute: {len(players)} settings differ even grouped by section, more than "
            f"{max_settings} (exact Shapley values need 2^n runs): join some with groups "
            "(--group NAME=SETTING,SETTING), or raise max_settings"
        )
    return players, note


def coalition(ref: Scenario, alt: Scenario, keys: set[str], shocks: Mapping) -> Scenario:
    """The reference with the settings of ``keys`` taken from the alternative."""
    levers = dict(ref.levers)
    parameters = dict(ref.parameters)
    profile = ref.profile
    lever_keys = set(k for k in keys if k in LEVER_BY_NAME)
    if POOL in keys:
        lever_keys |= set(POOL_LEVERS)
        profile = alt.profile
    for n in lever_keys:
        if n in alt.levers:
            levers[n] = alt.levers[n]
        else:
            levers.pop(n, None)
    for k in keys:
        if "." in k:  # a parameter
            if k in alt.parameters:
                parameters[k] = alt.parameters[k]
            else:
                parameters.pop(k, None)
    out_shocks = list(ref.shocks)
    for k in keys:
        if k.startswith("shock:"):
            s, added = shocks[k]
            if added:
                out_shocks.append(s)
            else:
                out_shocks = [x for x in out_shocks if _shock_key(x) != _shock_key(s)]
    return replace(
        ref, levers=levers, parameters=parameters, profile=profile, shocks=tuple(out_shocks)
    )


def _values(scn: Scenario, data_dir) -> dict[str, np.ndarray]:
    values, _ = run_scenario(scn, data_dir=data_dir, record_parameters=False)
    return {k: v[:, 0] for k, v in values.items()}


@dataclass
class AlternativeAttribution:
    """The attribution of one alternative: its players and each one's contribution."""

    name: str
    settings: list[Setting]
    contributions: dict[str, dict[str, np.ndarray]]  # setting -> indicator -> by year
    reference: dict[str, np.ndarray]
    alternative: dict[str, np.ndarray]
    runs: int
    note: str | None = None


@dataclass
class Attribution:
    """Differences between a reference and alternatives split by setting (:func:`attribute`).

    Attributes
    ----------
    reference_name : str
    years : ndarray
    alternatives : list of AlternativeAttribution
    metadata : dict
        Runs, the grouping made, wall time.
    targets : list of Target
        The plan targets of the scorecard (``data/targets.csv``), for :meth:`focus`.
    """

    reference_name: str
    years: np.ndarray
    alternatives: list[AlternativeAttribution]
    metadata: dict = field(default_factory=dict)
    targets: list = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [a.name for a in self.alternatives]

    def _alt(self, name: str) -> AlternativeAttribution:
        for a in self.alternatives:
            if a.name == name:
                return a
        raise KeyError(f"no alternative {name!r}; alternatives: {', '.join(self.names)}")

    def _year(self, year: int) -> int:
        years = list(self.years)
        if year not in years:
            raise KeyError(f"year {year} is outside {years[0]}..{years[-1]}")
        return years.index(year)

    def contributions(self, alternative: str, indicator: str, year: int) -> pd.Series:
        """Each setting's contribution to the difference of ``indicator`` in ``year``."""
        a, k = self._alt(alternative), self._year(year)
        return pd.Series(
            {s.name: float(a.contributions[s.name][indicator][k]) for s in a.settings},
            name=indicator,
        )

    def levels(self, alternative: str, indicator: str, year: int) -> tuple[float, float]:
        """The reference's and the alternative's value of ``indicator`` in ``year``."""
        a, k = self._alt(alternative), self._year(year)
        return float(a.reference[indicator][k]), float(a.alternative[indicator][k])

    def table(self, alternative: str, year: int, indicators: Sequence[str] = HEADLINE):
        """Settings (rows, then ``total``: the difference, and ``sum - total``, the rounding
        left over) by indicators (columns) in ``year``."""
        a, k = self._alt(alternative), self._year(year)
        names = [i for i in indicators if i in a.reference]
        rows = {
            s.name: {i: float(a.contributions[s.name][i][k]) for i in names} for s in a.settings
        }
        total = {i: float(a.alternative[i][k] - a.reference[i][k]) for i in names}
        rows["total"] = total
        rows["sum - total"] = {
            i: sum(rows[s.name][i] for s in a.settings) - total[i] for i in names
        }
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("setting")

    def focus(self, alternative: str, year: int) -> pd.DataFrame:
        """Government debt and the indicator of each plan target of ``year`` (the scorecard's
        targets): ``reference``, ``alternative``, ``difference``, the ``plan_target`` with
        whether each scenario meets it as the scorecard judges it (a target of every year
        on its worst year), and the setting that contributes most
        to the difference (``largest_setting``, ``largest_share_pct`` of the difference)."""
        a, k = self._alt(alternative), self._year(year)
        targets = {t.indicator: t for t in self.targets if t.year == year}
        names = list(dict.fromkeys(["government_debt", *targets]))
        rows = []
        for ind in names:
            if ind not in a.reference:
                continue
            ref, alt = float(a.reference[ind][k]), float(a.alternative[ind][k])
            diff = alt - ref
            contrib = {s.name: float(a.contributions[s.name][ind][k]) for s in a.settings}
            top = max(contrib, key=lambda n: abs(contrib[n])) if contrib else ""
            t = targets.get(ind)
            met = {}
            if t:
                for side, v in (("reference", a.reference), ("alternative", a.alternative)):
                    met[side] = bool(judge_target(t, v[ind][:, None], self.years)[2][0])
            rows.append(
                {
                    "indicator": ind,
                    "reference": ref,
                    "alternative": alt,
                    "difference": diff,
                    "plan_target": target_text(t) if t else "",
                    "met_reference": met.get("reference"),
                    "met_alternative": met.get("alternative"),
                    "largest_setting": top if diff else "",
                    "largest_share_pct": 100.0 * contrib[top] / diff if diff and top else None,
                }
            )
        return pd.DataFrame(rows)

    def deflator_note(self, alternative: str, year: int) -> str | None:
        """A sentence when the alternative raises real GDP more than nominal GDP in ``year``
        (its GDP deflator is lower than the reference's), saying why from the sectors'
        figures: the mix of the extra output (sectors whose prices rose less since 2020) and
        each sector's own price; None otherwise."""
        a, k = self._alt(alternative), self._year(year)
        ref, alt = a.reference, a.alternative
        real = float(alt["gdp_real"][k] - ref["gdp_real"][k])
        nominal = float(alt["gdp"][k] - ref["gdp"][k])
        if not (real > 0 and nominal < real):
            return None
        d_ref = float(ref["gdp"][k] / ref["gdp_real"][k])
        d_alt = float(alt["gdp"][k] / alt["gdp_real"][k])
        reasons = []
        sectors = {"primary": "agriculture", "secondary": "industry and construction",
                   "tertiary": "services"}  # fmt: skip
        cheap = []
        for key, label in sectors.items():
            r_ref, r_alt = float(ref[f"va_{key}_real"][k]), float(alt[f"va_{key}_real"][k])
            p_ref = float(ref[f"va_{key}"][k]) / r_ref
            share_ref = r_ref / sum(float(ref[f"va_{s}_real"][k]) for s in sectors)
            share_alt = r_alt / sum(float(alt[f"va_{s}_real"][k]) for s in sectors)
            if p_ref < d_ref and share_alt > share_ref:
                cheap.append(
                    f"{label} (+{r_alt - r_ref:.4g} 亿元 at 2020 prices; its price "
                    f"{p_ref:.3f} times 2020's against {d_ref:.3f} for GDP)"
                )
        if cheap:
            reasons.append(
                "the extra output leans toward sectors whose prices have risen less since 2020, "
                + " and ".join(cheap)
                + ", so the mix lowers the average price"
            )
        for key, label in sectors.items():
            p_ref = float(ref[f"va_{key}"][k] / ref[f"va_{key}_real"][k])
            p_alt = float(alt[f"va_{key}"][k] / alt[f"va_{key}_real"][k])
            if p_alt < p_ref * (1 - 1e-6):
                reasons.append(
                    f"the price of {label} is itself lower ({p_alt:.3f} against {p_ref:.3f} "
                    "times 2020's)"
                    + (
                        ": the extra capacity eases the demand pressure that raises it"
                        if key == "tertiary"
                        else ""
                    )
                )
        why = "; ".join(reasons) if reasons else "the sectors' prices and mix move it"
        return (
            f"Nominal GDP gains less than real GDP in {year} ({nominal:+.4g} against "
            f"{real:+.4g} 亿元): the GDP deflator is lower ({d_alt:.4f} against {d_ref:.4f}, "
            f"2020 = 1). Why: {why}. No general fall of prices is involved."
        )

    @property
    def frame(self) -> pd.DataFrame:
        """Every alternative, setting, indicator and year: ``contribution``, with
        ``difference`` (the alternative minus the reference) and ``share_pct`` (the
        contribution in % of the difference, empty where the difference is 0)."""
        parts = []
        for a in self.alternatives:
            for s in a.settings:
                for ind, c in a.contributions[s.name].items():
                    diff = a.alternative[ind] - a.reference[ind]
                    with np.errstate(divide="ignore", invalid="ignore"):
                        share = np.where(diff != 0, 100.0 * c / diff, np.nan)
                    parts.append(
                        pd.DataFrame(
                            {
                                "alternative": a.name,
                                "setting": s.name,
                                "indicator": ind,
                                "year": self.years,
                                "contribution": c,
                                "difference": diff,
                                "share_pct": share,
                            }
                        )
                    )
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()

    def settings_frame(self) -> pd.DataFrame:
        """The players of each alternative: name, the keys they switch, what they are."""
        rows = [
            {
                "alternative": a.name,
                "setting": s.name,
                "keys": " ".join(s.keys),
                "description": s.description,
            }
            for a in self.alternatives
            for s in a.settings
        ]
        return pd.DataFrame(rows)


def shapley(values: np.ndarray, n: int) -> np.ndarray:
    """Exact Shapley values from the worths of every coalition.

    ``values[mask]`` is the worth of the coalition whose members are the set bits of
    ``mask`` (shape (2^n, ...)); returns shape (n, ...), whose sum over the first axis is
    ``values[-1] - values[0]``.
    """
    weights = [math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n) for s in range(n)]
    size = np.array([bin(m).count("1") for m in range(2**n)])
    out = np.zeros((n,) + values.shape[1:])
    for i in range(n):
        bit = 1 << i
        without = np.array([m for m in range(2**n) if not m & bit])
        w = np.array([weights[s] for s in size[without]])
        delta = values[without | bit] - values[without]
        out[i] = np.tensordot(w, delta, axes=(0, 0))
    return out


def attribute(
    reference,
    *alternatives,
    groups: Mapping[str, Sequence[str]] | None = None,
    max_settings: int = ATTRIBUTION_MAX_SETTINGS,
    workers: int | str = 1,
    data_dir=None,
) -> Attribution:
    """Split the difference each alternative makes against the reference by setting.

    Parameters
    ----------
    reference, *alternatives : Scenario or path
        As for :func:`hubinsim.compare`.
    groups : dict, optional
        Setting name -> list of settings to attribute together (lever names, ``pool``,
        parameter names, shock settings' names), e.g. ``{"people": ["net_migration_policy",
        "siphon_rate"]}``; a value may also be one string with commas.
    max_settings : int
        Most settings attributed (2^n runs each); beyond, settings are grouped by section.
    workers : int or "auto"
        Processes running the coalitions' runs (1: in this process).

    Returns
    -------
    Attribution
        The contribution of each setting to every indicator in every year (see the module).

    Raises
    ------
    ScenarioError
        If a scenario is invalid, the time settings differ, a group names an unknown setting
        or too many settings differ.
    """
    started = time.perf_counter()
    if not alternatives:
        raise ScenarioError("attribute: name at least one alternative to the reference")
    problems = workers_problems(workers)
    if isinstance(max_settings, bool) or not (
        isinstance(max_settings, int) and 1 <= max_settings <= 16
    ):
        problems.append(f"max_settings: must be a whole number in 1..16, got {max_settings!r}")
    items = [reference, *alternatives]
    for k, s in enumerate(items):
        if not isinstance(s, str | os.PathLike | Scenario):
            problems.append(
                f"scenario #{k + 1}: must be a Scenario or the path of a scenario file, got "
                f"{s!r:.60}"
            )
    if problems:
        raise ScenarioError(problems)
    folder = load_data(data_dir)  # read once, for every coalition's run
    paths = [os.fspath(s) if isinstance(s, str | os.PathLike) else None for s in items]
    loaded = iter(load_scenarios([p for p in paths if p is not None], folder))
    scenarios = [next(loaded) if p is not None else s for s, p in zip(items, paths, strict=True)]
    scenarios = [check_scenario(s, folder) for s in scenarios]
    names = unique_names([s.name for s in scenarios])
    ref = scenarios[0]
    out, notes, total_runs = [], [], 0
    for alt, name in zip(scenarios[1:], names[1:], strict=True):
        settings, shocks = differing_settings(ref, alt, folder)
        players, note = group_settings(settings, groups, max_settings)
        if note:
            warnings.warn(f"{name}: {note}", UserWarning, stacklevel=2)
            notes.append(f"{name}: {note}")
        n = len(players)
        masks = range(2**n)
        coalitions = [
            coalition(
                ref, alt, {k for i, p in enumerate(players) if m >> i & 1 for k in p.keys}, shocks
            )
            for m in masks
        ]
        worths = _run_all(coalitions, folder, workers)
        total_runs += len(worths)
        reference_values, alternative_values = worths[0], _values(alt, folder)
        total_runs += 1
        _check_full(worths[-1], alternative_values, name)
        indicators = list(reference_values)
        stacked = np.stack([np.stack([w[i] for i in indicators]) for w in worths])
        phi = shapley(stacked, n) if n else np.zeros((0,) + stacked.shape[1:])
        contributions = {
            p.name: {ind: phi[j, k] for k, ind in enumerate(indicators)}
            for j, p in enumerate(players)
        }
        out.append(
            AlternativeAttribution(
                name,
                players,
                contributions,
                reference_values,
                alternative_values,
                len(worths),
                note,
            )
        )
    years = np.arange(2020, ref.time.end + 1)
    metadata = {
        "runs": total_runs,
        "max_settings": max_settings,
        "grouping": notes,
        "method": "exact Shapley values over the settings that differ (2^n single runs)",
        "wall_time_s": time.perf_counter() - started,
    }
    return Attribution(names[0], years, out, metadata, list(folder.targets))


def _check_full(full: dict, alt: dict, name: str) -> None:
    """The reference with every setting switched must be the alternative itself."""
    for ind, v in alt.items():
        if not np.allclose(full[ind], v, rtol=1e-9, atol=1e-9, equal_nan=True):
            raise RuntimeError(
                f"attribution of {name}: the reference with every differing setting switched "
                f"does not reproduce {name} ({ind} differs); a setting was missed"
            )


def _run_all(coalitions: list[Scenario], folder, workers) -> list[dict]:
    processes = resolve_workers(workers, len(coalitions))
    if processes < 2 or len(coalitions) < 8:
        return [_values(s, folder) for s in coalitions]
    with worker_pool(processes) as pool:
        return list(pool.map(_values, coalitions, [folder] * len(coalitions), chunksize=8))
