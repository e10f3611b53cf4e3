"""The evaluation folder ``<out>/evaluate-<scenario>/``: the evaluation table for a reader.

- ``evaluation.csv``: the table, UTF-8 with a byte-order mark (Excel opens the Chinese); the
  columns of :attr:`Evaluation.table` as headers (Chinese headers under ``lang="zh"``);
- ``evaluation.xlsx``: one sheet per table (the evaluation, the annual path, the actual
  figures used, the restart record or the add-factors, the assumptions and rules, the run
  record), headers in the language asked, numbers rounded for reading, units in the
  headers, columns sized, the header row frozen;
- ``annual_path.csv``: the annual path (:func:`path_readable`: years 2020 to the run's end,
  each actual or re-projected, GDP, growth, the sectors, jobs, revenue, investment,
  population and the targets' indicators), as the workbook's sheet, UTF-8 with a BOM;
- ``evaluation.md``: the table, the annual path, the rules and the assumptions, in Markdown;
- ``evaluation.html``: one self-contained page (no network): the table, the annual path, a
  chart per indicator (PNG embedded), the actual figures, the anchor, the assumptions, the
  rules and the run record;
- ``charts/<indicator>.png`` and ``run.json``.

The folder is written atomically (:func:`~hubinsim.io.folders.atomic_folder`).
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
import re
import time
from pathlib import Path

import pandas as pd

from ..catalog import INDICATOR_BY_NAME, UNIT_ZH
from ..defaults import DEFAULT_OUT
from ..formats import percent_rounded, probability_rounded
from ..results import DECIDED_LEGEND, DECIDED_ZH, plan_source_zh
from .charts import DPI, save_figures
from .folders import Written, atomic_folder, check_writer, safe_name, write_csv
from .record import run_json, write_json

#: Headers of every table, in English and Chinese; a unit in brackets where one applies.
HEADERS: dict[str, tuple[str, str]] = {
    "indicator": ("indicator", "指标代码"),
    "name": ("name", "指标名称"),
    "unit": ("unit", "单位"),
    "kind": ("kind", "属性"),
    "plan": ("plan", "规划"),
    "base_year": ("base year", "基数年份"),
    "base": ("base", "基数"),
    "target": ("target", "目标值"),
    "comparison": ("comparison", "目标要求"),
    "target_year": ("target year", "目标年份"),
    "latest_actual": ("latest actual", "最新实际值"),
    "latest_year": ("latest year", "最新年份"),
    "latest_status": ("latest status", "最新值性质"),
    "target_progress_pct": ("target progress (%)", "目标进度(%)"),
    "completion_pct": ("completion rate (%)", "完成率(%)"),
    "time_progress_pct": ("time progress (%)", "时间进度(%)"),
    "projected": ("projected", "预测值"),
    "probability_pct": ("probability of meeting (%)", "达标概率(%)"),
    "growth_needed": ("growth needed", "所需年均增长"),
    "growth_projected": ("growth projected", "预测年均增长"),
    "growth_unit": ("growth unit", "增长单位"),
    "verdict": ("verdict", "评估结论"),
    "verdict_zh": ("verdict (zh)", "评估结论(中文)"),
    "reason": ("rule applied", "依据"),
    "estimate_check": ("estimate against the re-projection", "估计值与重新预测"),
    "marks": ("marks", "标注"),
    "decided_by": ("decided by", "决定因素"),
    "source": ("source", "来源"),
    "year": ("year", "年份"),
    "period": ("period", "期间"),
    "basis": ("basis", "口径"),
    "value": ("value", "数值"),
    "vintage": ("vintage", "版本"),
    "status": ("status", "性质"),
    "note": ("note", "说明"),
    "line": ("line in file", "文件行号"),
    "figure": ("record figure", "起步记录项"),
    "actual": ("actual", "实际值"),
    "model": ("model", "模型值"),
    "add_factor": ("add-factor", "加因子"),
    "zero_from": ("zero from", "归零年份"),
    "item": ("item", "项目"),
}
_STATUS_ZH = {"actual": "实际", "estimate": "估计", "model": "模型", "unused": "未使用"}
#: Values of the tables' columns in Chinese, by column (the codes of indicators stay).
_VALUES_ZH: dict[str, dict[str, str]] = {
    "status": _STATUS_ZH,
    "latest_status": _STATUS_ZH,
    "basis": {
        "level": "总量(现价)",
        "real_growth_pct": "可比价增速(%)",
        "nominal_growth_pct": "现价增速(%)",
        "share_pct": "比重(%)",
        "level (built)": "总量(由增速推算)",
        "level (derived)": "总量(由比重或总量推算)",
    },
    "period": {"year": "全年", "Q1": "一季度", "H1": "上半年", "Q1-Q3": "前三季度"}
    | {f"M1-M{m}": f"1-{m}月" for m in range(2, 12)},
    "vintage": {
        "preliminary": "初步核算",
        "revised": "修订",
        "final": "最终核实",
        "census": "经济普查",
    },
    "kind": {"ratio": "比例", "points": "百分点", "count": "累计数(不递减)"},
    "decided_by": DECIDED_ZH,
    "unit": UNIT_ZH,
}
#: The figures of the restart record that are no indicator of the catalogue, in Chinese.
RECORD_NAMES_ZH = {
    "construction_share_of_secondary": "建筑业占第二产业增加值比重",
    "working_age_share": "劳动年龄人口占比",
    "participation_rate": "劳动参与率",
    "employment_share_primary": "第一产业就业占比",
    "employment_share_secondary": "第二产业就业占比",
    "employment_share_tertiary": "第三产业就业占比",
    "employment_share_construction": "建筑业就业占第二产业就业比重",
    "consumption_propensity": "居民消费倾向",
    "services_share_of_consumption": "服务消费占居民消费比重",
}
#: Stocks of the restart record a restart may change (the attracted firms, scaled with an
#: actual above-scale figure): name -> (Chinese name, unit of the catalogue).
RECORD_STOCKS = {
    "capital_cohort": ("引进企业资本存量(2020年价格)", "亿元"),
    "cohort_pipeline": ("引进企业已承诺未建成的投资", "亿元"),
    "enterprises_attracted": ("引进的规上工业企业数", "firms"),
}
#: The run record's keys and words in Chinese (the sheet 运行记录).
RUN_KEYS_ZH = {
    "hubinsim_version": "hubinsim 版本",
    "scenario": "情景",
    "scenario_source": "情景文件",
    "actuals": "实际数据文件",
    "actuals_sha256": "实际数据文件 SHA-256",
    "actuals_illustrative": "是否为示例数据",
    "anchor": "重新预测方式",
    "start_year": "重新起步年份",
    "as_of": "实际数据截至",
    "vintage": "数据版本",
    "draws": "抽样次数",
    "seed": "随机种子",
    "targets": "目标文件",
    "rules": "结论规则参数",
    "timestamp": "生成时间(世界协调时)",
    "margin_pp": "进度容差(百分点)",
    "growth_gap_pct": "增速差距阈值(百分点)",
    "points_gap_share": "比重差距阈值(所需年均提高幅度的比例)",
    "count_gap_share": "累计数差距阈值(所需年均的比例)",
    "every_year_pp": "逐年目标容差(百分点)",
    "p_on_track": "符合预期的达标概率下限",
    "p_at_risk": "难以完成的达标概率上限",
}
_RUN_VALUES_ZH = {
    "restart": "重新起步",
    "latest": "最新版本",
    "given in Python": "在 Python 中给出",
}


def name_zh(code: str) -> str:
    """The Chinese name of an indicator or of a figure of the restart record."""
    ind = INDICATOR_BY_NAME.get(code)
    if ind is not None:
        return ind.meaning_zh
    return RECORD_STOCKS[code][0] if code in RECORD_STOCKS else RECORD_NAMES_ZH.get(code, code)


_SHEETS = {
    "evaluation": ("evaluation", "评估表"),
    "path": ("annual path", "年度路径"),
    "actuals": ("actuals used", "所用实际数据"),
    "record": ("restart record", "重新起步记录"),
    "factors": ("add-factors", "加因子"),
    "assumptions": ("assumptions and rules", "假设与规则"),
    "run": ("run record", "运行记录"),
}
_TITLES = {
    "en": {
        "title": "Plan evaluation: {scenario}",
        "table": "Evaluation table",
        "path": "Annual path",
        "charts": "Charts",
        "actuals": "Actual figures used",
        "record": "Restart record (start year {year})",
        "factors": "Add-factors",
        "assumptions": "Assumptions",
        "rules": "Verdict rules",
        "checks": "Checks of the re-projection against the actual figures",
        "not_evaluated": "Plan targets not evaluated",
        "run": "Run record",
        "lede": "Scenario {scenario}, {anchor}, actual figures to {as_of}.",
    },
    "zh": {
        "title": "规划实施评估:{scenario}",
        "table": "评估表",
        "path": "年度路径",
        "charts": "图表",
        "actuals": "所用实际数据",
        "record": "重新起步记录({year}年)",
        "factors": "加因子",
        "assumptions": "假设",
        "rules": "评估结论规则",
        "checks": "重新预测与实际数据的核对",
        "not_evaluated": "未纳入评估的规划指标",
        "run": "运行记录",
        "lede": "情景 {scenario},{anchor},实际数据截至{as_of}年。",
    },
}


def evaluation_folder(out, scenario_name: str) -> Path:
    """``<out>/evaluate-<scenario-name>``."""
    return Path(out) / f"evaluate-{safe_name(scenario_name)}"


def _header(col: str, lang: str) -> str:
    pair = HEADERS.get(col)
    return col if pair is None else pair[1 if lang == "zh" else 0]


#: The header of ``projected`` with draws: the ensemble median, as the probability is.
_MEDIAN_HEADER = ("projected, median of {n} draws", "预测值({n}次抽样中位数)")

#: Columns of whole years (and file lines), written without decimals.
_WHOLE = ("base_year", "target_year", "latest_year", "year", "zero_from", "line")
#: Columns in the unit of their row (the column ``unit``, else the indicator's or figure's).
_IN_ROW_UNIT = ("base", "target", "latest_actual", "projected", "actual", "model", "value")
#: Columns of percentages of progress and probability: one decimal.
_PERCENT = ("target_progress_pct", "completion_pct", "time_progress_pct")
#: Units of counts, written as whole numbers.
_COUNTS = ("persons", "firms", "yuan", "人", "家", "元")


def _unit_decimals(unit) -> int:
    """Decimals for reading a figure in ``unit``: none for counts (persons, firms), two for
    亿元, 万人, percentages and the rest."""
    return 0 if str(unit).split("/")[0] in _COUNTS else 2


def _row_unit(row: pd.Series) -> str | None:
    """The unit of a row of a table of the evaluation: its column ``unit``, else the unit of
    its indicator or record figure (None for a fraction of the record: 0.23)."""
    if isinstance(row.get("unit"), str):
        return row["unit"]
    code = row.get("indicator", row.get("figure"))
    ind = INDICATOR_BY_NAME.get(code) if isinstance(code, str) else None
    return ind.unit if ind is not None else None


#: A probability not given although there are draws (a row decided by the scenario's
#: assumptions without an actual figure, a year that is over): its marks or reason say why.
NO_PROBABILITY = "—"


def for_reading(df: pd.DataFrame, draws: int | None = None) -> pd.DataFrame:
    """A table of the evaluation rounded for reading: years whole; figures to two decimals
    (counts of persons and firms whole, a fraction of the restart record three); progress
    and probability to one decimal; an add-factor ratio four. With ``draws``, a row without
    a probability shows :data:`NO_PROBABILITY`."""
    out = df.copy()
    for col in _WHOLE:
        if col in out:
            out[col] = pd.to_numeric(out[col], errors="coerce").round().astype("Int64")
    for col in _PERCENT:
        if col in out:
            out[col] = [percent_rounded(v, 1) for v in out[col].astype(float)]
    if "probability_pct" in out:
        out["probability_pct"] = [
            NO_PROBABILITY if draws and not math.isfinite(v) else probability_rounded(v)
            for v in out["probability_pct"].astype(float)
        ]
    units = [_row_unit(r) for _, r in out.iterrows()]
    for col in _IN_ROW_UNIT:
        if col in out and pd.api.types.is_numeric_dtype(out[col]):
            decimals = [3 if u is None else _unit_decimals(u) for u in units]
            out[col] = [_rounded(v, d) for v, d in zip(out[col], decimals, strict=True)]
    for col in ("growth_needed", "growth_projected"):
        if col in out:
            decimals = [_unit_decimals(u) for u in out["growth_unit"]]
            out[col] = [_rounded(v, d) for v, d in zip(out[col], decimals, strict=True)]
    if "add_factor" in out:
        out["add_factor"] = [
            _rounded(v, 4 if k == "ratio" else 2)
            for v, k in zip(out["add_factor"], out["kind"], strict=True)
        ]
    return out


def _rounded(value, decimals: int):
    """``value`` rounded to ``decimals`` (a whole number as an int); NaN as it is."""
    if not isinstance(value, int | float) or not math.isfinite(value):
        return value
    return int(round(value)) if decimals == 0 else round(float(value), decimals)


def shown(value) -> str:
    """A rounded figure as a person reads it: thousands separated, no trailing zeros
    ("57.8", "35,000", "1.0234"); a whole number (a year) as it is; empty for NaN."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    return str(value).replace("|", "/")


