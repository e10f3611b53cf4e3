"""The one catalogue of levers, parameters, shock targets and output indicators.

Everything a scenario may set and everything the model reports is declared here once, with
its unit, default, valid range and meaning in English and Chinese. Validation, ``hubinsim
levers``, the docs tables, output metadata and the scorecard are all derived from it.

Structural parameters are declared in ``data/parameters.csv`` (with their sources) and read
through :func:`hubinsim.data.load_parameters`; :class:`Parameter` is their type. This module
imports nothing of hubinsim: every other layer may use it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

#: The seven categories of the 14th FYP project pool (plan Ch.6 s.1), in the plan's order.
POOL_CATEGORIES: tuple[str, ...] = (
    "social",
    "agriculture",
    "ecology",
    "industry",
    "services",
    "urban",
    "transport",
)

#: Timing profiles of the project pool's spending itself over its plan years 2021-2025
#: (whatever the realisation: the realised share is spent with these weights).
PROFILES: dict[str, tuple[float, ...]] = {
    "early": (0.3, 0.25, 0.2, 0.15, 0.1),
    "even": (0.2, 0.2, 0.2, 0.2, 0.2),
    "late": (0.1, 0.15, 0.2, 0.25, 0.3),
}
#: Names of version 1, which shaped the spending above (or below) business as usual; kept
#: for one release, with a deprecation message, as the profile of the same weights.
DEPRECATED_PROFILES: dict[str, str] = {"front_loaded": "early", "back_loaded": "late"}
PLAN_YEARS: tuple[int, ...] = (2021, 2022, 2023, 2024, 2025)

#: How a value of each kind of unit is written, as messages say it. A ``percent`` value is in
#: % (2.5 means 2.5 %); a ``fraction`` or a ``rate`` (per year) is a fraction (0.025 means
#: 2.5 %, or 2.5 % a year). Values of these kinds are checked for the other reading
#: (:mod:`hubinsim.scenario.units`).
UNIT_KINDS: dict[str, str] = {
    "percent": "in %",
    "fraction": "a fraction",
    "rate": "a rate per year written as a fraction",
    "elasticity": "an elasticity",
    "ratio": "a ratio of like quantities",
    "money": "money",
    "count": "a count of whole things",
    "people": "people in 10,000s",
    "years": "years",
    "index": "an index",
    "other": "a number",
}
#: Kinds written in % and kinds written as fractions: a value of one may be a slip for the other.
PERCENT_KINDS: tuple[str, ...] = ("percent",)
FRACTION_KINDS: tuple[str, ...] = ("fraction", "rate")


def unit_kind(unit: str) -> str:
    """The kind of a unit string (a key of :data:`UNIT_KINDS`), as far as the string tells.

    ``"%"`` -> percent; ``"fraction"``, ``"share"`` -> fraction; ``"1/yr"`` (and ``"1/yr per
    unit of ..."``) -> rate; ``"elasticity"``; ``"亿元"``, ``"yuan"`` -> money; ``"firms"``,
    ``"persons"`` -> count; ``"万人"`` -> people; ``"yr"`` -> years; ``"X per X"`` and
    ``"relative to ..."``, ``"ratio"`` -> ratio; anything else -> other.
    """
    u = unit.strip().lower()
    if " per " in u:
        num, den = (part.strip() for part in u.split(" per ", 1))
        if num == den:
            return "ratio"
        u = num
    if u.startswith("relative") or u == "ratio":
        return "ratio"
    first = u.split("/")[0].split(" ")[0] if u else ""
    if u.startswith("%") or u.startswith("percent"):
        return "percent"
    if u.startswith("1/yr"):
        return "rate"
    if first in ("fraction", "share"):
        return "fraction"
    if first == "elasticity":
        return "elasticity"
    if first in ("亿元", "万元", "yuan"):
        return "money"
    if first in ("firms", "persons", "projects"):
        return "count"
    if first == "万人":
        return "people"
    if first in ("yr", "years", "year"):
        return "years"
    if first == "index":
        return "index"
    return "other"


class _KindOfUnit:
    """Fills in an empty ``kind`` from ``unit``, so that a new entry needs to declare its
    kind only where the unit string does not tell it."""

    def __post_init__(self):
        if not self.kind:
            object.__setattr__(self, "kind", unit_kind(self.unit))


#: The figures a start record must hold (data/base_2020.csv is the default record): name ->
#: meaning [unit]. The record's other fields are in hubinsim/model/record.py.
RECORD_FIGURES: dict[str, str] = {
    "gdp": "GDP, current prices [亿元]",
    "va_tertiary": "tertiary value added, current prices [亿元]",
    "share_primary_pct": "primary share of GDP [%]",
    "construction_share_of_secondary": "construction's share of secondary value added [fraction]",
    "fai": "fixed-asset investment, current prices [亿元]",
    "fiscal_revenue": "general public budget revenue [亿元]",
    "retail_sales": "retail sales of consumer goods [亿元]",
    "population": "resident population [万人]",
    "working_age_share": "share of residents aged 15-64 [fraction]",
    "participation_rate": "labour-force participation of the working-age population [fraction]",
    "unemployment_rate_pct": "urban registered unemployment [%]",
    "employment_share_primary": "primary share of employment [fraction]",
    "employment_share_secondary": "secondary share of employment [fraction]",
    "employment_share_tertiary": "tertiary share of employment [fraction]",
    "enterprises_above_scale": "above-scale industrial enterprises [firms]",
    "industrial_va_above_scale": "above-scale industrial value added [亿元]",
    "industrial_output_above_scale": "above-scale industrial gross output [亿元]",
    "rd_intensity_pct": "R&D spending / GDP [%]",
    "disposable_income_per_capita": "disposable income per resident [yuan]",
    "consumption_propensity": "household consumption / disposable income [fraction]",
    "services_share_of_consumption": "services share of household consumption [fraction]",
    "visitor_spending": "spending of visitors in the district [亿元]",
}


@dataclass(frozen=True)
class Lever(_KindOfUnit):
    """A policy lever a scenario can turn.

    ``default`` is either a number or the name of a parameter whose value is the default
    (so that business as usual is consistent with the structural assumptions).
    ``effect`` records the documented direction: turning the lever up from its default moves
    ``indicator`` in direction ``sign`` (+1 or -1) in the year ``year``.
    """

    name: str
    section: str
    unit: str
    default: float | str
    low: float
    high: float
    meaning_en: str
    meaning_zh: str
    effect: tuple[str, int, int]
    schedule: bool = True
    scale: float = 1.0  # multiply the user's value by this to get the model's unit
    kind: str = ""  # of the unit, a key of UNIT_KINDS; derived from ``unit`` when left empty

    @property
    def key(self) -> str:
        return f"{self.section}.{self.name}"


@dataclass(frozen=True)
class Indicator(_KindOfUnit):
    """An output column of ``Results.annual`` (and annual.csv)."""

    name: str
    unit: str
    price_basis: str
    meaning_en: str
    meaning_zh: str
    headline: bool = False
    kind: str = ""  # of the unit, a key of UNIT_KINDS; derived from ``unit`` when left empty


@dataclass(frozen=True)
class ShockTarget:
    """A flow that a ``[[shock]]`` can scale by a factor over a window of years."""

    name: str
    meaning_en: str
    meaning_zh: str


@dataclass(frozen=True)
class Parameter(_KindOfUnit):
    """A structural parameter (declared in data/parameters.csv)."""

    name: str
    value: float
    low: float
    high: float
    unit: str
    source: str
    meaning_en: str
    meaning_zh: str
    extra: dict = field(default_factory=dict)
    kind: str = ""  # of the unit, a key of UNIT_KINDS; derived from ``unit`` when left empty


_L = Lever
_CAT_ZH_LIST = ("社会事业", "农林水", "生态保护", "工业", "服务业", "城建", "交通")
LEVERS: tuple[Lever, ...] = (
    _L(
        "plan_realisation",
        "investment",
        "fraction",
        "investment.bau_realisation",
        0.0,
        1.0,
        "share of the 1036.67 亿元 project pool planned for its five plan years (2021-2025 unless "
        "delayed); the rest is built in the years after (carry_over_years). The pool takes at "
        "most a share of a year's FAI (investment.pool_max_share, 90 %): what does not fit waits "
        "and is built later (pool_planned against pool_investment)",
        "十四五项目库(1036.67亿元)计划在规划五年内完成的比例,其余在之后年份建成;"
        "项目库投资每年至多占固定资产投资的一定比例(investment.pool_max_share,默认90%),超出部分顺延建设",
        ("gdp_real", +1, 2025),
        False,
    ),
    *(
        _L(
            f"realisation_{c}",
            "investment",
            "fraction",
            "investment.plan_realisation",
            0.0,
            1.0,
            f"share of the pool's {c} category spent in its plan years (overrides "
            "plan_realisation)",
            f"项目库{zh}类项目在规划五年内的完成比例",
            (f"fai_{c}", +1, 2023),
            False,
        )
        for c, zh in zip(POOL_CATEGORIES, _CAT_ZH_LIST, strict=True)
    ),
    _L(
        "pool_delay",
        "investment",
        "yr",
        0.0,
        0.0,
        5.0,
        "years by which the whole pool programme (plan years and carry-over) is moved later; "
        "what is delayed is built later, not lost",
        "项目库整体推迟的年数(推迟的项目之后建成,不会消失)",
        ("gdp_real", -1, 2025),
        False,
    ),
    _L(
        "carry_over_years",
        "investment",
        "yr",
        3.0,
        1.0,
        5.0,
        "years after the plan years over which the unrealised part of the pool is built (more "
        "where that would build more than a fifth of the pool a year)",
        "项目库未在规划期完成部分的后续建设年数(每年至多建成项目库的五分之一,否则顺延)",
        ("fai", -1, 2026),
        False,
    ),
    *(
        _L(
            f"extra_{c}",
            "investment",
            "亿元/yr",
            0.0,
            0.0,
            100.0,
            f"investment in new {c} projects beyond the pool, a year",
            f"项目库以外新增{zh}类项目投资(每年)",
            (f"fai_{c}", +1, 2023),
        )
        for c, zh in zip(POOL_CATEGORIES, _CAT_ZH_LIST, strict=True)
    ),
    _L(
        "net_migration_policy",
        "population",
        "1/yr",
        0.0,
        -0.02,
        0.02,
        "net migration added by settlement, talent and housing policy (share of residents a year)",
        "落户、人才、住房政策带来的净迁入率",
        ("population", +1, 2025),
    ),
    _L(
        "siphon_rate",
        "population",
        "1/yr",
        0.05,
        0.0,
        0.12,
        "real income growth of the big neighbours (Zhengzhou, Xi'an) that residents compare with",
        "郑州、西安等中心城市收入增速(虹吸效应)",
        ("population", -1, 2030),
    ),
    _L(
        "vouchers",
        "consumption",
        "亿元/yr",
        0.0,
        0.0,
        10.0,
        "consumption vouchers issued a year (paid by the district)",
        "每年发放的消费券(区财政支出)",
        ("retail_sales", +1, 2023),
    ),
    _L(
        "tourism_growth",
        "consumption",
        "1/yr",
        0.0,
        -0.05,
        0.10,
        "extra growth of visitors' spending (Yellow River cultural tourism belt, visitor capacity)",
        "黄河文化旅游带等带来的游客消费额外增速",
        ("va_tertiary_real", +1, 2025),
    ),
    _L(
        "firms_attracted",
        "industry",
        "firms/yr",
        0.0,
        0.0,
        40.0,
        "above-scale industrial firms attracted a year beyond the usual entry (each brings its "
        "own plant)",
        "每年招引的规上工业企业数",
        ("enterprises_above_scale", +1, 2025),
    ),
    _L(
        "tertiary_shift",
        "industry",
        "fraction",
        0.0,
        -0.05,
        0.10,
        "push of the target tertiary employment share (service-sector policy)",
        "推动就业向第三产业转移的政策力度",
        ("share_tertiary_pct", +1, 2025),
    ),
    _L(
        "rd_intensity_pct",
        "innovation",
        "%",
        "base:rd_intensity_pct",
        0.0,
        5.0,
        "R&D spending as a share of GDP (firms pay most of it, the district a share)",
        "研发经费投入强度",
        ("gdp_real", +1, 2030),
        scale=0.01,
    ),
    _L(
        "tax_relief",
        "fiscal",
        "fraction",
        0.0,
        0.0,
        0.3,
        "share of general budget revenue forgone through tax and fee relief",
        "减税降费使一般公共预算收入减少的比例",
        ("fiscal_revenue", -1, 2023),
    ),
    _L(
        "inflation_primary",
        "prices",
        "1/yr",
        0.02,
        -0.05,
        0.10,
        "inflation of the primary-sector deflator",
        "第一产业价格指数涨幅",
        ("va_primary", +1, 2025),
    ),
    _L(
        "inflation_secondary",
        "prices",
        "1/yr",
        0.01,
        -0.05,
        0.10,
        "inflation of the secondary-sector deflator",
        "第二产业价格指数涨幅",
        ("va_secondary", +1, 2025),
    ),
    _L(
        "inflation_tertiary",
        "prices",
        "1/yr",
        0.025,
        -0.05,
        0.10,
        "inflation of the tertiary-sector deflator",
        "第三产业价格指数涨幅",
        ("share_tertiary_pct", +1, 2025),
    ),
    _L(
        "inflation_investment",
        "prices",
        "1/yr",
        0.015,
        -0.05,
        0.10,
        "inflation of the investment-goods deflator",
        "投资品价格指数涨幅",
        ("fai", +1, 2025),
    ),
)

#: Sources of the lever defaults that are numbers (the others point to a parameter or the base).
LEVER_DEFAULT_SOURCES: dict[str, str] = {
    "siphon_rate": "assumption: real income growth of Zhengzhou and Xi'an near China's 5 %/yr",
    "carry_over_years": "assumption: the pool's projects not finished by 2025 take about three "
    "more years (the plan counts total investment, which may run past 2025); built evenly over "
    "three years the business-as-usual carry-over (about 155 亿元 a year) stays within normal "
    "investment (72 % of 2026 FAI)",
    "inflation_primary": "assumption: food and farm prices rose about 2 %/yr in 2015-2019 (NBS)",
    "inflation_secondary": "assumption: producer prices roughly flat to +1 %/yr over a cycle",
    "inflation_tertiary": "assumption: service prices rose 2-3 %/yr in 2015-2019 (NBS CPI)",
    "inflation_investment": "assumption: FAI price index about +1.5 %/yr (NBS, 2015-2019)",
}

#: Levers that set the timing of the pool's spending, which every member of an ensemble
#: shares: they cannot be drawn per member.
SHARED_LEVERS: tuple[str, ...] = ("pool_delay", "carry_over_years")
#: Why a lever of SHARED_LEVERS cannot be drawn.
SHARED_LEVER_PROBLEM = (
    "sets the timing of the project pool's spending, which every member shares: it cannot "
    "be drawn per member; set it in the scenario"
)

LEVER_BY_NAME: dict[str, Lever] = {lv.name: lv for lv in LEVERS}
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(lv.section for lv in LEVERS))

SHOCK_TARGETS: tuple[ShockTarget, ...] = (
    ShockTarget(
        "va_primary",
        "primary value added (farm households keep working their land through a fall: their "
        "income falls)",
        "第一产业增加值(农户在减产时照常经营土地,收入下降)",
    ),
    ShockTarget(
        "va_industry",
        "industry value added (firms hoard labour through a fall and cut posts to one that "
        "lasts: labour.hoarding_time, labour.recall_time)",
        "工业增加值(企业在减产时保留劳动力,持续减产则削减岗位:labour.hoarding_time、"
        "labour.recall_time)",
    ),
    ShockTarget("va_construction", "construction value added", "建筑业增加值"),
    ShockTarget(
        "va_tertiary",
        "tertiary value added (firms hoard labour through a fall and cut posts to one that "
        "lasts, as for va_industry)",
        "第三产业增加值(企业在减产时保留劳动力,持续减产则削减岗位,同 va_industry)",
    ),
    ShockTarget("fai", "fixed-asset investment (all categories)", "固定资产投资"),
    ShockTarget("consumption", "household consumption of residents", "本地居民消费"),
    ShockTarget(
        "retail_external",
        "retail spending of non-resident shoppers (city region, institutions)",
        "外地顾客消费",
    ),
    ShockTarget("visitor_spending", "spending of visitors (tourism)", "游客消费"),
    ShockTarget("fiscal_revenue", "general budget revenue", "一般公共预算收入"),
    ShockTarget(
        "housing_demand",
        "housing demand (residents' wish to buy: credit, expectations); moves housing "
        "investment and land prices, so land revenue",
        "住房需求(购房意愿:信贷、预期),影响住房投资与地价、土地出让收入",
    ),
    ShockTarget(
        "enterprise_entry",
        "incumbent firms crossing the above-scale threshold: moves only the count of "
        "above-scale firms, not output or above-scale value added (those firms produced "
        "before; attracted firms are the firms_attracted lever)",
        "现有企业达到规模以上标准的数量:只影响规上企业数,不影响产出和规上工业增加值"
        "(这些企业此前已在生产;新引进企业见 firms_attracted)",
    ),
)
SHOCK_BY_NAME = {s.name: s for s in SHOCK_TARGETS}

_SECTORS_EN = {"primary": "primary", "secondary": "secondary", "tertiary": "tertiary"}
_SECTORS_ZH = {"primary": "第一产业", "secondary": "第二产业", "tertiary": "第三产业"}
_CUR, _REAL, _NONE = "current prices", "2020 prices", "-"
_CAT_ZH = dict(
    zip(
        POOL_CATEGORIES,
        ("社会事业", "农林水", "生态保护", "工业", "服务业", "城建", "交通"),
        strict=True,
    )
)


def _build_indicators() -> tuple[Indicator, ...]:
    ind = [
        Indicator("gdp", "亿元", _CUR, "gross domestic product", "地区生产总值", True),
        Indicator("gdp_real", "亿元", _REAL, "GDP at 2020 prices", "地区生产总值(2020年价)", True),
        Indicator(
            "gdp_real_growth_pct",
            "%",
            _REAL,
            "real GDP growth on the year before",
            "地区生产总值实际增速",
            True,
        ),
        Indicator(
            "gdp_potential_real",
            "亿元",
            _REAL,
            "potential GDP: output with capacity at normal use and investment at its normal level",
            "潜在地区生产总值(2020年价)",
        ),
        Indicator(
            "output_gap_pct",
            "%",
            _REAL,
            "real GDP against potential GDP (the 2020 trough, demand deviations)",
            "产出缺口",
        ),
    ]
    for s in _SECTORS_EN:
        ind.append(
            Indicator(
                f"va_{s}",
                "亿元",
                _CUR,
                f"{s} value added",
                f"{_SECTORS_ZH[s]}增加值",
                s == "tertiary",
            )
        )
    for s in _SECTORS_EN:
        ind.append(
            Indicator(
                f"va_{s}_real",
                "亿元",
                _REAL,
                f"{s} value added at 2020 prices",
                f"{_SECTORS_ZH[s]}增加值(2020年价)",
            )
        )
    for s in _SECTORS_EN:
        ind.append(
            Indicator(
                f"share_{s}_pct",
                "%",
                _CUR,
                f"{s} share of GDP (nominal)",
                f"{_SECTORS_ZH[s]}占GDP比重",
                s != "primary",
            )
        )
    ind += [
        Indicator(
            "va_industry", "亿元", _CUR, "industry value added (part of secondary)", "工业增加值"
        ),
        Indicator(
            "va_construction",
            "亿元",
            _CUR,
            "construction value added (part of secondary)",
            "建筑业增加值",
        ),
        Indicator(
            "industrial_va_above_scale",
            "亿元",
            _CUR,
            "value added of above-scale industrial enterprises",
            "规模以上工业增加值",
            True,
        ),
        Indicator(
            "industrial_va_above_scale_growth_pct",
            "%",
            _REAL,
            "real growth of above-scale industrial value added",
            "规模以上工业增加值增速",
            True,
        ),
        Indicator(
            "industrial_va_above_scale_level_growth_pct",
            "%",
            _REAL,
            "growth of the published level of above-scale value added (new firms included)",
            "规模以上工业增加值总量增速(含新进规上企业)",
        ),
        Indicator(
            "industrial_output_above_scale",
            "亿元",
            _CUR,
            "gross output of above-scale industrial enterprises",
            "规模以上工业总产值",
        ),
        Indicator(
            "industrial_va_attracted",
            "亿元",
            _CUR,
            "value added of the attracted firms (part of industry and of above-scale industry)",
            "引进企业工业增加值",
        ),
        Indicator(
            "park_gross_output",
            "亿元",
            _CUR,
            "gross output of the industrial park (its incumbents and the attracted firms)",
            "产业园区总产值",
        ),
        Indicator(
            "enterprises_above_scale",
            "firms",
            _NONE,
            "above-scale industrial enterprises",
            "规模以上工业企业数",
        ),
        Indicator("fai", "亿元", _CUR, "fixed-asset investment", "固定资产投资"),
        Indicator(
            "pool_investment",
            "亿元",
            _CUR,
            "spending on the 14th FYP project pool realised: the planned path less what money "
            "and room in investment hold back, plus what waited when it is built",
            "项目库完成投资",
        ),
        Indicator(
            "pool_planned",
            "亿元",
            _CUR,
            "spending on the 14th FYP project pool as the plan schedules it (realisation, "
            "profile, delay, carry-over), before money and room hold any back",
            "项目库计划投资",
        ),
        Indicator(
            "public_investment",
            "亿元",
            _CUR,
            "public investment realised (infrastructure, social, ecological)",
            "公共投资",
        ),
    ]
    for c in POOL_CATEGORIES:
        ind.append(
            Indicator(
                f"fai_{c}",
                "亿元",
                _CUR,
                f"fixed-asset investment: {c}",
                f"固定资产投资:{_CAT_ZH[c]}",
            )
        )
    ind += [
        Indicator(
            "fiscal_revenue",
            "亿元",
            _CUR,
            "general public budget revenue",
            "一般公共预算收入",
            True,
        ),
        Indicator(
            "transfers_from_above",
            "亿元",
            _CUR,
            "transfers from higher-level governments",
            "上级转移支付",
        ),
        Indicator(
            "land_revenue",
            "亿元",
            _CUR,
            "land-transfer revenue (government fund budget)",
            "土地出让收入",
        ),
        Indicator(
            "fiscal_expenditure",
            "亿元",
            _CUR,
            "spending of the district account: current, capital (its share of public "
            "investment), R&D support, vouchers, interest",
            "财政支出",
            True,
        ),
        Indicator(
            "fiscal_balance",
            "亿元",
            _CUR,
            "budget revenue + transfers + land revenue - spending",
            "财政收支差额",
            True,
        ),
        Indicator(
            "government_debt",
            "亿元",
            _CUR,
            "government debt at the end of the year (start-year debt less the balances since)",
            "政府债务余额",
            True,
        ),
        Indicator(
            "population", "万人", _NONE, "resident population (annual average)", "常住人口", True
        ),
        Indicator("labour_force", "万人", _NONE, "labour force", "劳动力"),
        Indicator("employment", "万人", _NONE, "employment", "就业人数", True),
    ]
    for s in _SECTORS_EN:
        ind.append(
            Indicator(
                f"employment_{s}",
                "万人",
                _NONE,
                f"employment in the {s} sector",
                f"{_SECTORS_ZH[s]}就业",
            )
        )
    ind += [
        Indicator(
            "employment_construction",
            "万人",
            _NONE,
            "employment in construction (part of secondary)",
            "建筑业就业",
        ),
        Indicator("unemployment_rate_pct", "%", _NONE, "unemployment rate", "城镇登记失业率", True),
        Indicator(
            "natural_unemployment_rate_pct",
            "%",
            _NONE,
            "unemployment when output is at potential (from the start record and the trough)",
            "自然失业率",
        ),
        Indicator(
            "vacancies",
            "persons",
            _NONE,
            "posts offered and not filled: labour demand beyond what the labour force fills "
            "(matching frictions, docs/model.md §6); each costs output",
            "岗位空缺数",
        ),
        Indicator(
            "vacancies_per_unemployed",
            "ratio",
            _NONE,
            "vacancies per registered unemployed person: the posts employers offer beyond what "
            "the labour force fills at the natural rate (0 without a labour shortage); not the "
            "job-to-seeker ratio of the public employment services, 求人倍率, which counts the "
            "posts and seekers registered with them and is usually above 1 without a shortage",
            "岗位空缺与登记失业人数之比",
        ),
        Indicator(
            "new_urban_jobs",
            "persons",
            _NONE,
            "gross new urban jobs in the year (hires beyond replacement of leavers included; "
            "re-hiring after a fall counts)",
            "新增城镇就业",
        ),
        Indicator(
            "new_urban_jobs_cumulative",
            "persons",
            _NONE,
            "gross new urban jobs cumulated from 2021",
            "累计新增城镇就业",
        ),
        Indicator(
            "retail_sales",
            "亿元",
            _CUR,
            "retail sales of consumer goods",
            "社会消费品零售总额",
            True,
        ),
        Indicator(
            "household_consumption",
            "亿元",
            _CUR,
            "household consumption of residents",
            "居民消费支出",
        ),
        Indicator(
            "services_share_of_consumption_pct",
            "%",
            _NONE,
            "services share of household consumption",
            "居民服务性消费占比",
        ),
        Indicator(
            "visitor_spending",
            "亿元",
            _CUR,
            "spending of visitors (tourism) in the district",
            "游客消费",
        ),
        Indicator("gdp_per_capita", "yuan", _CUR, "GDP per resident", "人均地区生产总值"),
        Indicator(
            "disposable_income_per_capita",
            "yuan",
            _CUR,
            "disposable income per resident",
            "居民人均可支配收入",
        ),
        Indicator("rd_intensity_pct", "%", _NONE, "R&D spending / GDP", "研发经费投入强度"),
        Indicator(
            "capital_primary",
            "亿元",
            _REAL,
            "productive capital, primary sector",
            "第一产业资本存量",
        ),
        Indicator(
            "capital_industry", "亿元", _REAL, "productive capital, industry", "工业资本存量"
        ),
        Indicator(
            "capital_tertiary",
            "亿元",
            _REAL,
            "productive capital, tertiary sector",
            "第三产业资本存量",
        ),
        Indicator(
            "capital_housing",
            "亿元",
            _REAL,
            "housing and urban construction stock",
            "住房与城市建设存量",
        ),
        Indicator(
            "capital_public", "亿元", _REAL, "public capital (infrastructure)", "公共资本存量"
        ),
        Indicator(
            "tfp_primary",
            "index 2020=1",
            _NONE,
            "total factor productivity, primary",
            "第一产业全要素生产率",
        ),
        Indicator(
            "tfp_industry",
            "index 2020=1",
            _NONE,
            "total factor productivity, industry",
            "工业全要素生产率",
        ),
        Indicator(
            "tfp_tertiary",
            "index 2020=1",
            _NONE,
            "total factor productivity, tertiary",
            "第三产业全要素生产率",
        ),
    ]
    return tuple(ind)


INDICATORS: tuple[Indicator, ...] = _build_indicators()
INDICATOR_BY_NAME: dict[str, Indicator] = {i.name: i for i in INDICATORS}
HEADLINE: tuple[str, ...] = tuple(i.name for i in INDICATORS if i.headline)


def lever_default(lever: Lever, params: dict, base: dict, levers: dict | None = None):
    """The business-as-usual value of ``lever`` in the user's unit.

    ``params`` maps parameter names to values, ``base`` the 2020 base figures, and ``levers``
    the values a scenario already set (a category's realisation defaults to the scenario's
    ``plan_realisation``).
    """
    d = lever.default
    if not isinstance(d, str):
        return d
    if d.startswith("base:"):
        return base[d.removeprefix("base:")]
    if d == "investment.plan_realisation":
        if levers is not None and "plan_realisation" in levers:
            return levers["plan_realisation"]
        return params["investment.bau_realisation"]
    return params[d]


#: The price bases of the catalogue in Chinese.
PRICE_BASIS_ZH = {"current prices": "现价", "2020 prices": "2020年价"}
#: The units of the catalogue in Chinese (those not listed are the same in both).
UNIT_ZH = {
    "persons": "人",
    "yuan": "元",
    "firms": "家",
    "projects": "个",
    "index 2020=1": "指数, 2020=1",
    "ratio": "比值",
}
#: Units of growth a year (the growth a target still needs) in Chinese.
GROWTH_UNITS_ZH = {
    "%/yr": "%/年",
    "pp/yr": "个百分点/年",
    "% each year": "%(每年)",
    "persons/yr": "人/年",
    "firms/yr": "家/年",
}


def in_chinese(part: str) -> str:
    """A unit, a price basis or a unit of growth of the catalogue in Chinese ("firms" 家,
    "current prices" 现价, "pp/yr" 个百分点/年); anything else as it is."""
    return UNIT_ZH.get(part) or PRICE_BASIS_ZH.get(part) or GROWTH_UNITS_ZH.get(part) or part


def unit_label(name: str, translate=None) -> str:
    """The unit of indicator ``name`` as tables and charts label it: ``"亿元, current prices"``,
    ``"亿元, 2020 prices"``, ``"%"`` for rates and shares, ``"%, 2020 prices"`` for real growth,
    ``"万人"``. ``translate`` (a function of one part) translates the unit and the price basis;
    ``translate="zh"`` writes them in Chinese (``"亿元, 现价"``) with :func:`in_chinese`.
    """
    ind = INDICATOR_BY_NAME[name]
    parts = [ind.unit]
    if ind.price_basis not in ("-", "") and (ind.unit != "%" or ind.price_basis == _REAL):
        parts.append(ind.price_basis)
    if translate == "zh":
        return ",".join(in_chinese(p) for p in parts)
    return ", ".join(translate(p) if translate else p for p in parts)


_WORDS = re.compile(r"[a-z0-9]+|[^\x00-\x7f]+")


def _words(text: str) -> list[str]:
    return _WORDS.findall(text.lower())


def _likeness(name: str, choice: str, floor: float = 0.0) -> tuple[bool, float]:
    """How alike a name and a valid name are: whether every word of the name is a word of the
    valid name, and a score from 0 to 1, the better of the whole strings' likeness and their
    words' (in any order, each word alike at 0.8 or better). So ``tertiary_share`` finds
    ``share_tertiary_pct`` first, ``depreciation`` finds ``capital.depreciation`` and
    ``income`` finds ``disposable_income_per_capita``.

    A score below ``floor`` is only known to be below it (the strings' likeness is not
    computed where their lengths alone keep it under the floor)."""
    whole = _ratio(name.lower(), choice.lower(), floor)
    a, b = _words(name), _words(choice)
    if not a or not b:
        return False, whole
    matched = 0.0
    for w in a:
        best = max(_ratio(w, v, 0.8) for v in b)
        matched += best if best >= 0.8 else 0.0
    words = 2 * matched / (len(a) + len(b))
    if all(w in b for w in a):
        return True, max(whole, 0.6 + 0.4 * words)
    return False, max(whole, words)


def _ratio(a: str, b: str, floor: float) -> float:
    """``difflib.SequenceMatcher(None, a, b).ratio()``, or 0.0 where it cannot reach ``floor``.

    The ratio is 2 M / (len a + len b) with M characters matched, and M is at most the
    shorter length and at most the characters the two strings have in common, counted with
    repetition: both bounds cost far less than the matching itself."""
    n = len(a) + len(b)
    if n and floor > 0.0:
        # (divided as difflib divides, 2.0 * matches / n, so that a bound equal to the
        # ratio compares alike)
        if 2.0 * min(len(a), len(b)) / n < floor:
            return 0.0
        common = sum(min(a.count(ch), b.count(ch)) for ch in set(a))
        if 2.0 * common / n < floor:
            return 0.0
    return difflib.SequenceMatcher(None, a, b).ratio()


def _meanings() -> dict[str, tuple[str, ...]]:
    """The meanings, in English and Chinese, of every name the catalogue declares."""
    items = (*LEVERS, *INDICATORS, *SHOCK_TARGETS)
    return {item.name: (item.meaning_en, item.meaning_zh) for item in items}


def closest(name, choices, n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The valid names most like ``name``, best first (at most ``n``): those that hold every
    word of it before the others. A name of the catalogue is also found by its meaning, as
    a whole or a part of it (``第三产业占GDP比重`` finds ``share_tertiary_pct``, ``消费券``
    finds ``vouchers``)."""
    name = str(name)
    meanings = _meanings()
    scored = []
    # (scores below the cutoff are dropped, so they need not be exact; see _likeness)
    for c in map(str, choices):
        whole_word, score = _likeness(name, c, cutoff)
        for text in (t.lower() for t in meanings.get(c, ())):
            score = max(score, _ratio(name.lower(), text, max(score, cutoff)))
            if len(name) > 1 and name.lower() in text:  # 消费券 in 每年发放的消费券
                score = max(score, 0.6 + 0.4 * len(name) / len(text))
        scored.append((whole_word, score, c))
    scored.sort(key=lambda sc: (not sc[0], -sc[1]))
    return [c for _, score, c in scored if score >= cutoff][:n]


def holds_words(row: dict, words) -> bool:
    """Whether every one of ``words`` (a string or several) is part of the row's ``name``,
    ``meaning_en`` or ``meaning_zh``, whatever the case: how ``hubinsim levers`` and
    ``hubinsim indicators`` pick the rows a search names. A word of a name's parts, as
    ``tertiary_share``, is its parts: it finds ``share_tertiary_pct``."""
    if isinstance(words, str):
        words = [words]
    words = [part for w in words for part in re.split(r"[\s_]+", w) if part]
    text = " ".join(str(row.get(k, "")) for k in ("name", "meaning_en", "meaning_zh")).lower()
    return all(w.lower() in text for w in words)


def suggest(name, choices, lang: str = "en") -> str:
    """' (did you mean ...?)' with the closest valid names, or '' ("(是否指 ...?)" under
    ``lang`` "zh")."""
    close = closest(name, choices) if isinstance(name, str) and name else []
    if not close:
        return ""
    if lang == "zh":
        return f"(是否指 {'、'.join(repr(c) for c in close)}?)"
    return f" (did you mean {', '.join(repr(c) for c in close)}?)"
