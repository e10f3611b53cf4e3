"""Under ``--lang zh`` the problems a user meets are said in Chinese: a scenario file's (broken
TOML, an unknown key or lever, a value out of range or of the wrong type, a parent that
cannot be read, a bad schedule), with the file, line, key and what would be valid; the same
facts form the English message under ``--lang en``, which is unchanged."""

from __future__ import annotations

import pickle

import pytest
from support import ROOT, invoke, leftovers, write

import hubinsim
from hubinsim.defaults import MAX_DRAWS
from hubinsim.errors import ScenarioError

BASELINE = (ROOT / "scenarios" / "baseline.toml").as_posix()

#: A broken scenario file, the Chinese words that carry its meaning, the names and figures
#: the message must hold, and the words of the English message.
CASES = {
    "toml": ("[scenario\nname = 'x'\n", ["不是有效的 TOML", "第 10 列"], [":1:"], "not valid TOML"),
    "unknown_lever": (
        "[consumption]\nvouchres = 1\n",
        ["未知的调节项", "是否指", "此处可用"],
        [":2:", "[consumption] vouchres", "'vouchers'", "tourism_growth"],
        "unknown lever (did you mean 'vouchers'?)",
    ),
    "lever_elsewhere": (
        "[consumption]\nplan_realisation = 0.5\n",
        ["此处不允许", "调节项", "应写在"],
        [":2:", "'plan_realisation'", "[investment]"],
        "not allowed here: the lever 'plan_realisation' belongs in [investment]",
    ),
    "out_of_range": (
        "[investment]\nplan_realisation = 7\n",
        ["超出有效范围", "小数"],
        [":2:", "plan_realisation", "7", "[0, 1]"],
        "7 is outside the valid range [0, 1] fraction",
    ),
    "percent_for_fraction": (
        "[investment]\nplan_realisation = 85\n",
        ["超出有效范围", "像是百分数", "是否应写"],
        ["85", "[0, 1]", "0.85"],
        "looks like a percentage",
    ),
    "wrong_type": (
        "[investment]\nplan_realisation = 'high'\n",
        ["应为", "内的数值", "实际为", "字符串"],
        [":2:", "plan_realisation", "'high'", "[0, 1]"],
        "must be a number in [0, 1] fraction, got 'high' (a string)",
    ),
    "schedule_key": (
        "[investment]\nplan_realisation = { 2022 = 0.5, x = 0.6 }\n",
        ["逐年表的键应为年份", "实际为", "接受"],
        [":2:", "plan_realisation.x", "'x'", "[0, 1]"],
        "schedule keys must be years such as 2025",
    ),
    "schedule_value": (
        "[investment]\nextra_social = { 2022 = 5, 2024 = 300 }\n",
        ["2024年的数值 300", "超出有效范围", "亿元/年"],
        ["extra_social.2024", "[0, 100]"],
        "value 300 for 2024 is outside the valid range [0, 100] 亿元/yr",
    ),
    "time": (
        "[time]\nend = 2090\nmethod = 'eulr'\n",
        ["共 2 个问题", "间的整年", "之一", "是否指"],
        [":2:", ":3:", "[time] end", "2021..2060", "2090", "'euler'"],
        "2 problems:",
    ),
    "parameter": (
        '[parameters]\n"labour.turnover" = 40\n"labour.turnovr" = 0.05\n',
        ["超出合理范围", "未知参数", "是否指"],
        ['"labour.turnover"', "40", "'labour.turnover'"],
        "is outside its plausible range",
    ),
    "section": (
        "x = 1\n[foo]\na = 1\n",
        ["不在任何节内的未知键", "未知的节", "可用的节"],
        [":1:", ":2:", "[foo]", "[investment]"],
        "unknown section; sections:",
    ),
    "parent": (
        "[scenario]\nextends = 'nope.toml'\n",
        ["文件不存在"],
        [":2:", "[scenario] extends", "nope.toml"],
        "nope.toml: file not found (extends 'nope.toml')",
    ),
    "shock": (
        "[[shock]]\ntarget = 'fia'\nyears = [2024, 2022]\nfactor = -5\n"
        "[[shock]]\nyears = 2022\nfactor = 2\n",
        ["未知的冲击对象", "是否指", "顺序颠倒", "1 表示不变", "下降 5 % 应写 0.95", "缺少 target"],
        [":2:", ":3:", ":4:", ":5:", "[[shock]] #1 target", "'fai'", "[0, 3]", "[[shock]] #2"],
        "years [2024, 2022] are out of order (first, last)",
    ),
    "shocks_multiply": (
        "[[shock]]\ntarget = 'fai'\nyears = [2022, 2022]\nfactor = 2\n"
        "[[shock]]\ntarget = 'fai'\nyears = [2022, 2022]\nfactor = 2\n",
        ["连同其前", "超出单个冲击的范围"],
        [":8:", "[[shock]] #2 factor", "2 x 2 = 4", "[0, 3]"],
        "the factor is 2 x 2 = 4, outside [0, 3]",
    ),
    "beyond_the_end": (
        "[time]\nend = 2030\n[investment]\nextra_social = { 2022 = 1, 2032 = 2 }\n",
        ["超出运行期", "中的 [time] end = 2030"],
        [":4:", "extra_social.2032", "2020..2030"],
        "schedule year 2032 is outside the run 2020..2030",
    ),
    "investment": (
        "[investment]\nprofile = 'delayed'\nrealisation = { servces = 0.5 }\n"
        "[parameters]\nplan_realisation = 0.3\n",
        ["规划期", "未知的项目库类别", "不是参数", "应写在"],
        [":2:", ":3:", ":5:", "'late'", "'services'", "[investment]"],
        "unknown pool category (did you mean 'services'?)",
    ),
    "uncertainty": (
        "[uncertainty]\nfoo = 1\nsampling = 'sobl'\n[uncertainty.parameters]\n"
        '"labour.turnover" = { dist = "triangular", low = 0.05, high = 0.04, mode = 0.5 }\n'
        "plan_realisation = { dist = 'uniform' }\n",
        ["未知的键", "之一", "是否指", "应小于", "应在", "它是调节项"],
        [":2:", ":3:", ":5:", ":6:", "'sobol'", "0.05", "0.04", "[uncertainty.levers]"],
        "low (0.05) must be below high (0.04)",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_scenario_file_errors_in_chinese(case, tmp_path):
    text, words, facts, english = CASES[case]
    path = write(tmp_path / f"{case}.toml", text)
    out = tmp_path / "out"
    res = invoke("run", path, "--out", out, "--no-charts", "--lang", "zh")
    assert res.exit_code == 2
    assert "Traceback" not in res.output
    assert res.output.startswith("错误: ")
    for w in [*words, *facts, path.name]:
        assert w in res.output, (w, res.output)
    assert english not in res.output
    assert leftovers(out) == []
    res = invoke("run", path, "--out", out, "--no-charts")  # English: the same facts
    assert res.exit_code == 2
    assert res.output.startswith("Error: ")
    assert english in res.output
    for f in facts:
        assert f in res.output, (f, res.output)


def test_missing_scenario_file_in_chinese(tmp_path):
    res = invoke("run", tmp_path / "none.toml", "--out", tmp_path, "--lang", "zh")
    assert res.exit_code == 2
    assert "none.toml: 文件不存在" in res.output
    res = invoke("evaluate", tmp_path, "--actuals", tmp_path / "a.csv", "--lang", "zh")
    assert res.exit_code == 2
    assert "是文件夹,不是文件:情景文件只能从普通文件读取" in res.output


def test_compare_names_each_file_in_chinese(tmp_path):
    bad = write(tmp_path / "bad.toml", "[consumption]\nvouchres = 1\n")
    worse = write(tmp_path / "worse.toml", "[investment]\nplan_realisation = 7\n")
    res = invoke("compare", BASELINE, bad, worse, "--out", tmp_path / "o", "--lang", "zh")
    assert res.exit_code == 2
    assert "bad.toml:2:" in res.output and "未知的调节项" in res.output
    assert "worse.toml:2:" in res.output and "超出有效范围" in res.output


def test_an_error_says_itself_in_either_language(tmp_path):
    path = write(tmp_path / "bad.toml", "[investment]\nplan_realisation = 7\n")
    with pytest.raises(ScenarioError) as caught:
        hubinsim.load_scenario(path, lang="zh")
    exc = caught.value
    assert "超出有效范围 [0, 1](小数)" in str(exc)
    assert "is outside the valid range [0, 1] fraction" in exc.text("en")
    again = pickle.loads(pickle.dumps(exc))  # from a worker process: both languages kept
    assert again.text("zh") == exc.text("zh") and again.text("en") == exc.text("en")
    with pytest.raises(ScenarioError) as caught:
        hubinsim.load_scenario(path)
    assert "7 is outside the valid range" in str(caught.value)


def test_output_folder_messages_in_chinese(tmp_path):
    out = tmp_path / "runs"
    (out / "baseline").mkdir(parents=True)
    args = ("run", BASELINE, "--out", out, "--no-charts")
    res = invoke(*args, "--lang", "zh")
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "baseline: 文件夹已存在,未作改动" in res.output
    assert "--force" in res.output and "--out DIR" in res.output
    assert "the folder already exists and was left untouched" in invoke(*args).output
    (out / "baseline").rmdir()
    write(out / "baseline", "")  # a file in the way
    res = invoke(*args, "--lang", "zh")
    assert res.exit_code == 2
    assert "此处已有文件(不是文件夹)" in res.output
    res = invoke("run", BASELINE, "--out", out / "baseline" / "x", "--lang", "zh")
    assert res.exit_code == 2
    assert "无法在此写入(路径中有一部分不是文件夹)" in res.output
    assert leftovers(out) == ["baseline"]
    (out / "baseline").unlink()
    (out / "baseline").symlink_to(tmp_path / "nowhere")
    res = invoke(*args, "--lang", "zh")
    assert res.exit_code == 2
    assert "是指向" in res.output and "nowhere" in res.output and "不存在" in res.output


def test_warnings_of_a_folder_in_chinese(tmp_path, monkeypatch):
    from hubinsim.plots import text

    monkeypatch.setattr(text, "cjk_font", lambda: None)
    res = invoke("run", BASELINE, "--out", tmp_path, "--lang", "zh", "--workers", "1")
    assert res.exit_code == 0
    assert "警告: 未安装中文(CJK)字体" in res.output
    assert "fonts-noto-cjk" in res.output


def test_targets_file_errors_in_chinese(tmp_path):
    actuals = ROOT / "examples" / "actuals_illustrative.csv"
    targets = write(
        tmp_path / "plan15.csv",
        "indicator,target,year,comparison,each_year_from,unit,source\n"
        "gdpx,400,2025,>=,,亿元,plan\n"
        "gdp,400,2025,=>,,亿元,plan\n"
        "gdp_real,400,20x5,>=,,亿元,plan\n"
        "share_tertiary_pct,60,2025,>=,,亿元,plan\n",
    )
    args = ("evaluate", BASELINE, "--actuals", actuals, "--targets", targets)
    res = invoke(*args, "--out", tmp_path / "o", "--no-charts", "--lang", "zh")
    assert res.exit_code == 2 and "Traceback" not in res.output
    for said in (
        "共 4 个问题",
        "plan15.csv:第 2 行:列 'indicator': 未知的指标 'gdpx'(是否指 'gdp'",
        "第 3 行:列 'comparison': 应为 >=、<= 之一,实际为 '=>'",
        "第 4 行:列 'year': 应为年份,实际为 '20x5'",
        "第 5 行:列 'unit': share_tertiary_pct:单位应为 %",
    ):
        assert said in res.output, (said, res.output)
    assert leftovers(tmp_path / "o") == []
    english = invoke(*args, "--out", tmp_path / "o", "--no-charts").output
    assert "line 3: column 'comparison': must be >= or <=, got '=>'" in english
    missing = invoke(*args[:-1], tmp_path / "none.csv", "--lang", "zh").output
    assert "none.csv: 文件不存在" in missing


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ((), "错误: 缺少参数 'SCENARIO'"),
        ((BASELINE, "--bogus"), "错误: 没有选项 '--bogus'(是否指 --out?)"),
        (
            (BASELINE, "--sampling", "sobl"),
            "'--sampling' 的值无效:'sobl' 不是 'lhs'、'sobol'、'mc' 之一",
        ),
        ((BASELINE, "--draws", "x"), "'--draws' 的值无效:'x' 不是整数"),
        ((BASELINE, "--draws", "0"), f"'--draws' 的值无效:0 不在范围 1<=x<={MAX_DRAWS} 内"),
        ((BASELINE, "--workers", "0"), "'--workers' 的值无效:'0' 不是 >= 1 的整数,也不是 'auto'"),
        ((BASELINE, "--force=1"), "选项 '--force' 不接受值"),
        ((BASELINE, "--out"), "选项 '--out' 需要一个值"),
    ],
)
def test_usage_errors_in_chinese(args, said, tmp_path):
    res = invoke("run", "--lang", "zh", *args)
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert said in res.output, res.output
    assert "用法:main run [OPTIONS] SCENARIO" in res.output  # "main": CliRunner's name
    assert "用 'main run --help' 查看帮助。" in res.output
    english = invoke("run", "--lang", "en", *args).output
    assert "Error: " in english and "错误" not in english