#: The basis of a figure given as it is (not as a growth rate), in Chinese, by the unit of its
#: indicator: a rate or share is no 总量, and a count of persons or firms has no prices.
_LEVEL_BASES = ("level", "level (built)", "level (derived)")


def _basis_zh(basis, indicator) -> str:
    """The 口径 of a figure of ``indicator`` given on ``basis``, in Chinese."""
    zh = _VALUES_ZH["basis"].get(basis, basis)
    info = INDICATOR_BY_NAME.get(indicator) if isinstance(indicator, str) else None
    if basis not in _LEVEL_BASES or info is None:
        return zh
    if info.unit == "%":
        word = "比重" if "share" in indicator else "比率"
        how = {"level": "(%)", "level (built)": "(由增速推算)", "level (derived)": "(由总量推算)"}
        return word + how[basis]
    if info.unit in ("persons", "firms", "万人"):
        return zh.replace("总量(现价)", "总量")
    return zh


def _readable(df: pd.DataFrame, lang: str, draws: int | None = None) -> pd.DataFrame:
    """A copy with headers in ``lang`` and statuses in Chinese under zh; with ``draws`` the
    header of ``projected`` says it is the median of the draws."""
    out = for_reading(df, draws)
    if lang == "zh":
        out = out.drop(columns=["verdict_zh"], errors="ignore")  # the verdict is in Chinese
        if "basis" in out and "indicator" in out:  # a rate's or share's level is no 总量
            out["basis"] = [
                _basis_zh(b, i) for b, i in zip(out["basis"], out["indicator"], strict=True)
            ]
        for col, words in _VALUES_ZH.items():
            if col in out:
                out[col] = out[col].map(lambda s, w=words: w.get(s, s) if isinstance(s, str) else s)
        if "note" in out:
            out["note"] = out["note"].map(_note_zh)
        if "source" in out:
            out["source"] = out["source"].map(
                lambda s: _ILLUSTRATIVE_ZH[s] if s in _ILLUSTRATIVE_ZH else plan_source_zh(s)
            )
        for code in ("figure", "indicator"):  # the name first, for a reader; the code after
            if code in out and "name" not in out:
                out.insert(0, "name", out[code].map(name_zh))
            elif code in out:
                out = out[["name", *(c for c in out.columns if c != "name")]]
    median = _MEDIAN_HEADER[1 if lang == "zh" else 0].format(n=draws)
    out.columns = [median if c == "projected" and draws else _header(c, lang) for c in out.columns]
    return out


