"""Charts: titles with units, targets marked, scenario colours, languages, saved PNGs."""

from __future__ import annotations

import warnings

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
