"""The verdicts of a plan evaluation (中期评估, 总结评估), each a stated rule, and their margins.

Chinese plan evaluations class each indicator as 提前实现 (achieved early), 快于预期 (ahead),
符合预期 (on track), 滞后 (behind) or 难以完成 (at risk) in a mid-term evaluation, and as
已完成 (achieved) or 未完成 (not achieved) in a final one. :func:`verdict` applies the rules
below, in order, to the measures of one target (:class:`Case`); the first that holds gives
the verdict. Every margin is declared once, in :class:`Rules`; :func:`rule_texts` writes
the rules as every report prints them.

A target whose year is over (the latest full year of actual figures is at or after it: time
progress 100 %) is judged by the final rule alone, before any other: 已完成 (achieved) when
its figure of the target year meets it (an every-year target: every plan year met), else
未完成 (not achieved), with the completion rate (the figure against the target; for a
ceiling, the target against the figure, so that staying below it gives 100 % or more). No
growth is needed and nothing is projected for a year that is over. A target of a single year
with no actual figure of that year is 待核实 (to be verified): the model's figure and its
completion rate are shown for reference, but a year that is over is judged by actual figures.

For a target on a level (tertiary value added >= 200 by 2025) the rules are tried in the
order of :data:`LEVEL_RULES` (the one place that orders them; :func:`rule_texts` prints
them in that order):

1. achieved: the latest actual already meets the target;
2. at risk: the re-projection clearly fails the target: the growth needed from the latest
   actual year exceeds the growth the re-projection gives over the same years by more than
   ``growth_gap_pct`` (%/yr; for a share or rate ``points_gap_share`` of the pace needed,
   in points a year; for a cumulated count ``count_gap_share`` of the yearly need), or
   (with draws) the probability of meeting it is below ``p_at_risk``. It comes before the
   rules of progress: a target that the re-projection clearly misses is not on track because
   its progress so far keeps pace with the time gone (and where the re-projection misses by
   less, the reason of ahead or on track says so);
3. ahead: target progress >= time progress + ``margin_pp``;
4. on track: target progress >= time progress - ``margin_pp``, or the re-projection meets
   the target (with draws: the probability of meeting it >= ``p_on_track``);
5. behind: otherwise (below time progress, the re-projection short of the target by less
   than the gap of rule 2).

For a target "in every year" (above-scale industry growth >= 9 % every year, unemployment
<= 3.8 % every year) progress is the share of the plan's years met so far:

1. at risk: an actual year has missed it (it can no longer be met; with draws, probability 0);
2. on track: every year so far met it and the re-projection meets it in every year left
   (with draws: probability >= ``p_on_track``);
3. behind: the worst year the re-projection gives misses by at most ``every_year_pp``
   points (and, with draws, probability >= ``p_at_risk``);
4. at risk: otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from ..formats import percent_rounded, probability_rounded

#: Verdict codes, in the order of the rules, with their Chinese and English names.
VERDICTS: dict[str, tuple[str, str]] = {
    "achieved": ("提前实现", "achieved"),
    "ahead": ("快于预期", "ahead"),
    "on_track": ("符合预期", "on track"),
    "behind": ("滞后", "behind"),
    "at_risk": ("难以完成", "at risk"),
    "completed": ("已完成", "achieved"),
    "not_completed": ("未完成", "not achieved"),
    "unverified": ("待核实", "to be verified"),
}


@dataclass(frozen=True)
class Rules:
    """The margins of the verdict rules (module docstring), declared once."""

    margin_pp: float = 10.0  # points of progress either side of time progress
    growth_gap_pct: float = 1.0  # %/yr: growth needed above growth projected -> at risk
    points_gap_share: float = 0.5  # of the pace needed (pp/yr), for shares and rates
    count_gap_share: float = 0.10  # of the yearly need, for cumulated counts
    every_year_pp: float = 0.5  # points an every-year target's worst projected year may miss
    p_on_track: float = 0.5
    p_at_risk: float = 0.1


RULES = Rules()


@dataclass(frozen=True)
class Case:
    """The measures of one target that the rules read.

    ``measure`` is "growth" (a level: %/yr), "points" (a share or rate: pp/yr) or "count"
    (a cumulated count: units a year). ``needed`` and ``projected_rate`` are in that unit
    (NaN when unknown). ``probability`` is NaN without draws. For an every-year target,
    ``missed_year`` is the first actual year that missed it (or None) and ``worst_gap`` how
    far the re-projection's worst remaining year falls short (<= 0: met). For a bound the
    base already keeps (``keep``: unemployment <= 3.8 % by 2025 from 3.5 %), ``headroom`` is
    the latest actual's distance inside the bound (< 0: broken; NaN: no actual) and
    ``worst_gap`` how far the re-projection breaks it in the target year (points for a rate,
    percent of the bound for a level; <= 0: kept).

    ``final`` marks a target whose year is over (time progress 100 %): ``completed`` says
    whether it was met, ``completion_pct`` is the completion rate, ``judged`` the figure of
    the target year ``year`` it was judged by (``from_model``: the model's, no actual of
    that year; ``carried_year``: the model carried that year's actual figure to the target
    year, as it does a figure a lever sets), and ``missed_year`` (every-year targets) the
    first year that missed it.

    ``achieved_rate`` is the pace the actual figures record so far, from the plan's base to
    the latest actual, in the unit of ``needed`` (NaN without an actual figure of a plan
    year, or with a base that is the model's): :func:`settled_by_actuals` reads it.
    """

    every_year: bool = False
    achieved: bool = False
    target_progress: float = math.nan
    time_progress: float = math.nan
    projection_meets: bool = False
    probability: float = math.nan
    measure: str = "growth"
    needed: float = math.nan
    projected_rate: float = math.nan
    projected: float = math.nan
    target: float = math.nan
    missed_year: int | None = None
    worst_gap: float = math.nan
    keep: bool = False
    headroom: float = math.nan
    final: bool = False
    completed: bool = False
    completion_pct: float = math.nan
    judged: float = math.nan
    year: int | None = None
    from_model: bool = False
    carried_year: int | None = None
    achieved_rate: float = math.nan


def _meets_by_projection(case: Case, rules: Rules) -> bool:
    if not math.isnan(case.probability):
        return case.probability >= rules.p_on_track
    return case.projection_meets


def _gap_too_large(case: Case, rules: Rules) -> bool:
    if math.isnan(case.needed) or math.isnan(case.projected_rate):
        return False
    gap = case.needed - case.projected_rate
    if case.measure == "points":
        return gap > rules.points_gap_share * abs(case.needed)
    if case.measure == "count":
        return gap > rules.count_gap_share * abs(case.needed)
    return gap > rules.growth_gap_pct


#: The reason each rule gives, in English and Chinese (filled with the case's figures).
_REASONS: dict[str, tuple[str, str]] = {
    "missed": (
        "missed in {year}: an every-year target, it can no longer be met",
        "{year}年未达标(逐年目标),已无法完成",
    ),
    "every_met": (
        "met every year so far and projected to be met every year",
        "此前各年均达标,重新预测以后各年均达标",
    ),
    "every_close": (
        "projected to miss by {gap:.2f} points at worst (<= {limit:g})",
        "重新预测最差年份差距 {gap:.2f} 个百分点(≤ {limit:g})",
    ),
    "every_far": (
        "projected to miss by {gap:.2f} points at worst (> {limit:g})",
        "重新预测最差年份差距 {gap:.2f} 个百分点(> {limit:g})",
    ),
    "achieved": ("the latest actual already meets the target", "最新实际值已达到目标值"),
    "kept": (
        "kept within the bound ({headroom:.2f} of headroom in the latest year), and the "
        "re-projection keeps it",
        "控制在目标以内(最新实际值距目标 {headroom:.2f}),重新预测保持在目标以内",
    ),
    "keep_projected": (
        "no actual figure; the re-projection keeps it within the bound",
        "无实际数据;重新预测保持在目标以内",
    ),
    "keep_back": (
        "outside the bound in the latest year ({headroom:.2f}); the re-projection brings it back",
        "最新实际值超出目标 {headroom:.2f};重新预测回到目标以内",
    ),
    "keep_close": (
        "the re-projection breaks the bound by {gap:.2f} (<= {limit:g})",
        "重新预测超出目标 {gap:.2f}(≤ {limit:g})",
    ),
    "keep_far": (
        "the re-projection breaks the bound by {gap:.2f} (> {limit:g})",
        "重新预测超出目标 {gap:.2f}(> {limit:g})",
    ),
    "ahead": (
        "target progress {progress:.1f} % >= time progress {time:.1f} % + {margin:g} points",
        "目标进度 {progress:.1f}% ≥ 时间进度 {time:.1f}% + {margin:g} 个百分点",
    ),
    "within": (
        "target progress {progress:.1f} % within {margin:g} points of time progress {time:.1f} %",
        "目标进度 {progress:.1f}% 与时间进度 {time:.1f}% 相差不超过 {margin:g} 个百分点",
    ),
    "projection": ("the re-projection meets the target", "重新预测达到目标"),
    "probable": (
        "probability of meeting {p:.1f} % >= {limit:.0f} %",
        "达标概率 {p:.1f}% ≥ {limit:.0f}%",
    ),
    "low_probability": (
        "probability of meeting {p:.1f} % < {limit:.0f} %",
        "达标概率 {p:.1f}% < {limit:.0f}%",
    ),
    "gap": (
        "growth needed {needed:.2f} %/yr against {projected:.2f} %/yr projected: more than "
        "{limit:g} pp apart",
        "需年均增长 {needed:.2f}%,重新预测 {projected:.2f}%,差距超过 {limit:g} 个百分点",
    ),
    "gap_points": (
        "a rise of {needed:.2f} points a year needed against {projected:.2f} projected: more "
        "than {limit} of the pace needed apart",
        "需年均提高 {needed:.2f} 个百分点,重新预测 {projected:.2f} 个百分点,"
        "差距超过所需幅度的 {limit}",
    ),
    "gap_count": (
        "{needed} a year needed against {projected} projected: more than {limit} of the yearly "
        "need apart",
        "需年均 {needed},重新预测年均 {projected},差距超过年均所需的 {limit}",
    ),
    "short": (
        "below time progress; the re-projection falls short by less than the gap",
        "低于时间进度;重新预测与目标的差距小于规定幅度",
    ),
    "final_met": (
        "the target year {year} is over: {judged} meets the target, completion {rate:.1f} %"
        "{source}; no growth is needed for a year that is over",
        "目标年份{year}年已过:{judged} 达到目标,完成率 {rate:.1f}%{source};已过年份不计所需增长",
    ),
    "final_missed": (
        "the target year {year} is over: {judged} does not meet the target, completion "
        "{rate:.1f} %{source}; no growth is needed for a year that is over",
        "目标年份{year}年已过:{judged} 未达到目标,完成率 {rate:.1f}%{source};已过年份不计所需增长",
    ),
    "final_unverified": (
        "the target year {year} is over but the file has no actual figure of it: the model's "
        "{judged} (completion {rate:.1f} %) is shown for reference; the verdict waits for the "
        "actual figure",
        "目标年份{year}年已过,但无该年实际数据:模型值 {judged}(完成率 {rate:.1f}%)仅供参考;"
        "待实际数据核实后判断",
    ),
    "final_carried": (
        "the target year {year} is over but the file has no actual figure of it: the latest "
        "actual, {judged} ({carried}), is carried to {year} (completion {rate:.1f} %), for "
        "reference; the verdict waits for the actual figure",
        "目标年份{year}年已过,但无该年实际数据:{carried}年实际值 {judged} 沿用至{year}年"
        "(完成率 {rate:.1f}%),仅供参考;待实际数据核实后判断",
    ),
    "final_every_met": (
        "the plan's years are over: met in every year; no growth is needed for a year that is over",
        "规划年份已过:各年均达标;已过年份不计所需增长",
    ),
    "final_every_missed": (
        "the plan's years are over: missed in {missed} (met in {rate:.0f} % of the years); no "
        "growth is needed for a year that is over",
        "规划年份已过:{missed}年未达标(达标年份占 {rate:.0f}%);已过年份不计所需增长",
    ),
}

#: What a final verdict adds when its figure is not an actual one.
_FROM_MODEL = ("; no actual figure of that year: the model's", ";该年无实际数据:为模型值")


def _final(case: Case, lang: str) -> tuple[str, str, dict]:
    """The final rule: a target whose year is over is achieved or not (module docstring)."""
    code = "completed" if case.completed else "not_completed"
    if case.every_year:
        if case.completed:
            return code, "final_every_met", {}
        return code, "final_every_missed", {"missed": case.missed_year, "rate": case.completion_pct}
    figures = {
        "year": case.year,
        "judged": _figure(case.judged),
        "rate": case.completion_pct,
        "source": _FROM_MODEL[lang == "zh"] if case.from_model else "",
    }
    if case.from_model and case.carried_year is not None:
        return "unverified", "final_carried", figures | {"carried": case.carried_year}
    if case.from_model:
        return "unverified", "final_unverified", figures
    return code, "final_met" if case.completed else "final_missed", figures


#: The rules whose verdict the actual figures settle: a year that is over judged by its
#: actual figure, a latest actual that already meets the target, an actual year that missed
#: an every-year target; and those the actual figures carry, the re-projection only
#: confirming them: progress measured on the latest actual, a bound kept in the latest
#: year, an every-year target met in every actual year so far.
ACTUAL_RULES = frozenset(
    {"final_met", "final_missed", "final_every_met", "final_every_missed", "achieved",
     "missed", "kept", "keep_back", "ahead", "within", "every_met"}
)  # fmt: skip


def rule_of(case: Case, rules: Rules = RULES) -> str:
    """The key of the rule that gives ``case`` its verdict (a key of the reasons: "achieved",
    "gap", "final_met" ...); :data:`ACTUAL_RULES` are those the actual figures settle."""
    return (_final(case, "en") if case.final else _verdict(case, rules))[1]


#: The rules of a re-projection that clearly fails the target (难以完成 by the pace or by
#: the probability).
FAILING_RULES = frozenset({"gap", "gap_points", "gap_count", "low_probability"})


def settled_by_actuals(case: Case, rules: Rules = RULES) -> bool:
    """Whether the actual figures settle the verdict of ``case``: its rule is one of
    :data:`ACTUAL_RULES`, or the target is at risk and the pace the actual figures record so
    far (``achieved_rate``) also falls short of the pace needed by more than the at-risk rule's
    gap: the actual figures already put it out of reach (retail sales at 119.9 in 2024 need
    25.1 %/yr to reach 150 in 2025, after 5.6 %/yr), the re-projection only confirming it.
    An at-risk verdict whose actual pace would meet the target rests on the re-projection."""
    rule = rule_of(case, rules)
    if rule in ACTUAL_RULES:
        return True
    return rule in FAILING_RULES and _gap_too_large(
        replace(case, projected_rate=case.achieved_rate), rules
    )


def verdict(case: Case, rules: Rules = RULES, lang: str = "en") -> tuple[str, str]:
    """The verdict code (a key of :data:`VERDICTS`) and the rule that gave it, in words (in
    ``lang``, "en" or "zh")."""
    if case.final:
        code, reason, figures = _final(case, lang)
    else:
        code, reason, figures = _verdict(case, rules)
    text = _REASONS[reason][1 if lang == "zh" else 0].format(**figures)
    if code in ("ahead", "on_track") and _misses(case):
        text += _SHORT_NOTE[lang == "zh"].format(
            projected=_figure(case.projected), target=_figure(case.target)
        )
    return code, text


#: What the reason of a target ahead or on track by its progress adds when the
#: re-projection misses it (by less than the gap of the at-risk rule).
_SHORT_NOTE = (
    "; but the re-projection misses the target ({projected} against {target})",
    ";但重新预测未达到目标({projected},目标 {target})",
)


def _figure(value: float) -> str:
    """A figure of a reason: whole from 1,000 (35,000 persons), else two decimals."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.2f}"


def _misses(case: Case) -> bool:
    """Whether the re-projection of a level, share or count misses the target."""
    return not (case.every_year or case.keep or case.projection_meets) and math.isfinite(
        case.projected
    )


def _verdict(case: Case, rules: Rules) -> tuple[str, str, dict]:
    low_p = not math.isnan(case.probability) and case.probability < rules.p_at_risk
    if case.every_year:
        if case.missed_year is not None:
            return "at_risk", "missed", {"year": case.missed_year}
        if _meets_by_projection(case, rules):
            return "on_track", "every_met", {}
        if _gap_within(case, rules):
            if not low_p:
                return (
                    "behind",
                    "every_close",
                    {"gap": case.worst_gap, "limit": rules.every_year_pp},
                )
            return _low_probability(case, rules)
        if low_p and math.isnan(case.worst_gap):
            return _low_probability(case, rules)
        return "at_risk", "every_far", {"gap": case.worst_gap, "limit": rules.every_year_pp}
    if case.keep:
        return _kept(case, rules, low_p)
    for _code, rule in LEVEL_RULES:
        found = rule(case, rules)
        if found is not None:
            return found
    raise AssertionError("the last rule always holds")  # pragma: no cover


def _kept(case: Case, rules: Rules, low_p: bool) -> tuple[str, str, dict]:
    """A bound the base already keeps: judged by whether it is kept, never "achieved early"
    (it must hold in the target year)."""
    broken = not math.isnan(case.headroom) and case.headroom < 0
    figures = {"headroom": case.headroom, "gap": case.worst_gap, "limit": rules.every_year_pp}
    if _meets_by_projection(case, rules):
        if broken:
            return "behind", "keep_back", figures
        if math.isnan(case.headroom):
            return "on_track", "keep_projected", figures
        return "on_track", "kept", figures
    if _gap_within(case, rules):
        return ("behind", "keep_close", figures) if not low_p else _low_probability(case, rules)
    if low_p and math.isnan(case.worst_gap):
        return _low_probability(case, rules)
    return "at_risk", "keep_far", figures


def _gap_within(case: Case, rules: Rules) -> bool:
    """Whether the worst year's gap of an every-year target or a kept bound is within the
    rule's limit (a known gap)."""
    return not math.isnan(case.worst_gap) and case.worst_gap <= rules.every_year_pp


def _low_probability(case: Case, rules: Rules) -> tuple[str, str, dict]:
    """At risk because few draws meet the target, with the probability rounded down as the
    tables show it (9.96 % is no 10.0 %)."""
    shown = probability_rounded(case.probability * 100.0, 1)
    return "at_risk", "low_probability", {"p": shown, "limit": rules.p_at_risk * 100.0}


def _achieved(case: Case, rules: Rules):
    return ("achieved", "achieved", {}) if case.achieved else None


def _clearly_fails(case: Case, rules: Rules):
    if _meets_by_projection(case, rules):
        return None
    p = case.probability
    if not math.isnan(p) and p < rules.p_at_risk:
        return _low_probability(case, rules)
    return ("at_risk", *_gap_reason(case, rules)) if _gap_too_large(case, rules) else None


def _gap_reason(case: Case, rules: Rules) -> tuple[str, dict]:
    """The reason of a re-projection that clearly fails the target, with its figures: the
    pace needed, the pace projected and the gap the rule allows (25.10 %/yr against 4.90 %,
    more than 1 point apart)."""
    figures = {"needed": case.needed, "projected": case.projected_rate}
    if case.measure == "points":
        return "gap_points", figures | {"limit": f"{rules.points_gap_share:.0%}"}
    if case.measure == "count":
        figures = {"needed": _figure(case.needed), "projected": _figure(case.projected_rate)}
        return "gap_count", figures | {"limit": f"{rules.count_gap_share:.0%}"}
    return "gap", figures | {"limit": rules.growth_gap_pct}


def _progress(case: Case, rules: Rules) -> dict:
    """The figures of a reason on progress, rounded as the table's progress columns are (one
    decimal, never to 100 from below: 99.5 %, not 100 %)."""
    return {
        "progress": percent_rounded(case.target_progress, 1),
        "time": percent_rounded(case.time_progress, 1),
        "margin": rules.margin_pp,
    }


def _ahead(case: Case, rules: Rules):
    progress, time = case.target_progress, case.time_progress
    if not math.isnan(progress) and progress >= time + rules.margin_pp:
        return "ahead", "ahead", _progress(case, rules)
    return None


def _on_track(case: Case, rules: Rules):
    progress, time = case.target_progress, case.time_progress
    if not math.isnan(progress) and progress >= time - rules.margin_pp:
        return "on_track", "within", _progress(case, rules)
    if not _meets_by_projection(case, rules):
        return None
    if math.isnan(case.probability):
        return "on_track", "projection", {}
    return "on_track", "probable", {"p": case.probability * 100, "limit": rules.p_on_track * 100}


def _behind(case: Case, rules: Rules):
    return "behind", "short", {}


#: The rules of a target on a level, in the order they are tried (the module docstring): the
#: first that holds gives the verdict. A re-projection that clearly fails the target comes
#: before the progress so far.
LEVEL_RULES = (
    ("achieved", _achieved),
    ("at_risk", _clearly_fails),
    ("ahead", _ahead),
    ("on_track", _on_track),
    ("behind", _behind),
)


def rule_texts(rules: Rules = RULES, lang: str = "en") -> list[str]:
    """The rules as every report prints them, in ``lang`` ("en" or "zh")."""
    r = rules
    zh = lang == "zh"
    texts = _LEVEL_TEXTS_ZH if zh else _LEVEL_TEXTS
    level = [texts[code].format(r=r) for code, _rule in LEVEL_RULES]
    every = _EVERY_YEAR_TEXT_ZH if zh else _EVERY_YEAR_TEXT
    keep = _KEEP_TEXT_ZH if zh else _KEEP_TEXT
    final = _FINAL_TEXT_ZH if zh else _FINAL_TEXT
    return [final, *level, every.format(r=r), keep.format(r=r)]


_FINAL_TEXT = (
    "Final evaluation, tried first: a target whose year is over (the latest full year of "
    "actual figures is at or after it; time progress 100 %) is achieved (已完成) when its "
    "figure of the target year meets it (an every-year target: met in every plan year), "
    "otherwise not achieved (未完成); the completion rate is the figure against the target "
    "(for a ceiling, the target against the figure); no growth is needed for a year that is "
    "over. With no actual figure of the target year the target is to be verified (待核实), "
    "the model's figure shown for reference. The rules below are those of a mid-term "
    "evaluation."
)
_FINAL_TEXT_ZH = (
    "总结评估(最先判断):目标年份已过(有全年实际数据的最新年份不早于目标年份,时间进度"
    "100%)的目标,目标年份数值达到目标为已完成(逐年目标:规划各年均达标),否则为未完成;"
    "完成率为实际值与目标值之比(控制性上限目标为目标值与实际值之比);已过年份不计所需"
    "增长;目标年份无实际数据的为待核实,模型值仅供参考。以下为中期评估的规则。"
)


_LEVEL_TEXTS = {
    "achieved": "achieved (提前实现): the latest actual already meets the target.",
    "at_risk": "at risk (难以完成): the re-projection clearly fails the target: the average "
    "growth needed from the latest actual year exceeds the re-projection's growth over the "
    "same years by more than {r.growth_gap_pct:g} %/yr ({r.points_gap_share:.0%} of the pace "
    "needed for shares and rates, {r.count_gap_share:.0%} of the yearly need for cumulated "
    "counts), or the "
    "probability is below {r.p_at_risk:.0%}; tried before progress, so that a target the "
    "re-projection clearly misses is not on track because its progress keeps pace with time.",
    "ahead": "ahead (快于预期): target progress >= time progress + {r.margin_pp:g} points.",
    "on_track": "on track (符合预期): target progress >= time progress - {r.margin_pp:g} points, "
    "or the re-projection meets the target (with draws: probability >= {r.p_on_track:.0%}).",
    "behind": "behind (滞后): otherwise (below time progress, the re-projection short of the "
    "target by less than the gap of the at-risk rule).",
}
_LEVEL_TEXTS_ZH = {
    "achieved": "提前实现:最新实际值已达到目标值。",
    "at_risk": "难以完成:重新预测明显达不到目标,即自最新实际年份起所需年均增速比重新预测的增速"
    "高出 {r.growth_gap_pct:g} 个百分点以上(比重和比率类为所需年均提高幅度的 "
    "{r.points_gap_share:.0%},累计数 "
    "{r.count_gap_share:.0%} 的年均所需),或达标概率 < {r.p_at_risk:.0%};此条先于进度判断,"
    "目标进度与时间进度相当但重新预测明显达不到目标的,不判为符合预期。",
    "ahead": "快于预期:目标进度 ≥ 时间进度 + {r.margin_pp:g} 个百分点。",
    "on_track": "符合预期:目标进度 ≥ 时间进度 − {r.margin_pp:g} 个百分点,或重新预测达到目标"
    "(有抽样时达标概率 ≥ {r.p_on_track:.0%})。",
    "behind": "滞后:其余情形(低于时间进度,重新预测与目标的差距小于难以完成的幅度)。",
}
_EVERY_YEAR_TEXT = (
    "Every-year targets (above-scale industry growth >= 9 % every year, unemployment <= "
    "3.8 % every year): progress is the share of the plan's years met so far; a missed "
    "actual year makes them at risk (probability 0 %); met so far and projected to be met "
    "every year left is on track; a worst projected year within {r.every_year_pp:g} points is "
    "behind, otherwise at risk."
)
_EVERY_YEAR_TEXT_ZH = (
    "逐年目标(如规上工业增速每年≥9%、失业率每年≤3.8%):目标进度为已达标年份占规划"
    "年份之比;已有实际年份未达标为难以完成(达标概率为0);此前各年达标且重新预测各年达标为符合预期;"
    "重新预测最差年份差距 ≤ {r.every_year_pp:g} 个百分点为滞后,否则难以完成。"
)
_KEEP_TEXT = (
    "Bounds the 2020 base already keeps (unemployment <= 3.8 % in 2025 from 3.5 %): not "
    "achieved early, since they must hold in the target year, and without a target progress; "
    "within the bound in the latest year and projected within it in the target year (with "
    "draws: probability >= {r.p_on_track:.0%}) is on track, with the headroom in the reason; "
    "outside it and projected back, or projected outside by at most {r.every_year_pp:g} points "
    "(for a level: {r.every_year_pp:g} % of the bound), is behind; otherwise at risk."
)
_KEEP_TEXT_ZH = (
    "2020年基数已在目标以内的控制性目标(如失业率2025年控制在3.8%以内):须在目标年份保持,"
    "不判提前实现,不计目标进度;最新实际值在目标以内且重新预测目标年份仍在目标以内(有抽样时达标"
    "概率 ≥ {r.p_on_track:.0%})为符合预期,依据中注明余量;最新实际值超出但重新预测回到目标以内,"
    "或重新预测超出不超过 {r.every_year_pp:g} 个百分点(总量类为目标值的 {r.every_year_pp:g}%)"
    "为滞后;"
    "否则难以完成。"
)