#: The source of an illustrative figure (examples/actuals_illustrative.csv's), in Chinese.
ILLUSTRATIVE_SOURCE_ZH = "示例数据:由本模型生成,并非公布数据"
_ILLUSTRATIVE_SOURCE = "illustrative: made with hubinsim, not a published figure"
#: The sources of the examples' illustrative figures, in Chinese.
_ILLUSTRATIVE_ZH = {
    _ILLUSTRATIVE_SOURCE: ILLUSTRATIVE_SOURCE_ZH,
    "illustrative: not a published figure": "示例数据:并非公布数据",
}


#: Notes of the evaluation with figures in them, and their Chinese.
_NOTES_ZH = (
    (
        r"a level of a period to date is no full-year level: read, not used",
        r"期间累计总量不是全年总量:已读取,未使用",
    ),
    (r"(\w+) added up (\d{4})-(\d{4})", r"\1 \2-\3年逐年相加"),
    (
        r"the latest actual \((\d{4})\) carried to (\d{4}): a figure the lever (\w+) sets, "
        r"not the model",
        r"\1年最新实际值沿用至\2年(由政策杠杆 \3 设定,模型不推算)",
    ),
    (r"(\w+) / gdp of the original run x the actual gdp", r"按原始运行的 \1 与GDP之比乘实际GDP"),
    (
        r"; the debt limit held public investment back, and its borrowing set the balance",
        r";债务限额约束了公共投资,余额由限额内的举债决定",
    ),
    (
        r"fiscal_balance with the original run's spending at the revenue given",
        r"按所给收入推算,支出保持原始运行的数值",
    ),
    (
        r"unemployment_rate_pct with the original run's employment per working-age resident",
        r"由实际失业率推算,每个劳动年龄人口的就业人数保持原始运行的数值",
    ),
    (
        r"the original run's attracted firms x ([\d.]+): the above-scale value added given "
        r"\(([\d.]+)\) leaves them ([\d.e+-]+) of the run's ([\d.e+-]+), with the incumbents at "
        r"the run's figure scaled with the industrial value added",
        r"原始运行的引进企业 × \1:所给规上工业增加值(\2)扣除现有企业(原始运行的数值按工业"
        r"增加值调整)后留给引进企业 \3,原始运行为 \4",
    ),
    (
        r"the debt the original run reports for the year, less what the start year's balance "
        r"adds to the run's \(its mid-year state: ([\d.e+-]+)\)",
        r"原始运行报告的该年债务余额,减去起步年份收支差额相对原始运行的增加额(年中存量:\1)",
    ),
    (r" \+ the original run's new firms \(([\d.e+-]+)\)", r" + 原始运行当年新增企业(\1)"),
    (
        r"(\w+) / gdp \(the share given, ([\d.]+) %, disagrees\)",
        r"\1 / gdp(所给比重 \2% 与总量不符)",
    ),
)


