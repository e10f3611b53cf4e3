"""Benchmarks of hubinsim: prints wall times and peak memory against the project's goals.

Usage (from the repository root)::

    python benchmarks/run.py              # everything (about three minutes on 2 cores)
    python benchmarks/run.py --quick      # smaller sizes, for a smoke test
    python benchmarks/run.py --only one_run members_100k
    python benchmarks/run.py --only cli tests      # the commands, charts included; the suite
    python benchmarks/run.py --only members_1m     # a million members (about a minute)
    python benchmarks/run.py --only solve          # goal seeking and attribution
    python benchmarks/run.py --only calibrate      # calibration and a backtest

Each case runs in a fresh Python process, so its peak memory (the maximum resident set of
the process and of the workers it starts, from ``resource.getrusage``) is its own; times
exclude the imports except for the CLI cold starts, which time the whole command (charts
included where it draws them), and ``tests``, which times ``python -m pytest`` once. The
canonical scenarios (scenarios/baseline.toml, scenarios/stimulus.toml) run at dt 0.25 from
2020 to 2035. Nothing here is asserted: speed is reported, never tested. Other processes on
the machine change the figures: the load average is printed at the start and the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ("baseline", "stimulus")

#: Goals (seconds, bytes) the figures are reported against.
GOALS = {
    "one_run": ("one run <= 5 ms", 0.005, None),
    "members_100k": ("100,000 members <= 1.5 s, peak < 1.5 GiB", 1.5, 1.5 * 2**30),
    "sobol": ("Sobol, every parameter, N = 4096 < 10 s", 10.0, None),
    "cli_help": ("`hubinsim --help` < 0.3 s", 0.3, None),
    "cli_run": ("`hubinsim run baseline --no-charts` < 1.5 s", 1.5, None),
    "cli_run_charts": ("`hubinsim run stimulus` with charts < 2 s", 2.0, None),
    "cli_compare_charts": ("`hubinsim compare baseline stimulus` with charts < 3 s", 3.0, None),
    "tests": ("the test suite < 90 s", 90.0, None),
    "solve": ("solve < 2 s", 2.0, None),
    "calibrate": ("calibrate, 3 parameters, 5 years < 10 s", 10.0, None),
}


def _peak_rss() -> int:
    """Peak resident memory of this process and its finished children [bytes]."""
    own, kids = _peaks()
    return own + kids


def _peaks() -> tuple[int, int]:
    """Peak resident memory of this process, and of its largest finished child [bytes]."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return own * 1024, kids * 1024  # ru_maxrss is in KiB on Linux


# --------------------------------------------------------------------------- cases
# Each case runs in its own process and returns a dict of figures.


def _scenario(name):
    import hubinsim

    return hubinsim.load_scenario(ROOT / "scenarios" / f"{name}.toml")