def test_a_missing_required_option_is_named(tmp_path):
    res = invoke("evaluate", BASELINE, "--out", tmp_path)
    assert res.exit_code == 2
    assert "Missing option '--actuals'" in res.output  # was "read_actuals: path must be ..."
    res = invoke("evaluate", BASELINE, "--out", tmp_path, "--lang", "zh")
    assert "错误: 缺少选项 '--actuals'" in res.output


def test_solve_and_actuals_options_in_chinese(tmp_path):
    out = ("--out", tmp_path / "o", "--lang", "zh")
    res = invoke("solve", BASELINE, "--target", "gdp_x@2025>=400", "--lever", "vouchres", *out)
    assert res.exit_code == 2
    assert "目标 'gdp_x@2025>=400':未知的指标 'gdp_x'(是否指 'gdp'" in res.output
    res = invoke("solve", BASELINE, "--target", "gdp_real@2045>=400", "--lever", "vouchers", *out)
    assert res.exit_code == 2
    assert "年份应在 2021..2035 内" in res.output
    res = invoke("solve", BASELINE, "--target", "gdp_real@2025>=400", "--lever", "vouchres", *out)
    assert "调节项 'vouchres':未知的调节项(是否指 'vouchers'" in res.output
    res = invoke("run", BASELINE, "--vintage", "final", *out)
    assert res.exit_code == 2
    assert "--vintage 用于实际数据:请加上 --actuals FILE" in res.output
    assert leftovers(tmp_path / "o") == []