def _note_zh(note):
    """A note of the figures used or of the restart record, its standard phrases in
    Chinese (the arithmetic of a built level stays as written)."""
    if not isinstance(note, str):
        return note
    for period, zh in sorted(_VALUES_ZH["period"].items(), key=lambda kv: -len(kv[0])):
        note = note.replace(f"estimate from {period}", f"由{zh}累计增速估计")
    for vintage, zh in _VALUES_ZH["vintage"].items():
        if note.startswith(f"{vintage}, ") or note == vintage:
            note = zh + note[len(vintage) :]
    for pattern, zh in _NOTES_ZH:
        note = re.sub(pattern, zh, note)
    note = re.sub(r"\b[a-z][a-z0-9_]*[a-z0-9]\b", lambda m: _code_zh(m.group(0)), note)
    for source, zh in _ILLUSTRATIVE_ZH.items():
        note = note.replace(f", {source}", f",{zh}").replace(source, zh)
    note = (
        note.replace(" x ", " × ")
        .replace("carried from the original run", "沿用原始运行的数值")
        .replace("nominal growth", "现价增速")
        .replace("real growth", "可比价增速")
        .replace("the model's", "模型的")
        .replace("deflator", "平减指数")
        .replace("the original run's tertiary share", "原始运行的第三产业比重")
        .replace("of the actual GDP", "乘实际GDP")
    )
    # no space inside Chinese words: 模型的第二产业增加值平减指数(+1.00 %)
    note = re.sub(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])", "", note)
    return re.sub(r"(?<=[\u4e00-\u9fff]) \(([^()]*)\)", r"(\1)", note)


def _code_zh(word: str) -> str:
    """A code of an indicator or record figure in a note, by its Chinese name."""
    if word in INDICATOR_BY_NAME or word in RECORD_NAMES_ZH or word in RECORD_STOCKS:
        return name_zh(word)
    return word


def _run_rows(record: dict, lang: str) -> list[tuple[str, object]]:
    """The run record as (key, value) rows; under zh the keys, the rules one by one and the
    words in Chinese."""
    if lang != "zh":
        return [
            (
                k,
                json.dumps(v, ensure_ascii=False)
                if isinstance(v, dict | list)
                else "single run (no draws)"
                if k in ("draws", "seed") and v is None
                else v,
            )
            for k, v in record.items()
        ]
    rows = []
    for k, v in record.items():
        if isinstance(v, dict):
            rows += [(f"{RUN_KEYS_ZH.get(k, k)}:{RUN_KEYS_ZH.get(r, r)}", x) for r, x in v.items()]
            continue
        if k == "anchor" and isinstance(v, str) and v.startswith("fade="):
            v = f"加因子({v.removeprefix('fade=')}年内递减为零)"
        if isinstance(v, bool):
            v = "是" if v else "否"
        if k in ("draws", "seed") and v is None:  # no draws: nothing left empty
            v = "单次运行(无抽样)"
        rows.append((RUN_KEYS_ZH.get(k, k), _RUN_VALUES_ZH.get(v, v) if isinstance(v, str) else v))
    return rows


#: The annual path's own headers and words (:func:`path_readable`), in English and Chinese.
_PATH_WORDS = {
    "actual_figures": ("actual figures", "实际数据"),  # the illustrative column's header
    "status": ("actual or re-projected", "实际/重新预测"),
    "model_figures": ("the model's figures in an actual year", "实际年份中的模型值"),
    "estimated_figures": ("built from the actual figures", "由实际数据推算"),
    "actual": ("actual", "实际"),
    "re-projected": ("re-projected", "重新预测"),
    "median": ("re-projected (median of {n} draws)", "重新预测({n}次抽样中位数)"),
    "model_median": (
        "the model's figures in an actual year (median of {n} draws)",
        "实际年份中的模型值({n}次抽样中位数)",
    ),
}


#: English names of the annual path where the catalogue's meaning is not a name: the ratio's
#: meaning explains how it compares with 求人倍率 (docs/model.md §6), more than a header and
#: each year's list of the model's figures can carry; the unemployment rate is the registered
#: urban one, as the Chinese name says.
_PATH_NAMES_EN = {
    "vacancies_per_unemployed": "vacancies per registered unemployed person",
    "unemployment_rate_pct": "registered urban unemployment rate",
}


def path_name(code: str, lang: str) -> str:
    """The name of an indicator in the annual path, in ``lang``."""
    if lang == "zh":
        return name_zh(code)
    return _PATH_NAMES_EN.get(code, INDICATOR_BY_NAME[code].meaning_en)