def case_one_run(quick: bool) -> dict:
    import hubinsim

    out = {}
    for name in SCENARIOS:
        scn = _scenario(name)
        hubinsim.simulate(scn)  # warm caches (data files, imports inside functions)
        times = []
        for _ in range(10 if quick else 50):
            t = time.perf_counter()
            hubinsim.simulate(scn)
            times.append(time.perf_counter() - t)
        out[name] = {"median_s": sorted(times)[len(times) // 2], "min_s": min(times)}
    t = time.perf_counter()
    scn = _scenario("baseline")
    out["load_scenario_s"] = time.perf_counter() - t
    return out


def _ensemble(draws: int, **kw) -> dict:
    from hubinsim.run.ensemble import run_ensemble

    out = {}
    for name in SCENARIOS:
        scn = _scenario(name)
        t, c = time.perf_counter(), time.process_time()
        res = run_ensemble(scn, draws=draws, seed=1, **kw)
        out[name] = {
            "wall_s": time.perf_counter() - t,
            "cpu_s": time.process_time() - c,  # this process only (not its workers)
            "kept_indicators": len(res.values),
        }
    return out


def case_members_1k(quick: bool) -> dict:
    return _ensemble(1000)


def case_members_100k(quick: bool) -> dict:
    return _ensemble(20_000 if quick else 100_000)


def case_members_100k_2workers(quick: bool) -> dict:
    return _ensemble(20_000 if quick else 100_000, workers=2)


def case_members_1m(quick: bool) -> dict:
    """A million members (baseline) in chunks with 2 workers, keeping one indicator: the
    chunks' memory stays that of one chunk; what grows is the draws and the kept values."""
    from hubinsim.run.ensemble import run_ensemble

    total = 100_000 if quick else 1_000_000
    scn = _scenario("baseline")
    t, c = time.perf_counter(), time.process_time()
    res = run_ensemble(scn, draws=total, seed=1, keep=["gdp_real"], workers=2)
    out = {
        "members": total,
        "wall_s": time.perf_counter() - t,
        "cpu_s": time.process_time() - c,
        "kept_bytes": sum(v.nbytes for v in res.values.values()),
        "draws_bytes": sum(v.nbytes for v in res.metadata["samples"].values()),
    }
    out["peak_main_bytes"], out["peak_worker_bytes"] = _peaks()
    return out


def case_one_pass_100k(quick: bool) -> dict:
    """All members in one vectorised call (no chunks), for comparison."""
    total = 20_000 if quick else 100_000
    return _ensemble(total, chunk_size=total, keep="headline")


def case_sobol(quick: bool) -> dict:
    from hubinsim.analysis.sensitivity import sensitivity
    from hubinsim.scenario.uncertainty import scenario_uncertainty

    scn = _scenario("baseline")
    d = scenario_uncertainty(scn).dimension
    outputs = ["gdp_real@2025", "population@2025", "fiscal_revenue@2025", "gdp_real@2035"]
    out = {"parameters": d, "outputs": len(outputs)}
    for n in (256, 1024) if quick else (1024, 4096):
        t = time.perf_counter()
        res = sensitivity(scn, outputs, n=n, seed=1)
        out[f"N={n}"] = {
            "wall_s": time.perf_counter() - t,
            "runs": res.metadata["runs"],
            "backend": res.metadata["backend"],
        }
    return out


def case_profile(quick: bool) -> dict:
    """Seconds per 100,000 members by chunk size, and where the time of a chunk goes."""
    import cProfile
    import pstats

    from hubinsim.run.ensemble import run_ensemble

    scn = _scenario("baseline")
    total = 20_000 if quick else 100_000
    out = {"members": total, "by_chunk_size": {}, "by_chunk_size_2workers": {}}
    run_ensemble(scn, draws=1000, seed=1)
    for chunk in (1_000, 2_000, 5_000, 10_000, 20_000):
        for workers, key in ((1, "by_chunk_size"), (2, "by_chunk_size_2workers")):
            t = time.perf_counter()
            run_ensemble(
                scn, draws=total, seed=1, chunk_size=chunk, keep="headline", workers=workers
            )
            out[key][chunk] = time.perf_counter() - t
    prof = cProfile.Profile()
    prof.enable()
    run_ensemble(scn, draws=10_000, seed=1, chunk_size=10_000)
    prof.disable()
    stats = pstats.Stats(prof)
    total_t = max(v[3] for v in stats.stats.values())
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:10]
    out["profile_10k"] = [
        {"function": f"{Path(k[0]).name}:{k[1]}({k[2]})", "self_s": v[2], "share": v[2] / total_t}
        for k, v in rows
    ]
    return out


def case_solve(quick: bool) -> dict:
    """Goal seeking (one lever, two levers, with 200 draws) and an attribution, each timed
    after a first call that imports scipy.optimize (timed apart: 0.4-1.2 s of imports)."""
    import hubinsim

    scn = _scenario("baseline")
    hubinsim.simulate(scn)
    t = time.perf_counter()
    hubinsim.solve(scn, "va_tertiary@2025>=200", "tourism_growth")  # imports scipy.optimize
    out = {"first_call_s": time.perf_counter() - t}
    cases = {
        "one_lever": ("gdp_real@2025>=400", "plan_realisation", {}),
        "two_levers": ("share_tertiary_pct@2025>=61", ["tertiary_shift", "tourism_growth"], {}),
        "one_lever_200_draws": (
            "gdp_real@2025>=370",
            "plan_realisation",
            {"draws": 200, "seed": 1},
        ),
    }
    for name, (target, levers, kw) in cases.items():
        t = time.perf_counter()
        sol = hubinsim.solve(scn, target, levers, **kw)
        out[name] = {
            "wall_s": time.perf_counter() - t,
            "runs": sol.metadata["runs"],
            "status": sol.status,
            "target": target,
        }
    t = time.perf_counter()
    att = hubinsim.attribute(scn, _scenario("stimulus"))
    out["attribution_stimulus"] = {
        "wall_s": time.perf_counter() - t,
        "runs": att.metadata["runs"],
        "settings": len(att.alternatives[0].settings),
    }
    return out


def case_calibrate(quick: bool) -> dict:
    """Calibration of 3 parameters to 5 years of actual figures (2021-2025: levels of five
    indicators and GDP's real growth, made by the model with other parameter values and
    noise), with the default 4 starts and with 1; a backtest from 2023 fitting the same."""
    import warnings

    import hubinsim
    from hubinsim.analysis.calibration import synthetic_actuals

    truth = {
        "tfp.growth_tertiary": 0.018,
        "consumption.services_income_elasticity": 1.5,
        "fiscal.buoyancy": 1.1,
    }
    scn = _scenario("baseline")
    obs = synthetic_actuals(scn, truth, noise=1.0, seed=1)
    t = time.perf_counter()
    hubinsim.calibrate(scn, obs, ["labour.okun"], starts=1)  # imports scipy.optimize
    out = {"first_call_s": time.perf_counter() - t, "figures": len(obs)}
    for starts in (4, 1):
        t = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cal = hubinsim.calibrate(scn, obs, list(truth), starts=starts)
        out[f"starts={starts}"] = {
            "wall_s": time.perf_counter() - t,
            "runs": cal.metadata["runs"],
            "estimates": cal.values,
        }
    t = time.perf_counter()
    bt = hubinsim.backtest(scn, obs, 2023, list(truth))
    out["backtest"] = {"wall_s": time.perf_counter() - t, "series": len(bt.series())}
    return out


CASES = {
    "one_run": case_one_run,
    "members_1k": case_members_1k,
    "members_100k": case_members_100k,
    "members_100k_2workers": case_members_100k_2workers,
    "members_1m": case_members_1m,
    "one_pass_100k": case_one_pass_100k,
    "sobol": case_sobol,
    "profile": case_profile,
    "solve": case_solve,
    "calibrate": case_calibrate,
}


def _child(case: str, quick: bool) -> None:
    result = CASES[case](quick)
    result["peak_rss_bytes"] = _peak_rss()
    result["peak_main_bytes"], result["peak_worker_bytes"] = _peaks()
    print(json.dumps(result))


def _run_case(case: str, quick: bool) -> dict:
    cmd = [sys.executable, __file__, "--child", case] + (["--quick"] if quick else [])
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _cli(args: list[str], repeat: int) -> dict:
    exe = shutil.which("hubinsim")
    base = [exe] if exe else [sys.executable, "-m", "hubinsim"]
    times, code, err = [], 0, ""
    for _ in range(repeat):
        t = time.perf_counter()
        proc = subprocess.run(base + args, capture_output=True, text=True, cwd=ROOT)
        times.append(time.perf_counter() - t)
        code, err = proc.returncode, proc.stderr
    out = {
        "command": " ".join(["hubinsim" if exe else "python -m hubinsim"] + args),
        "first_s": times[0],
        "best_s": min(times),
        "median_s": sorted(times)[len(times) // 2],
        "exit_code": code,
    }
    if code != 0:
        out["error"] = err.strip().splitlines()[-1] if err.strip() else f"exit {code}"
    return out


def case_cli(repeat: int, quick: bool = False) -> dict:
    out = {"cli_help": _cli(["--help"], repeat)}
    with tempfile.TemporaryDirectory() as tmp:
        out["cli_run"] = _cli(
            ["run", "scenarios/baseline.toml", "--no-charts", "--out", tmp, "--force"], repeat
        )
        # With every chart (10 for a run, 19 for a comparison of two scenarios).
        out["cli_run_charts"] = _cli(
            ["run", "scenarios/stimulus.toml", "--out", tmp, "--force"], repeat
        )
        out["cli_compare_charts"] = _cli(
            ["compare", "scenarios/baseline.toml", "scenarios/stimulus.toml"]
            + ["--out", tmp, "--force"],
            repeat,
        )
        # The whole command of a large ensemble: draws, members (workers: auto), percentiles,
        # the scorecard and the run folder (members.npz above 20,000 members).
        draws = "20000" if quick else "100000"
        out["cli_run_ensemble"] = _cli(
            ["run", "scenarios/baseline.toml", "--draws", draws, "--seed", "1", "--no-charts"]
            + ["--out", tmp, "--force"],
            2,
        )
    return out


def case_tests() -> dict:
    """The whole test suite once, as a contributor runs it."""
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    lines = proc.stdout.strip().splitlines()
    return {
        "wall_s": time.perf_counter() - t,
        "exit_code": proc.returncode,
        "summary": lines[-1] if lines else proc.stderr.strip()[-200:],
    }


# --------------------------------------------------------------------------- report


def reference_loop() -> float:
    """Seconds of a fixed pure-Python loop: how fast the machine is at that moment (on a
    shared virtual machine it can change by a factor of two within the hour)."""
    t = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - t


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        pass
    import numpy
    import scipy

    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": mem / 2**30,
        "load_average": os.getloadavg(),
        "reference_loop_s": reference_loop(),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
    }


def _mib(b) -> str:
    return f"{b / 2**20:,.0f} MiB"


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def report(results: dict, quick: bool) -> None:
    m = results["machine"]
    print(f"hubinsim benchmarks, {m['date']}{' (quick)' if quick else ''}")
    print(
        f"machine: {m['nproc']} CPUs, {m['cpu']}, {m['memory_gib']:.1f} GiB; Python "
        f"{m['python']}, numpy {m['numpy']}, scipy {m['scipy']}"
    )
    load = ", ".join(f"{x:.2f}" for x in m["load_average"])
    end = m.get("load_average_end")
    end = f"; at the end: {', '.join(f'{x:.2f}' for x in end)}" if end else ""
    print(f"load average at start (1, 5, 15 min): {load}{end}")
    ref = m.get("reference_loop_end_s")
    ref = f" (at the start), {ref:.2f} s (at the end)" if ref else ""
    print(
        f"reference loop (10 million additions in Python): {m['reference_loop_s']:.2f} s{ref}; "
        "slower than usual means a busy host\n"
    )
    r = results.get("one_run", {})
    if "error" not in r and r:
        for name in SCENARIOS:
            s = r[name]["median_s"]
            print(
                f"one run, {name:9s}: median {s * 1e3:6.1f} ms (best {r[name]['min_s'] * 1e3:.1f}"
                f" ms)  [{GOALS['one_run'][0]}: {_verdict(s <= GOALS['one_run'][1])}]"
            )
        print(
            f"  load_scenario(baseline.toml): {r['load_scenario_s'] * 1e3:.1f} ms; peak "
            f"{_mib(r['peak_rss_bytes'])}"
        )
    from hubinsim.defaults import DEFAULT_CHUNK_SIZE

    for case, label in (
        ("members_1k", "1,000 members"),
        ("members_100k", f"100,000 members, chunks of {DEFAULT_CHUNK_SIZE:,}, serial"),
        ("members_100k_2workers", "100,000 members, 2 worker processes"),
        ("one_pass_100k", "100,000 members in one pass (no chunks)"),
    ):
        r = results.get(case)
        if not r:
            continue
        if "error" in r:
            print(f"{label}: failed: {r['error']}")
            continue
        peak = r["peak_rss_bytes"]
        for name in SCENARIOS:
            s = r[name]["wall_s"]
            goal = ""
            if case.startswith("members_100k") and not quick:
                ok = s <= GOALS["members_100k"][1] and peak < GOALS["members_100k"][2]
                goal = f"  [{GOALS['members_100k'][0]}: {_verdict(ok)}]"
            cpu = r[name]["cpu_s"]
            kept = r[name]["kept_indicators"]
            print(
                f"{label}, {name}: {s:.2f} s (CPU {cpu:.2f} s here), {kept} indicators kept{goal}"
            )
        print(
            f"  peak memory (process and workers): {_mib(peak)} (main process "
            f"{_mib(r['peak_main_bytes'])}, largest worker {_mib(r['peak_worker_bytes'])})"
        )
    r = results.get("members_1m")
    if r and "error" not in r:
        print(
            f"{r['members']:,} members, 2 workers, baseline, one indicator kept: "
            f"{r['wall_s']:.1f} s (CPU {r['cpu_s']:.1f} s here); peak main process "
            f"{_mib(r['peak_main_bytes'])} (draws {_mib(r['draws_bytes'])}, kept values "
            f"{_mib(r['kept_bytes'])}), largest worker {_mib(r['peak_worker_bytes'])}"
        )
    elif r:
        print(f"{r.get('members', 'million')} members: failed: {r['error']}")
    r = results.get("sobol")
    if r and "error" not in r:
        print(f"Sobol, {r['parameters']} parameters, {r['outputs']} outputs:")
        for key, v in r.items():
            if key.startswith("N="):
                print(f"  {key}: {v['runs']:,} runs, {v['wall_s']:.1f} s ({v['backend']})")
        if "N=4096" in r:
            s = r["N=4096"]["wall_s"]
            print(f"  [{GOALS['sobol'][0]}: {_verdict(s < GOALS['sobol'][1])}]")
        print(f"  peak memory: {_mib(r['peak_rss_bytes'])}")
    elif r:
        print(f"Sobol: failed: {r['error']}")
    r = results.get("solve")
    if r and "error" not in r:
        for key in ("one_lever", "two_levers", "one_lever_200_draws"):
            v = r[key]
            ok = v["wall_s"] < GOALS["solve"][1]
            print(
                f"solve {v['target']}, {key.replace('_', ' ')}: {v['wall_s']:.2f} s, "
                f"{v['runs']} runs, {v['status']}  [{GOALS['solve'][0]}: {_verdict(ok)}]"
            )
        print(
            f"  first call (imports scipy.optimize; target already met): {r['first_call_s']:.2f} s"
        )
        v = r["attribution_stimulus"]
        print(
            f"attribution, stimulus against baseline: {v['settings']} settings, {v['runs']} runs, "
            f"{v['wall_s']:.2f} s"
        )
    elif r:
        print(f"solve: failed: {r['error']}")
    r = results.get("calibrate")
    if r and "error" not in r:
        for key in ("starts=4", "starts=1"):
            v = r[key]
            ok = v["wall_s"] < GOALS["calibrate"][1]
            print(
                f"calibrate, 3 parameters, {r['figures']} figures of 2021-2025, {key}: "
                f"{v['wall_s']:.2f} s, {v['runs']} runs  [{GOALS['calibrate'][0]}: {_verdict(ok)}]"
            )
        print(f"  first call (imports scipy.optimize; 1 parameter): {r['first_call_s']:.2f} s")
        v = r["backtest"]
        print(
            f"backtest from 2023, the same 3 parameters: {v['wall_s']:.2f} s, {v['series']} series"
        )
    elif r:
        print(f"calibrate: failed: {r['error']}")
    r = results.get("cli")
    if r:
        for key in (
            "cli_help",
            "cli_run",
            "cli_run_charts",
            "cli_compare_charts",
            "cli_run_ensemble",
        ):
            v = r.get(key)
            if v is None:
                continue
            if "error" in v:
                print(f"{v['command']}: exit {v['exit_code']}: {v['error']}")
                continue
            goal = ""
            if key in GOALS:
                ok = v["median_s"] < GOALS[key][1]
                goal = f"  [{GOALS[key][0]}: {_verdict(ok)}]"
            print(
                f"{v['command']}: first {v['first_s']:.2f} s, best {v['best_s']:.2f} s, "
                f"median {v['median_s']:.2f} s{goal}"
            )
    r = results.get("tests")
    if r:
        ok = r["exit_code"] == 0 and r["wall_s"] < GOALS["tests"][1]
        print(
            f"test suite (python -m pytest): {r['wall_s']:.0f} s, {r['summary']}"
            f"  [{GOALS['tests'][0]}: {_verdict(ok)}]"
        )
    r = results.get("profile")
    if r and "error" not in r:
        print(f"profile: {r['members']:,} members (baseline), by chunk size:")
        for chunk, s in r["by_chunk_size"].items():
            par = r["by_chunk_size_2workers"][chunk]
            print(f"  chunks of {int(chunk):>7,}: {s:.2f} s serial, {par:.2f} s with 2 workers")
        print("  where a 10,000-member chunk spends its time (self time):")
        for row in r["profile_10k"]:
            print(f"    {row['share']:5.1%}  {row['self_s']:.3f} s  {row['function']}")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes")
    ap.add_argument("--only", nargs="*", choices=[*CASES, "cli", "tests"], help="cases to run")
    ap.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        _child(args.child, args.quick)
        return
    results = {"machine": machine()}
    for case in args.only or [*CASES, "cli", "tests"]:
        print(f"running {case} ...", file=sys.stderr, flush=True)
        if case == "cli":
            results[case] = case_cli(3 if args.quick else 5, args.quick)
        elif case == "tests":
            results[case] = case_tests()
        else:
            results[case] = _run_case(case, args.quick)
    # Other processes share the CPUs: the load at the end shows whether it changed.
    results["machine"]["load_average_end"] = os.getloadavg()
    results["machine"]["reference_loop_end_s"] = reference_loop()
    report(results, args.quick)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
