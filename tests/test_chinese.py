"""Under ``--lang zh`` every terminal line and every file of ``evaluate``, ``run`` and
``compare`` is in Chinese: no English word is left in the CSV, Markdown, xlsx cells, HTML
text or the terminal, but for a short list (the codes of indicators and record figures, the
names of scenarios, files and folders, GDP)."""

from __future__ import annotations

import html.parser
import re
from pathlib import Path

import openpyxl
import pytest
from support import SHORT, invoke, write

import hubinsim
from hubinsim.catalog import INDICATOR_BY_NAME
from hubinsim.model.record import FIGURES, OPTIONAL_FIGURES

WORD = re.compile(r"[A-Za-z][A-Za-z0-9_\-]*[A-Za-z0-9]")
#: Words a Chinese table may hold: the economy's abbreviation, a hash's name, the program's.
ALLOWED = {"GDP", "SHA-256", "hubinsim"}
#: The files hubinsim writes and their kinds (named in "已写入 folder/: annual.csv ...").
FILE_WORDS = {"annual", "targets", "scorecard", "differences_abs", "differences_pct", "members",
              "draws", "statements", "scenario", "scenarios", "resolved", "run", "charts",
              "evaluation", "csv", "json", "toml", "txt", "xlsx", "md", "html", "gz",
              "PNG", "data"}  # fmt: skip
HASH = re.compile(r"[0-9a-f]{64}")


class _Text(html.parser.HTMLParser):
    """The text of a page, without its style sheet."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.style = False

    def handle_starttag(self, tag, attrs):
        self.style = tag == "style"

    def handle_endtag(self, tag):
        self.style = False

    def handle_data(self, data):
        if not self.style:
            self.parts.append(data)


def _texts(path):
    """The words a person reads in ``path``."""
    if path.suffix == ".xlsx":
        for ws in openpyxl.load_workbook(path):
            yield ws.title
            for row in ws.iter_rows(values_only=True):
                yield from (c for c in row if isinstance(c, str))
    elif path.suffix == ".html":
        parser = _Text()
        parser.feed(path.read_text(encoding="utf-8"))
        yield from parser.parts
    elif path.suffix in (".csv", ".md", ".txt"):
        yield path.read_text(encoding="utf-8-sig")


def english_words(texts, allowed) -> set[str]:
    return {w for t in texts for w in WORD.findall(HASH.sub("", t)) if w not in allowed}


@pytest.fixture
def zh_setup(tmp_path):
    """Two short scenarios and actual figures (made by the model) with Chinese sources."""
    short = write(tmp_path / "short.toml", SHORT.format(name="short", vouchers=1.0))
    alt = write(tmp_path / "alt.toml", SHORT.format(name="alt", vouchers=3.0))
    truth = hubinsim.simulate(
        hubinsim.load_scenario(short), parameters={"tfp.growth_tertiary": 0.004}
    ).annual
    lines = ["indicator,year,period,value,basis,vintage,source"]
    for y in (2021, 2022, 2023):
        for ind in ("gdp", "va_tertiary", "retail_sales", "unemployment_rate_pct"):
            lines.append(f"{ind},{y},year,{truth.loc[y, ind]:.6g},level,final,统计公报")
    actuals = write(tmp_path / "actuals.csv", "\n".join(lines) + "\n")
    codes = set(INDICATOR_BY_NAME) | set(FIGURES) | set(OPTIONAL_FIGURES)
    allowed = ALLOWED | FILE_WORDS | codes | {"short", "alt", "actuals"}
    allowed |= set(WORD.findall(str(tmp_path)))
    return short, alt, actuals, allowed


def test_evaluate_run_and_compare_write_chinese_under_lang_zh(zh_setup, tmp_path):
    short, alt, actuals, allowed = zh_setup
    out = tmp_path / "out"
    runs = [
        ["evaluate", short, "--actuals", actuals],
        ["evaluate", alt, "--actuals", actuals, "--draws", 4, "--seed", 1, "--anchor", "fade=2"],
        ["run", short, "--actuals", actuals],
        ["run", alt, "--draws", 4, "--seed", 1],
        ["compare", short, alt],
        ["compare", short, alt, "--draws", 4, "--seed", 1, "--out", tmp_path / "out2"],
    ]
    outputs = {}
    for args in runs:
        if "--out" not in args:
            args = [*args, "--out", out]
        r = invoke(*args, "--lang", "zh", "--no-charts")
        assert r.exit_code == 0, r.output
        outputs[" ".join(map(str, args[:2]))] = r.output
    written = [p for d in (out, tmp_path / "out2") for p in d.rglob("*")]
    allowed |= {w for p in written for w in WORD.findall(str(p))}  # folders and files named
    found = {}
    for command, output in outputs.items():
        words = english_words([output], allowed)
        if words:
            found[command] = words
    for path in sorted(p for p in written if p.is_file()):
        if path.name.startswith(("annual", "differences")):
            continue  # tables of codes for scripts: every header an indicator's code
        words = english_words(_texts(path), allowed)
        if words:
            found[path.name] = words
    assert not found, "\n".join(f"{k}: {sorted(v)}" for k, v in found.items())


def test_the_chinese_tables_name_each_row_first(zh_setup, tmp_path):
    """A director reads the indicator's name first; its code stays beside it."""
    short, _alt, actuals, _allowed = zh_setup
    r = invoke("evaluate", short, "--actuals", actuals, "--out", tmp_path, "--lang", "zh",
               "--no-charts")  # fmt: skip
    assert r.exit_code == 0, r.output
    book = openpyxl.load_workbook(tmp_path / "evaluate-short" / "evaluation.xlsx")
    for sheet in ("评估表", "所用实际数据", "重新起步记录"):
        header = int(book[sheet].freeze_panes[1:]) - 1  # under the evaluation's title block
        head = [c.value for c in book[sheet][header]]
        assert head[0] == "指标名称" and head[1] in ("指标代码", "起步记录项"), sheet


def test_the_check_finds_english_words():
    """The scan above is able to fail: an English unit or word is found."""
    assert english_words(["规模以上工业企业数 68 firms, yes"], ALLOWED) == {"firms", "yes"}
    assert english_words(["地区生产总值(GDP)增长 5 %"], ALLOWED) == set()


def test_the_stimulus_evaluation_in_chinese_names_its_attracted_firms_in_chinese(tmp_path):
    """The stimulus restarted on the illustrative figures scales its attracted firms out of
    the restart record: under zh those rows have Chinese names, units and notes (they were
    bare codes with English notes)."""
    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "out"
    args = ["evaluate", root / "scenarios" / "stimulus.toml", "--actuals",
            root / "examples" / "actuals_illustrative.csv"]  # fmt: skip
    r = invoke(*args, "--out", out, "--lang", "zh", "--no-charts")
    assert r.exit_code == 0, r.output
    md = next(out.rglob("evaluation.md"))
    rows = [line for line in _texts(md) for line in line.splitlines()]
    cohort = [
        row for row in rows if "| capital_cohort |" in row or "| enterprises_attracted |" in row
    ]
    assert len(cohort) == 2 and all("原始运行的引进企业 ×" in row for row in cohort), cohort
    codes = set(INDICATOR_BY_NAME) | set(FIGURES) | set(OPTIONAL_FIGURES)
    codes |= {"capital_cohort", "cohort_pipeline", "enterprises_attracted"}
    allowed = ALLOWED | FILE_WORDS | codes | set(WORD.findall(str(root)))
    record = [row for row in rows if "原始运行" in row]
    assert record and not english_words(record, allowed), english_words(record, allowed)