def path_header(code: str, lang: str) -> str:
    """The header of an indicator in the annual path: its name and unit, "gross domestic
    product (亿元)", "规模以上工业企业数(家)"."""
    unit = INDICATOR_BY_NAME[code].unit
    if lang == "zh":
        return f"{path_name(code, lang)}({UNIT_ZH.get(unit, unit)})"
    return f"{path_name(code, lang)} ({unit})"


def path_readable(ev, lang: str) -> pd.DataFrame:
    """The annual path (:meth:`~hubinsim.Evaluation.path_table`) for a reader: readable
    headers with units in ``lang``, each year marked actual or re-projected (with draws "the
    median of N draws"), the figures rounded by their unit (counts whole, the rest two
    decimals), the model's (with draws, the members' median) and the estimated figures of an
    actual year by name."""
    zh = lang == "zh"
    table = ev.path_table()
    draws = ev.record.get("draws")
    words = {k: v[zh] for k, v in _PATH_WORDS.items()}
    if draws:
        words["re-projected"] = words["median"].format(n=draws)
        words["model_figures"] = words["model_median"].format(n=draws)
    out = pd.DataFrame({_header("year", lang): table["year"].astype(int)})
    out[words["status"]] = table["status"].map(words)
    codes = [c for c in table.columns if c in INDICATOR_BY_NAME]
    for code in codes:
        places = _unit_decimals(INDICATOR_BY_NAME[code].unit)
        out[path_header(code, lang)] = [_rounded(v, places) for v in table[code].astype(float)]
    sep = "、" if zh else ", "
    for col in ("model_figures", "estimated_figures"):
        out[words[col]] = [
            sep.join(path_name(c, lang) for c in cell.split(", ")) if cell else ""
            for cell in table[col]
        ]
    return out


def _path_decimals(ev, lang: str) -> dict[str, int]:
    """The decimals of each figure's column of the annual path, by its header."""
    table = ev.path_table()
    return {
        path_header(c, lang): _unit_decimals(INDICATOR_BY_NAME[c].unit)
        for c in table.columns
        if c in INDICATOR_BY_NAME
    }


def path_texts(ev, lang: str) -> pd.DataFrame:
    """The annual path (:func:`path_readable`) as the texts of the Markdown and the page: each
    figure's column with the decimals of its unit, as the workbook's, thousands separated
    ("289.30", "25,711"); the year as it is."""
    table = path_readable(ev, lang)
    out = table.astype(object).map(shown)
    for col, places in _path_decimals(ev, lang).items():
        out[col] = [
            f"{float(v):,.{places}f}" if isinstance(v, int | float) and math.isfinite(v) else ""
            for v in table[col]
        ]
    return out


def _tables(ev, lang: str, timestamp: str | None = None) -> dict[str, pd.DataFrame]:
    """The sheets: key -> table with headers in ``lang``; ``timestamp`` (run.json's) in the
    run record."""
    t = _TITLES[lang]
    notes = [(t["checks"], c) for c in ev.checks] + [(t["assumptions"], a) for a in ev.assumptions]
    notes += [(t["rules"], r) for r in ev.rules]
    notes += [(t["rules"], DECIDED_LEGEND[lang == "zh"])]
    if ev.not_evaluated:
        notes += [(t["not_evaluated"], ev.not_evaluated)]
    item = _header("item", lang)
    assumptions = pd.DataFrame(notes, columns=[item, _header("note", lang)])
    if timestamp and lang == "zh":  # 2026-12-06 02:10:35, the time of run.json
        timestamp = timestamp.replace("T", " ").removesuffix("+00:00")
    stamp = {"timestamp": timestamp} if timestamp else {}
    run = pd.DataFrame(_run_rows(ev.record | stamp, lang), columns=[item, _header("value", lang)])
    anchor_key = "record" if ev.start_year is not None else "factors"
    return {
        "evaluation": _readable(ev.table, lang, ev.record.get("draws")),
        "path": path_readable(ev, lang),
        "actuals": _readable(in_table_order(ev.actuals_used, ev.table), lang),
        anchor_key: _readable(_anchor_table(ev), lang),
        "assumptions": assumptions,
        "run": run,
    }


def _anchor_table(ev) -> pd.DataFrame:
    """The restart record with its units (:func:`record_in_units`), or the add-factors."""
    return ev.anchor_table if ev.start_year is None else record_in_units(ev.anchor_table)


def in_table_order(used: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The figures used in the order of the evaluation table's indicators (the others after
    them, by code), each indicator's by year and line."""
    order = {ind: i for i, ind in enumerate(dict.fromkeys(table["indicator"]))}
    rank = used["indicator"].map(lambda i: order.get(i, len(order)))
    key = pd.DataFrame({"r": rank, "i": used["indicator"], "y": used["year"], "l": used["line"]})
    return used.loc[key.sort_values(["r", "i", "y", "l"], kind="stable").index]


def record_in_units(record: pd.DataFrame) -> pd.DataFrame:
    """The restart record with a unit column: each figure in its indicator's unit, the
    fractions of the record (the construction share of secondary value added, the
    participation rate) in percent, as the catalogue's shares are (24.8 %, not 0.248)."""
    out = record.copy()
    units = []
    for i, code in enumerate(out["figure"]):
        info = INDICATOR_BY_NAME.get(code)
        if info is None and code in RECORD_NAMES_ZH:  # a fraction: in percent
            out.iloc[i, out.columns.get_loc("value")] = float(out["value"].iloc[i]) * 100.0
            units.append("%")
        elif code in RECORD_STOCKS:
            units.append(RECORD_STOCKS[code][1])
        else:
            units.append(info.unit if info is not None else "")
    out.insert(list(out.columns).index("value") + 1, "unit", units)
    return out


def _cell(value):
    """A value for a cell of the workbook: NaN and <NA> empty."""
    if value is pd.NA or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value


#: The widest a column of the workbook is made; a longer text wraps within it.
_WRAP_WIDTH = 60


