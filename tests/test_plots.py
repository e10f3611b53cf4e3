"""Charts: titles with units, targets marked, scenario colours, languages, saved PNGs."""

from __future__ import annotations

import warnings

import matplotlib.colors
import numpy as np
import pytest

import hubinsim
from hubinsim import plots
from hubinsim.io.charts import save_figures
from hubinsim.plots import text


@pytest.fixture(scope="module")
def runs():
    ref = hubinsim.simulate(end=2026)
    alt = hubinsim.simulate(
        hubinsim.make_scenario(name="more-vouchers", levers={"vouchers": 3.0}, end=2026)
    )
    return ref, alt


def titles(fig):
    return [ax.get_title(loc="left") for ax in fig.axes]


def test_run_charts_have_units_and_price_basis(runs):
    figs = plots.run_charts(runs[0])
    assert {c.name for c in plots.CHARTS} <= set(figs)
    gdp = " ".join(titles(figs["gdp"]))
    assert "current prices" in gdp
    assert "2020 prices" in " ".join(titles(figs["gdp_real"]))
    assert "%" in " ".join(titles(figs["sector_shares"]))
    for fig in figs.values():
        for ax in fig.axes:
            assert ax.get_title(loc="left")
    assert figs["gdp"].axes[0].get_xlabel() == "year"


def test_targets_are_marked(runs):
    fig = plots.run_charts(runs[0])["sector_shares"]
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert any("2025 target ≥ 60 %" in lb for lb in labels)
    assert any("2020 base" in lb for lb in labels)
    retail = plots.run_charts(runs[0])["retail_sales"].axes[0].get_legend_handles_labels()[1]
    assert any("target ≥ 150" in lb for lb in retail)


def test_reference_colour_is_the_same_everywhere(runs):
    ref, alt = runs
    colours = plots.scenario_colours(["a", "b", "c"])
    assert colours["a"] == plots.REFERENCE_COLOUR
    assert len(set(colours.values())) == 3
    figs = plots.compare_charts([ref, alt])
    for name in ("gdp", "retail_sales", "population"):
        lines = figs[name].axes[0].get_lines()
        assert lines[0].get_color() == plots.REFERENCE_COLOUR
        assert lines[1].get_color() == colours["b"]
    single = plots.run_charts(alt)["gdp"].axes[0].get_lines()[0]
    assert single.get_color() == plots.REFERENCE_COLOUR


def test_compare_charts_have_differences(runs):
    figs = plots.compare_charts(list(runs))
    assert "retail_sales_diff" in figs and "targets" in figs
    line = figs["retail_sales_diff"].axes[0].get_lines()[0]
    assert line.get_ydata()[0] == pytest.approx(0.0)
    assert line.get_ydata()[-1] > 0
    title = figs["retail_sales_diff"].axes[0].get_title(loc="left").replace("\n", " ")
    assert f"difference from {runs[0].metadata['scenario']}" in title
    if plots.cjk_font() is not None:  # Chinese labels need a CJK font
        zh = plots.compare_charts(list(runs), lang="zh")["sector_shares_diff"]
        title = zh.axes[0].get_title(loc="left").replace("\n", "")
        assert f"与{runs[0].metadata['scenario']}之差" in title
        assert title.count(":") + title.count("\uff1a") == 1  # one colon, ASCII or full-width


