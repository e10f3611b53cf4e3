"""The resolved scenario file: every value a run used, after ``extends`` and defaults.

A run folder keeps it as ``scenario.resolved.toml``; loading it back and simulating
reproduces the run exactly.
"""

from __future__ import annotations

from .._version import __version__
from ..catalog import LEVERS, POOL_CATEGORIES, PROFILES, SECTIONS, SHOCK_BY_NAME
from ..data import load_data, load_parameters
from ..model.inputs import Schedule
from .resolve import resolve_levers, resolve_parameters
from .sections import handler
from .settings import DataRecord, Scenario
from .writer import data_toml, toml_key, toml_string, toml_text, toml_value


def _line(key: str, value, comment: str) -> str:
    return f"{toml_key(key)} = {toml_value(value)}  # {comment}"


def _schedule_note(value) -> str:
    if isinstance(value, Schedule):
        return "step schedule; " if value.step else "schedule, linear between years; "
    return ""


def resolved_toml(scenario: Scenario, data_dir=None) -> str:
    """The fully resolved scenario as TOML text: every value a run of it uses.

    Every lever (defaults filled in), the profile, the realisation of the pool categories the
    scenario sets, every shock, every structural parameter and the time settings are written;
    nothing is inherited. ``plan_realisation`` left at business as usual and the categories
    that follow it are written as comments: they follow ``investment.bau_realisation`` in
    ``[parameters]``; so are the parameters an ``[uncertainty]`` section draws (a parameter
    is fixed or drawn, not both). The ``[data]`` section names the data folder (``data_dir``, or the
    :class:`~hubinsim.data.DataSet` the run read) and the sha256 of its files: a run of the
    file on other data is refused. Loading the text
    (:func:`~hubinsim.scenario.reader.load_scenario`) and simulating reproduces the run of
    ``scenario`` exactly: numbers are written with Python's shortest round-trip repr.
    """
    params_used = resolve_parameters(scenario, None, 1, data_dir)
    lever_values, defaults = resolve_levers(scenario, params_used, data_dir)
    params = load_parameters(data_dir)
    scalar = {k: float(v[0]) for k, v in params_used.items()}
    overall = scenario.levers.get("plan_realisation", scalar["investment.bau_realisation"])
    realisation = {c: scenario.levers.get(f"realisation_{c}", overall) for c in POOL_CATEGORIES}
    src = scenario.source or "Python (make_scenario)"
    lines = [
        f"# Resolved scenario {scenario.name!r}: every value a run uses, after `extends` and",
        "# defaults. Load this file and simulate to reproduce the run exactly.",
        f"# Written by hubinsim {__version__} from {src}"
        + (f", which extends {', '.join(scenario.extends)}" if scenario.extends else "")
        + ".",
        "# Money in 亿元 (100 million yuan); rates per year as fractions unless the unit says %.",
        "",
        "[scenario]",
        f"name = {toml_string(scenario.name)}",
        *(
            f"{key} = {toml_string(getattr(scenario, key))}"
            for key in ("title", "title_zh")
            if getattr(scenario, key)
        ),
        f"description = {toml_text(scenario.description)}",
        "",
        "[time]",
        _line("end", scenario.time.end, "last calendar year simulated (from the 2020 base)"),
        _line("dt", float(scenario.time.dt), "yr, integration time step"),
        _line("method", scenario.time.method, "integrator: euler | rk4"),
    ]
    for section in SECTIONS:
        lines += ["", f"[{section}]"]
        for lv in LEVERS:
            if lv.section != section or lv.name.startswith("realisation_"):
                continue
            value = overall if lv.name == "plan_realisation" else lever_values[lv.name]
            note = f"{lv.unit}; {_schedule_note(value)}{lv.meaning_en}"
            if value != defaults[lv.name] and lv.name != "plan_realisation":
                note += f" (business as usual: {toml_value(defaults[lv.name])})"
            if lv.name == "plan_realisation" and lv.name not in scenario.levers:
                # Left to business as usual, it follows investment.bau_realisation in
                # [parameters] (also when an ensemble draws it).
                lines.append(
                    f"# {_line(lv.name, value, note)} (business as usual: the parameter "
                    '"investment.bau_realisation")'
                )
            else:
                lines.append(_line(lv.name, value, note))
            if lv.name == "plan_realisation":
                profile = scenario.profile
                if not isinstance(profile, str):
                    profile = {str(y): w for y, w in profile}
                lines.append(
                    _line(
                        "profile",
                        profile,
                        "timing of the pool's spending itself over 2021-2025: "
                        f"{' | '.join(PROFILES)} | {{year = weight}}",
                    )
                )
                # Only the categories the scenario sets: the others follow plan_realisation
                # (also when an ensemble draws it).
                own = {
                    c: v for c, v in realisation.items() if f"realisation_{c}" in scenario.levers
                }
                if own:
                    lines.append(
                        _line(
                            "realisation",
                            own,
                            "fraction of these pool categories spent in 2021-2025 (the others: "
                            "plan_realisation)",
                        )
                    )
                else:
                    lines.append(
                        "# realisation = { <category> = <fraction> }  # each pool category "
                        "follows plan_realisation unless set here"
                    )
    for shock in scenario.shocks:
        target = SHOCK_BY_NAME.get(shock.target)
        lines += [
            "",
            "[[shock]]",
            f"name = {toml_string(shock.name)}",
            _line("target", shock.target, target.meaning_en if target else "flow scaled"),
            _line("years", [shock.first, shock.last], "first and last calendar year"),
            _line("factor", shock.factor, "multiplies the flow in those years (1 = no change)"),
        ]
    lines += ["", "[parameters]"]
    unc = (scenario.sections or {}).get("uncertainty")
    drawn = {p.name for p in getattr(unc, "parameters", ()) if p.kind == "parameter"}
    for name, value in scalar.items():
        prm = params.get(name)
        note = f"{prm.unit}; {prm.meaning_en}" if prm else "structural parameter"
        if prm and value != prm.value:
            note += f" (default {toml_value(prm.value)})"
        if name in drawn:  # a parameter is fixed or drawn, not both
            lines.append(f"# {_line(name, value, note)}; drawn: see [uncertainty]")
        else:
            lines.append(_line(name, value, note))
    for name, value in scenario.sections.items():
        found = handler(name)
        text = found.write(value) if found and found.write and name != "data" else None
        if text:
            lines += ["", text.rstrip("\n")]
    data = load_data(data_dir)  # the data of this run, whatever a [data] section says
    lines += ["", data_toml(DataRecord(str(data.folder), data.hashes)).rstrip("\n")]
    return "\n".join(lines) + "\n"