def _text_width(text: str) -> float:
    """The width of ``text`` in the workbook's column units: a Chinese character two."""
    return sum(2.1 if ord(c) >= 0x2E80 else 1.1 for c in text) + 1.5


def _row_decimals(df: pd.DataFrame, lang: str) -> list[int]:
    """The decimals of each row's figures where no unit column gives them: by the unit of the
    row's indicator (none for counts of persons and firms, two for the rest; three for a
    figure of the restart record that is no indicator)."""
    for code in ("indicator", "figure"):
        col = _header(code, lang)
        if col in df.columns:
            infos = [INDICATOR_BY_NAME.get(c) if isinstance(c, str) else None for c in df[col]]
            return [2 if i is None else _unit_decimals(i.unit) for i in infos]
    return [2] * len(df)


def _number_format(decimals: int) -> str:
    """A number format of the workbook: thousands separated, ``decimals`` decimals."""
    return "#,##0" + ("." + "0" * decimals if decimals else "")


#: The rows above the evaluation sheet's header: the title, the scenario with the latest
#: actual year, the actual figures' file (and whether they are illustrative), a blank row.
TITLE_ROWS = 4


def title_lines(ev, lang: str) -> list[str]:
    """The title block of the evaluation sheet (:data:`TITLE_ROWS` rows with the blank one):
    a sheet forwarded alone still says what it is and whether its figures are illustrative."""
    t = _TITLES[lang]
    return [
        t["title"].format(scenario=ev.display_name(lang)),
        t["lede"].format(
            scenario=ev.display_name(lang), anchor=ev.anchor_text(lang), as_of=ev.as_of
        ),
        ev.source_text(lang),
    ]


def write_xlsx(
    path: Path,
    sheets: dict[str, pd.DataFrame],
    lang: str,
    titles: dict[str, tuple[list[str], bool]] | None = None,
    columns: dict[str, dict[str, int]] | None = None,
) -> None:
    """The workbook: one sheet per table, numbers rounded, columns sized, header frozen.
    ``titles`` gives a sheet (by key) a title block above its header: its lines, and whether
    the last one is a warning (in bold red: illustrative figures). ``columns`` gives a sheet
    of figures in columns (the annual path) the decimals of each column, by header: its
    headers wrap, and its first two columns (year, status) stay in view."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter
    except ImportError:  # pragma: no cover - a dependency; a clear message if removed
        from ..errors import OutputError

        raise OutputError("evaluation.xlsx needs openpyxl: pip install openpyxl") from None
    wb = Workbook()
    wb.remove(wb.active)
    whole_headers = {_header(c, lang) for c in _WHOLE}
    percent_headers = {_header(c, lang) for c in _PERCENT}
    for key, df in sheets.items():
        ws = wb.create_sheet(_SHEETS[key][1 if lang == "zh" else 0])
        lines, warning = (titles or {}).get(key, ([], False))
        for k, line in enumerate(lines):
            ws.append([line])
            bold = k == 0 or (warning and k == len(lines) - 1)
            ws.cell(k + 1, 1).font = Font(bold=bold, color="AA0000" if k and bold else None)
        if lines:
            ws.append([])
        head = len(lines) + 2 if lines else 1  # the header's row
        ws.append([str(c) for c in df.columns])
        for cell in ws[head]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in df.itertuples(index=False):
            ws.append([_cell(v.item() if hasattr(v, "item") else v) for v in row])
        unit_col = _header("unit", lang)
        units = list(df[unit_col]) if unit_col in df.columns else None
        decimals = _row_decimals(df, lang)
        in_unit_headers = {_header(c, lang) for c in _IN_ROW_UNIT}
        growth_headers = {_header(c, lang) for c in ("growth_needed", "growth_projected")}
        growth_col = _header("growth_unit", lang)
        median_head = _MEDIAN_HEADER[lang == "zh"].split("{")[0]
        by_column = (columns or {}).get(key)
        for j, col in enumerate(df.columns, start=1):
            letter = get_column_letter(j)
            if by_column is not None:  # figures by column: a long name wraps in its header
                texts = [shown(v) for v in df.iloc[:, j - 1].head(200)]
                width = max([min(_text_width(str(col)), 16)] + [_text_width(t) for t in texts])
                ws.column_dimensions[letter].width = min(max(width, 8), _WRAP_WIDTH)
                if width > _WRAP_WIDTH:  # the model's figures of a year, by name
                    for cell in ws[letter][head:]:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
                if str(col) in by_column:
                    fmt = _number_format(by_column[str(col)])
                    for cell in ws[letter][head:]:
                        if isinstance(cell.value, int | float):
                            cell.number_format = fmt
                continue
            # a figure shows its unit after it (209.00 亿元): the width has room for it
            suffix = max((_text_width(f" {u}") for u in units or () if isinstance(u, str)),
                         default=0) if str(col) in in_unit_headers else 0  # fmt: skip
            texts = [shown(v) for v in df.iloc[:, j - 1].head(200)]
            width = max(
                [_text_width(str(col))]
                + [_text_width(t) + (suffix + 1.5 if isinstance(v, float) else 0)
                   for t, v in zip(texts, df.iloc[:, j - 1].head(200), strict=True)]
            )  # fmt: skip
            ws.column_dimensions[letter].width = min(max(width, 8), _WRAP_WIDTH)
            if width > _WRAP_WIDTH:  # a long text (a rule, a mark) wraps within its column
                for cell in ws[letter][head:]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            if key == "run":  # a record of settings: years and seeds as they are (2023)
                continue
            # a column in the unit of its row: the unit shown beside each number
            whole = str(col) in whole_headers
            in_unit = (
                units is not None
                and not whole
                and (str(col) in in_unit_headers or str(col).startswith(median_head))
            )
            percent = str(col) in percent_headers
            growth = str(col) in growth_headers and growth_col in df.columns
            for i, cell in enumerate(ws[letter][head:]):
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    unit = units[i] if in_unit and isinstance(units[i], str) else ""
                    if whole:
                        fmt = "0"
                    elif unit:  # every figure of a unit with the same decimals
                        fmt = _number_format(_unit_decimals(unit))
                        fmt += ' "' + unit.replace('"', "") + '"'
                    elif percent:
                        fmt = _number_format(1)
                    elif growth:  # %/yr, pp/yr: two decimals; persons/yr whole
                        fmt = _number_format(_unit_decimals(df[growth_col].iloc[i]))
                    else:  # one rule per column: two decimals, counts whole
                        fmt = _number_format(decimals[i])
                    cell.number_format = fmt
        ws.freeze_panes = f"{'C' if by_column is not None else 'A'}{head + 1}"
    wb.save(path)


def as_texts(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A readable table (:func:`_readable`) as the texts of the Markdown and the page, with
    one number of decimals per column, as the workbook: a figure by its row's unit (two,
    counts whole), progress one, another column the most its rounded figures need; years
    whole and thousands separated ("60.0" beside "99.5", "86.40" beside "159.29")."""
    out = df.astype(object).map(shown)
    in_unit = {_header(c, lang) for c in _IN_ROW_UNIT}
    percent = {_header(c, lang) for c in _PERCENT}
    whole = {_header(c, lang) for c in _WHOLE}
    unit_col = _header("unit", lang)
    rows = _row_decimals(df, lang)
    if unit_col in df.columns:
        rows = [_unit_decimals(u) if isinstance(u, str) else d
                for u, d in zip(df[unit_col], rows, strict=True)]  # fmt: skip
    median_head = _MEDIAN_HEADER[lang == "zh"].split("{")[0]
    growth = {_header(c, lang) for c in ("growth_needed", "growth_projected")}
    growth_col = _header("growth_unit", lang)
    for col in df.columns:
        values = df[col]
        floats = [isinstance(v, float) and math.isfinite(v) for v in values]
        if str(col) in whole or not any(floats):
            continue
        if str(col) in in_unit or str(col).startswith(median_head):
            places = rows
        elif str(col) in percent:
            places = [1] * len(df)
        elif str(col) in growth and growth_col in df.columns:  # by the growth's unit
            places = [_unit_decimals(u) for u in df[growth_col]]
        else:
            most = max(len(shown(float(v)).partition(".")[2]) for v, f in zip(values, floats,
                       strict=True) if f)  # fmt: skip
            places = [most] * len(df)
        cells = zip(values, floats, places, out[col], strict=True)
        out[col] = [f"{v:,.{d}f}" if f else t for v, f, d, t in cells]
    return out