def test_save_figures_writes_png(runs, tmp_path):
    figs = plots.run_charts(runs[0])
    paths = save_figures({"gdp": figs["gdp"]}, tmp_path / "charts")
    assert paths == [tmp_path / "charts" / "gdp.png"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_chinese_labels_or_a_warning(runs, monkeypatch):
    if plots.cjk_font() is None:
        with pytest.warns(UserWarning, match="CJK"):
            figs = plots.run_charts(runs[0], lang="zh")
        assert "GDP" in figs["gdp"].axes[0].get_title(loc="left")
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            figs = plots.run_charts(runs[0], lang="zh")
        assert "地区生产总值" in figs["gdp"].axes[0].get_title(loc="left")


def test_english_without_cjk_font_writes_units_in_english(runs, monkeypatch, tmp_path):
    monkeypatch.setattr(text, "cjk_font", lambda: None)
    figs = plots.run_charts(runs[0])
    assert "100 mn yuan" in figs["gdp"].axes[0].get_title(loc="left")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no missing glyphs
        save_figures(figs, tmp_path)


def test_unknown_language_or_chart(runs):
    with pytest.raises(ValueError):
        plots.run_charts(runs[0], lang="fr")
    with pytest.raises(KeyError):
        plots.chart(runs[0], "nope")


def test_sensitivity_chart_titles_name_the_output_and_unit(short):
    result = hubinsim.sensitivity(
        hubinsim.load_scenario(short), "gdp_real@2025", "morris", n=3, seed=1
    )
    fig = plots.sensitivity_chart(result, "gdp_real@2025", top=5)
    title = fig.axes[0].get_title(loc="left")
    assert "2025" in title and "2020 prices" in title
    assert len(fig.axes[0].get_yticklabels()) == 5


def test_fan_charts_have_bands(short):
    res = hubinsim.simulate(hubinsim.load_scenario(short), draws=20, seed=2)
    fig = plots.run_charts(res)["gdp"]
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert {"median", "5-95th percentile", "25-75th percentile", "2020 base"} <= set(labels)
    assert any("20 draws" in t.get_text() for t in fig.texts)  # the caption above


@pytest.fixture(scope="module")
def three():
    """An ensemble comparison of three scenarios on the same draws."""
    scenarios = [
        hubinsim.make_scenario(name=name, levers={"vouchers": v}, end=2026)
        for name, v in (("ref", 0.0), ("more", 3.0), ("most", 6.0))
    ]
    return hubinsim.compare(*scenarios, draws=20, seed=3)


def _compare_chart(cmp, name: str):
    """One chart of a comparison, drawn alone."""
    jobs = plots.compare_chart_jobs(cmp.runs, comparisons=cmp.ensembles, names=cmp.names)
    return next(job for job in jobs if job.name == name).figure()


def _bands(ax) -> list:
    """The filled bands drawn with data (legend proxies are empty)."""
    from matplotlib.collections import PolyCollection

    return [c for c in ax.collections if isinstance(c, PolyCollection) and len(c.get_paths())]


def test_three_scenarios_show_lines_over_the_reference_band(three):
    ax = _compare_chart(three, "gdp").axes[0]
    colours = plots.scenario_colours(three.names)
    assert [line.get_color() for line in ax.get_lines()[:3]] == list(colours.values())
    bands = _bands(ax)
    assert len(bands) == 1  # the reference's 5-95 band only
    assert tuple(bands[0].get_facecolor()[0][:3]) == pytest.approx(
        matplotlib.colors.to_rgb(plots.REFERENCE_COLOUR)
    )
    labels = ax.get_legend_handles_labels()[1]
    assert "5-95th percentile, ref" in labels


def test_differences_of_three_scenarios_are_small_multiples(three):
    fig = _compare_chart(three, "employment_diff")  # two panels: employment, unemployment
    assert len(fig.axes) == 4
    titles = [t.replace("\n", " ") for t in (ax.get_title(loc="left") for ax in fig.axes)]
    assert [t.split(":")[0] for t in titles] == ["more", "more", "most", "most"]
    for ax, name in zip(fig.axes, ("more", "more", "most", "most"), strict=True):
        colour = plots.scenario_colours(three.names)[name]
        assert ax.get_lines()[0].get_color() == colour
        assert len(_bands(ax)) == 2  # both quartile bands of its own difference
    assert fig.axes[0].get_ylim() == fig.axes[2].get_ylim()  # one scale a column


def test_bands_and_the_plan_period_have_their_own_legend_entries(short):
    res = hubinsim.simulate(hubinsim.load_scenario(short), draws=20, seed=2)
    for fig in (plots.chart(res, "gdp"), plots.chart([res, res], "gdp")):
        handles, labels = fig.axes[0].get_legend_handles_labels()
        looks = {
            text: tuple(
                np.round(h.get_facecolor()[0] if hasattr(h, "get_paths") else h.get_facecolor(), 3)
            )
            for h, text in zip(handles, labels, strict=True)
            if "percentile" in text or "FYP" in text
        }
        assert len(looks) >= 2
        assert len(set(looks.values())) == len(looks), looks


def test_a_run_chart_leaves_technical_settings_to_run_json(runs):
    fig = plots.chart(runs[0], "gdp")
    caption = " ".join(t.get_text() for t in fig.texts)
    assert caption.startswith(f"scenario: {runs[0].metadata['scenario']}")
    assert "dt" not in caption and "euler" not in caption


def test_the_scorecard_reads_ceilings_as_value_against_ceiling(runs):
    job = next(j for j in plots.run_chart_jobs(runs[0]) if j.name == "targets")
    ax = job.figure().axes[0]
    texts = {t.get_text() for t in ax.texts}
    ceiling = next(t for t in texts if "vs ceiling" in t)
    card = runs[0].targets.set_index("indicator").loc["unemployment_rate_pct"]
    verdict = "met" if card["met"] else "not met"
    assert ceiling == f"{card['projected']:.2f} % vs ceiling 3.8 %: {verdict}"
    assert sum("% of target" in t for t in texts) == len(texts) - 1  # the floors
    ticks = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert "above-scale industrial enterprises: ≥ 68 firms, 2025" in ticks  # a whole count


@pytest.mark.parametrize("chart", ["targets", "target_probability"])
def test_value_labels_do_not_cross_the_reference_line(three, chart):
    fig = _compare_chart(three, chart)
    ax = fig.axes[0]
    fig.canvas.draw()
    line = next(x for x in ax.get_lines() if x.get_linestyle() in ("--", ":"))
    at = ax.transData.transform((line.get_xdata()[0], 0))[0]
    for label in ax.texts:
        box = label.get_window_extent()
        assert not box.x0 < at < box.x1, label.get_text()


def test_a_count_target_is_marked_as_a_whole_number():
    from hubinsim.data import Target
    from hubinsim.plots.lines import line_chart
    from hubinsim.plots.specs import Chart, Panel

    res = hubinsim.simulate(end=2026)
    res.targets_spec = [
        Target("enterprises_above_scale", 67.6, 2025, ">=", None, "firms", "test", "")
    ]
    chart = Chart("firms", (Panel(("enterprises_above_scale",), "Firms", "企业"),))
    fig = line_chart(chart, [res], ["a"], text.language("en"))
    assert "2025 target ≥ 68" in fig.axes[0].get_legend_handles_labels()[1]


def _drawn_texts(fig):
    """Every text a figure shows, drawn at the resolution of its PNG file, with the
    renderer: tick labels only of the ticks inside their axis's limits (matplotlib keeps
    others that it does not draw)."""
    from matplotlib.axis import Tick
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    from hubinsim.defaults import DPI

    fig.set_dpi(DPI)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    ticks = {id(label) for tick in fig.findobj(Tick) for label in (tick.label1, tick.label2)}
    texts = [t for t in fig.findobj(Text) if id(t) not in ticks]
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            slack = 1e-9 * (hi - lo)
            for tick in axis.get_major_ticks():
                if lo - slack <= tick.get_loc() <= hi + slack:
                    texts += [tick.label1, tick.label2]
    shown = [t for t in texts if t.get_visible() and t.get_text().strip()]
    return [(t, t.get_window_extent(canvas.get_renderer())) for t in shown]


def _outside(fig) -> list[str]:
    """The texts of a figure that reach beyond its edges (more than a pixel)."""
    edge = fig.bbox
    return [
        t.get_text()
        for t, box in _drawn_texts(fig)
        if box.x0 < edge.x0 - 1
        or box.y0 < edge.y0 - 1
        or box.x1 > edge.x1 + 1
        or box.y1 > edge.y1 + 1
    ]


def test_no_text_of_a_comparison_of_three_leaves_its_chart(three):
    jobs = plots.compare_chart_jobs(three.runs, comparisons=three.ensembles, names=three.names)
    assert len(jobs) > 10
    for job in jobs:
        assert _outside(job.figure()) == [], job.name


@pytest.fixture(scope="module")
def far():
    """Three runs to 2035 whose scorecards hold a value below 0 (a growth target missed by
    a fall) and one far beyond the axis, with a long scenario name."""
    import copy

    run = hubinsim.simulate()
    runs = []
    for k, name in enumerate(("baseline", "stimulus", "a delayed and much longer name")):
        res = copy.copy(run)
        res.metadata = {**run.metadata, "scenario": name}
        card = run.targets.copy()
        growth = card["indicator"] == "industrial_va_above_scale_growth_pct"
        card.loc[growth, ["projected", "met"]] = (-1.86 - k, False)
        firms = card["indicator"] == "enterprises_above_scale"
        card.loc[firms, ["projected", "met"]] = (68 * (4 + k), True)
        res.targets = card
        runs.append(res)
    return runs


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("n", [1, 3])
def test_the_scorecard_keeps_its_words_inside_and_apart(far, n, lang):
    fig = plots.compare_chart_jobs(far[:n], lang)[-1].figure()
    assert _outside(fig) == []
    ax = fig.axes[0]
    texts = dict(_drawn_texts(fig))
    ticks = [texts[t] for t in ax.get_yticklabels()]
    values = [texts[t] for t in ax.texts]
    assert len(values) == n * len(far[0].targets)
    plot = ax.get_window_extent()
    for k, box in enumerate(values):  # in a column right of the bars, none over another
        assert box.x0 >= plot.x1
        assert not any(box.overlaps(other) for other in values[k + 1 :] + ticks)
    title = fig.get_suptitle()
    assert title.startswith("Plan targets" if lang == "en" else "规划目标")


def test_the_legend_of_many_scenarios_with_long_names_stays_inside(far):
    import copy

    runs = []
    for k in range(7):
        run = copy.copy(far[k % 3])
        run.metadata = {**run.metadata, "scenario": f"a scenario with a long name, number {k}"}
        runs.append(run)
    fig = plots.compare_chart_jobs(runs)[-1].figure()
    assert _outside(fig) == []
    assert len(fig.legends[0].get_texts()) == 7


def test_a_value_beyond_the_axis_is_cut_there_and_said(far):
    fig = plots.compare_chart_jobs(far, "en")[-1].figure()
    ax = fig.axes[0]
    low, high = ax.get_xlim()
    ends = [p.get_x() + p.get_width() for p in ax.patches if p.get_height() < 0.5]
    assert ends and all(low <= end <= high for end in ends)  # the scenarios' bars
    labels = [t.get_text() for t in ax.texts]
    for k in range(3):
        assert f"{-1.86 - k:.2f} % ({100 * (-1.86 - k) / 9:.0f} % of target): not met" in labels
        assert f"{68 * (4 + k)} firms ({100 * (4 + k)} % of target): met" in labels
    chevrons = [line for line in ax.get_lines() if line.get_marker() in ("<", ">")]
    assert len(chevrons) == 6


def test_a_value_just_below_the_target_does_not_read_as_100_percent(far):
    import copy

    run = copy.copy(far[0])
    card = run.targets.copy()
    card.loc[0, ["projected", "met"]] = (card.loc[0, "target"] * 0.998, False)
    run.targets = card
    labels = [t.get_text() for t in plots.compare_chart_jobs([run])[-1].figure().axes[0].texts]
    assert "99.8 % of target: not met" in labels


def test_long_labels_are_wrapped_at_spaces_or_between_chinese_characters():
    en = "gross output of the industrial park (its incumbents and the attracted firms): ≥ 300"
    zh = "产业园区总产值(现有企业与引进企业): ≥ 300 (亿元), 2035"
    for line in text.wrap(en, 30).split("\n"):
        assert 0 < len(line) <= 30
    assert text.wrap(en, 30).replace("\n", " ") == en
    lines = text.wrap(zh, 20).split("\n")
    assert len(lines) > 1 and "".join(lines).replace(" ", "") == zh.replace(" ", "")
    assert all(sum(1 + (ord(c) > 0x2E80) for c in line) <= 20 for line in lines)
    assert text.wrap("a (b)", 3) == "a\n(b)"  # a bracket stays with its word


def test_a_legend_over_the_lines_has_a_white_ground(runs):
    ax = plots.compare_charts(list(runs))["employment_diff"].axes[0]
    frame = ax.get_legend().get_frame()
    assert ax.get_legend().get_frame_on() and frame.get_alpha() >= 0.8
    assert matplotlib.colors.to_rgb(frame.get_facecolor()) == (1.0, 1.0, 1.0)


def test_a_waterfall_ends_in_the_scenarios_colours_and_steps_in_grey():
    ref, *alts = [
        hubinsim.make_scenario(name=name, levers=levers, end=2026)
        for name, levers in (
            ("ref", {}),
            ("more", {"vouchers": 3.0}),
            ("most", {"vouchers": 6.0, "tax_relief": 0.2}),
        )
    ]
    attribution = hubinsim.attribute(ref, *alts)
    colours = plots.scenario_colours(["ref", "more", "most"])
    jobs = plots.attribution_chart_jobs(attribution, [2025], ["gdp"])
    assert [job.name for job in jobs] == ["attribution_more_gdp_2025", "attribution_most_gdp_2025"]
    for job, name in zip(jobs, ("more", "most"), strict=True):
        fig = job.figure()
        bars = [p for p in fig.axes[0].patches if p.get_width() < 1]  # not the legend's
        looks = [matplotlib.colors.to_hex(p.get_facecolor()) for p in bars]
        assert looks[0] == colours["ref"] and looks[-1] == colours[name]
        assert not set(looks[1:-1]) & set(colours.values())  # a step is no scenario
        assert _outside(fig) == []


@pytest.fixture(scope="module")
def evaluated():
    """An evaluation of the illustrative figures, to 2035 (park_gross_output's 2035 target
    and its long name included)."""
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "examples" / "actuals_illustrative.csv"
    return {lang: hubinsim.evaluate(None, path, lang=lang) for lang in ("en", "zh")}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_text_of_an_evaluation_chart_leaves_it(evaluated, lang):
    from hubinsim.plots.evaluation import evaluation_charts

    charts = evaluation_charts(evaluated[lang], lang)
    assert "park_gross_output" in charts
    for name, fig in charts.items():
        assert _outside(fig) == [], name


def test_a_chart_of_levels_gives_the_alternative_s_differences_in_its_legend():
    """Two lines of levels on an axis that does not start at zero (employment: 14.6-15.7 万)
    look far apart whatever their gap: the alternative's legend entry says how far, in % of
    the reference, in the plan's last year and the chart's last; shares, rates and growth
    are in points already."""
    ref = hubinsim.simulate(end=2030)
    alt = hubinsim.simulate(
        hubinsim.make_scenario(name="alt", levers={"plan_realisation": 0.8}, end=2030)
    )
    figs = plots.compare_charts([ref, alt], names=("ref", "alt"))

    def pct(ind, year):
        return 100 * (alt.annual.loc[year, ind] / ref.annual.loc[year, ind] - 1)

    for name, ind in (("employment", "employment"), ("population", "population")):
        labels = figs[name].axes[0].get_legend_handles_labels()[1]
        expected = f"alt (2025: {pct(ind, 2025):+.1f} %, 2030: {pct(ind, 2030):+.1f} % against ref)"
        assert expected in labels
    unemployment = figs["employment"].axes[1].get_legend_handles_labels()[1]
    assert "alt" in unemployment
    if plots.cjk_font() is None:
        return  # Chinese labels need a CJK font (see test_chinese_labels_or_a_warning)
    zh = plots.compare_charts([ref, alt], lang="zh", names=("ref", "alt"))
    labels = zh["gdp_real"].axes[0].get_legend_handles_labels()[1]
    assert f"alt(较ref:2025年 {pct('gdp_real', 2025):+.1f} %,2030年 " in " ".join(labels)


def test_charts_call_scenarios_by_their_titles_in_the_language_drawn():
    """A scenario's ``title`` names it in English charts and ``title_zh`` in Chinese ones
    (基准情景, not 'baseline'); a scenario without titles keeps its name."""
    ref = hubinsim.simulate(hubinsim.make_scenario(name="ref", title="As usual", end=2022))
    alt = hubinsim.make_scenario(name="alt", title="Push", title_zh="加力", end=2022)
    bare = hubinsim.make_scenario(name="bare", end=2022)
    runs = [ref, hubinsim.simulate(alt), hubinsim.simulate(bare)]
    assert plots.compare_chart_jobs(runs, "en")[0].args[2] == ["As usual", "Push", "bare"]
    assert plots.compare_chart_jobs(runs, "zh")[0].args[2] == ["As usual", "加力", "bare"]
    cmp = hubinsim.compare(alt, bare)
    assert cmp.names == ["alt", "bare"]  # the tables' columns and the folders keep the names
    assert cmp.labels("zh") == ["加力", "bare"]
    # two scenarios with one title are told apart
    twin = hubinsim.make_scenario(name="twin", title="Push", end=2022)
    assert hubinsim.compare(alt, twin).labels("en") == ["Push", "Push (2)"]