def _markdown(df: pd.DataFrame, lang: str = "en", cells: pd.DataFrame | None = None) -> str:
    """``df`` as a Markdown table of ``cells``, its texts (:func:`as_texts` if not given)."""
    cells = as_texts(df, lang) if cells is None else cells
    head = "| " + " | ".join(map(str, df.columns)) + " |"
    rule = "|" + "---|" * len(df.columns)
    body = ["| " + " | ".join(v.replace("|", "/") for v in row) + " |"
            for row in cells.itertuples(index=False)]  # fmt: skip
    return "\n".join([head, rule, *body])


_MD_COLUMNS = [
    "name",
    "unit",
    "kind",
    "plan",
    "base_year",
    "base",
    "target",
    "comparison",
    "target_year",
    "latest_actual",
    "latest_year",
    "latest_status",
    "target_progress_pct",
    "completion_pct",
    "time_progress_pct",
    "projected",
    "probability_pct",
    "growth_needed",
    "growth_projected",
    "growth_unit",
    "verdict",
    "reason",
    "decided_by",
]


def _anchor_title(ev, lang: str) -> str:
    """The heading of the restart record or of the add-factors."""
    t = _TITLES[lang]
    return t["record"].format(year=ev.start_year) if ev.start_year else t["factors"]


def write_markdown(path: Path, ev, lang: str) -> None:
    t = _TITLES[lang]
    sometimes = ("completion_pct",)  # in a final evaluation
    if not ev.record.get("draws"):
        sometimes += ("probability_pct",)  # with draws
    cols = [c for c in _MD_COLUMNS if c not in sometimes or ev.table[c].notna().any()]
    cols += [c for c in ("estimate_check", "marks") if (ev.table[c] != "").any()]
    title, lede, _source = title_lines(ev, lang)
    annual = path_readable(ev, lang)
    parts = [
        f"# {title}",
        "",
        lede,
        "",
        f"**{ev.source_text(lang)}**" if ev.illustrative else ev.source_text(lang),
        "",
        f"## {t['table']}",
        "",
        _markdown(_readable(ev.table[cols], lang, ev.record.get("draws")), lang),
        "",
        *([f"## {t['checks']}", "", *[f"- {c}" for c in ev.checks], ""] if ev.checks else []),
        f"## {t['path']}",
        "",
        _markdown(annual, lang, path_texts(ev, lang)),
        "",
        f"## {t['rules']}",
        "",
        *[f"- {r}" for r in ev.rules],
        "",
        DECIDED_LEGEND[lang == "zh"],
        "",
        *([f"**{ev.not_evaluated}**", ""] if ev.not_evaluated else []),
        f"## {t['assumptions']}",
        "",
        *[f"- {a}" for a in ev.assumptions],
        "",
        f"## {_anchor_title(ev, lang)}",
        "",
        _markdown(_readable(_anchor_table(ev), lang), lang),
        "",
    ]
    path.write_text("\n".join(parts), encoding="utf-8")


def write_html(path: Path, ev, sheets: dict, charts: dict[str, bytes], lang: str) -> None:
    """One page, everything embedded (the charts as base64 PNG): no file or network needed."""
    t = _TITLES[lang]
    esc = html.escape

    def table(df):
        cells = as_texts(df, lang)  # rounded, no "None" nor "<NA>" on the page
        return cells.to_html(index=False, border=0)

    imgs = "\n".join(
        f'<figure><img alt="{esc(name)}" src="data:image/png;base64,'
        f'{base64.b64encode(png).decode("ascii")}"/></figure>'
        for name, png in charts.items()
    )
    anchor_key = "record" if ev.start_year is not None else "factors"
    anchor_title = _anchor_title(ev, lang)
    source_style = ' style="font-weight: bold; color: #a00"' if ev.illustrative else ""
    checks = ""
    if ev.checks:
        items = "".join(f"<li>{esc(c)}</li>" for c in ev.checks)
        checks = f"<h2>{esc(t['checks'])}</h2>\n<ul>{items}</ul>\n"
    title, lede, _source = title_lines(ev, lang)
    page = f"""<!DOCTYPE html>
<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">
<title>{esc(title)}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif;
  margin: 2em; color: #222; }}
table {{ border-collapse: collapse; font-size: 0.85em; margin-bottom: 1.5em; }}
th, td {{ border-bottom: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }}
th {{ background: #f2f2f2; position: sticky; top: 0; }}
img {{ max-width: 100%; }} figure {{ margin: 1em 0; }}
</style></head><body>
<h1>{esc(title)}</h1>
<p>{esc(lede)}</p>
<p{source_style}>{esc(ev.source_text(lang))}</p>
<h2>{esc(t["table"])}</h2>
{table(sheets["evaluation"])}
{checks}<h2>{esc(t["path"])}</h2>
{path_texts(ev, lang).to_html(index=False, border=0)}
<h2>{esc(t["rules"])}</h2>
<ul>{"".join(f"<li>{esc(r)}</li>" for r in ev.rules)}</ul>
<p>{esc(DECIDED_LEGEND[lang == "zh"])}</p>
<p><strong>{esc(ev.not_evaluated)}</strong></p>
<h2>{esc(t["charts"])}</h2>
{imgs}
<h2>{esc(t["actuals"])}</h2>
{table(sheets["actuals"])}
<h2>{esc(anchor_title)}</h2>
{table(sheets[anchor_key])}
<h2>{esc(t["assumptions"])}</h2>
<ul>{"".join(f"<li>{esc(a)}</li>" for a in ev.assumptions)}</ul>
<h2>{esc(t["run"])}</h2>
{table(sheets["run"])}
</body></html>
"""
    path.write_text(page, encoding="utf-8")


#: The first column of evaluation.csv when the actual figures are illustrative (header,
#: value of every row). Not a comment line before the header: Excel shows such a line as a
#: first row that sorting and filtering then take for data and that pushes the headers down,
#: and readers of the table (pandas, a database import) choke on it; a column is seen by
#: whoever opens the file, stays on each row that is filtered, sorted or copied elsewhere,
#: and keeps the file a plain table.
ILLUSTRATIVE_COLUMN = (
    ("actual_figures", "ILLUSTRATIVE (not published figures): not for an official "
     "evaluation"),
    ("实际数据", "示例数据(并非公布数据),不可用于正式评估"),
)  # fmt: skip


def write_evaluation(
    ev,
    out=DEFAULT_OUT,
    *,
    force: bool = False,
    charts: bool = True,
    lang: str = "en",
    command: str | None = None,
    started: float | None = None,
    dpi: int = DPI,
) -> Written:
    """Write ``<out>/evaluate-<scenario>/`` for the :class:`~hubinsim.Evaluation` ``ev``
    (see the module). Returns the folder and its files."""
    from ..analysis.evaluation import Evaluation

    check_writer(ev, Evaluation, out, force, charts, lang, command, started, 1, dpi)
    target = evaluation_folder(out, ev.scenario)
    record = run_json(command=command, fields=ev.record, started=started, files=())
    sheets = _tables(ev, lang, record["timestamp"])
    figures = {}
    if charts:
        from ..plots.evaluation import evaluation_charts

        figures = evaluation_charts(ev, lang)
    with atomic_folder(target, force) as tmp:
        files = []
        # the CSV keeps the API's column names in English (as annual.csv does), Chinese
        # headers under zh
        csv_table = (
            sheets["evaluation"] if lang == "zh" else for_reading(ev.table, ev.record.get("draws"))
        )
        if ev.illustrative:  # on every row: a CSV is a bare table (see ILLUSTRATIVE_COLUMN)
            head, flag = ILLUSTRATIVE_COLUMN[lang == "zh"]
            csv_table = csv_table.copy()
            csv_table.insert(0, head, flag)
        write_csv(csv_table, tmp / "evaluation.csv", index=False)
        files.append("evaluation.csv")
        path_csv = sheets["path"]
        if ev.illustrative:  # headed in words, as the path's other columns
            path_csv = path_csv.copy()
            path_csv.insert(0, _PATH_WORDS["actual_figures"][lang == "zh"], flag)
        write_csv(path_csv, tmp / "annual_path.csv", index=False)
        files.append("annual_path.csv")
        block = (title_lines(ev, lang), ev.illustrative)
        titles = {"evaluation": block, "path": block}
        columns = {"path": _path_decimals(ev, lang)}
        write_xlsx(tmp / "evaluation.xlsx", sheets, lang, titles, columns)
        files.append("evaluation.xlsx")
        write_markdown(tmp / "evaluation.md", ev, lang)
        files.append("evaluation.md")
        pngs = {}
        if figures:
            for path in save_figures(figures, tmp / "charts", dpi):
                pngs[path.stem] = path.read_bytes()
                files.append(f"charts/{path.name}")
        write_html(tmp / "evaluation.html", ev, sheets, pngs, lang)
        files.append("evaluation.html")
        if started is not None:
            record["wall_time_s"] = time.perf_counter() - started
        record["files"] = files
        write_json(tmp / "run.json", record)
        files.append("run.json")
    return Written(target, tuple(files))


def png_bytes(fig, dpi: int = DPI) -> bytes:
    """A figure as PNG bytes (for a notebook or a page)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
