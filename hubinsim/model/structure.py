"""The model's declared structure: stocks, the auxiliaries between them, the influences, and
the feedback loops with their polarity and the parameter that switches each off.

docs/model.md shows it as a stock-and-flow diagram (Mermaid) and a loop table, written by
``python scripts/update_structure.py`` (:func:`update`); tests/test_structure.py checks that
the declaration covers every dependency the rate function actually has (a probe perturbs
each stock) and that the page is current.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: Blocks of the diagram, in the order they are drawn.
BLOCKS = (
    "production",
    "investment",
    "government",
    "households",
    "labour",
    "industry",
    "innovation",
    "prices",
    "expectations",
)


@dataclass(frozen=True)
class Node:
    """A stock (``stock=True``) or an auxiliary of the diagram."""

    name: str
    label: str
    block: str
    stock: bool = True


N = Node
NODES: tuple[Node, ...] = (
    # stocks
    N("K_p", "capital, agriculture", "production"),
    N("K_s", "capital, industry", "production"),
    N("K_t", "capital, services", "production"),
    N("H", "housing and urban construction", "production"),
    N("G", "public capital", "production"),
    N("A_p", "TFP, agriculture", "production"),
    N("A_s", "TFP, industry", "production"),
    N("A_t", "TFP, services", "production"),
    N("s_p", "employment share, agriculture", "labour"),
    N("s_s", "employment share, industry", "labour"),
    N("s_t", "employment share, services", "labour"),
    N("POP", "residents", "labour"),
    N("RI", "perceived relative expected income", "labour"),
    N("LS", "labour drawn in (participation, commuting)", "labour"),
    N("F", "share of posts filled (perceived)", "labour"),
    N("S_p", "lasting shock perceived, agriculture", "labour"),
    N("S_s", "lasting shock perceived, industry", "labour"),
    N("S_t", "lasting shock perceived, services", "labour"),
    N("REF", "neighbours' income", "labour"),
    N("KN", "knowledge", "innovation"),
    N("RP", "R&D in gestation", "innovation"),
    N("N", "above-scale incumbents", "industry"),
    N("N_a", "attracted firms", "industry"),
    N("PC", "committed plants", "industry"),
    N("K_c", "attracted firms' capital", "industry"),
    N("P_p", "price, agriculture", "prices"),
    N("P_s", "price, secondary", "prices"),
    N("P_t", "price, services", "prices"),
    N("P_I", "price, investment", "prices"),
    N("PB_t", "price, services, base path", "prices"),
    N("g_e", "expected growth", "expectations"),
    N("TG", "2020 trough", "expectations"),
    N("z", "services demand pressure", "expectations"),
    N("z_s", "industry demand pressure", "expectations"),
    N("V", "visitors' spending", "households"),
    N("R_o", "non-resident shoppers", "households"),
    N("XR", "region's demand for services", "households"),
    N("XG", "demand for industrial goods", "households"),
    N("TRP", "transfers per resident", "government"),
    N("D", "government debt", "government"),
    N("B", "public projects waiting for money", "government"),
    N("BP", "the pool's part of them", "government"),
    N("PQ", "pool projects waiting for room", "investment"),
    N("RB", "revenue base of the budget", "government"),
    *(
        N(f"PD_{cat}", f"pool deviation delivered, {cat}", "investment")
        for cat in ("social", "agriculture", "ecology", "industry", "services", "urban",
                    "transport")
    ),
    # auxiliaries
    N("labour_supply", "labour force, natural employment", "labour", False),
    N("potential", "potential output by sector", "production", False),
    N("desired_capital", "desired capital", "investment", False),
    N("finance", "firms' finance", "investment", False),
    N("private_inv", "business and housing investment", "investment", False),
    N("pool", "project pool (planned path, deviation)", "investment", False),
    N("revenue_pot", "revenue and current spending at potential", "government", False),
    N("public_inv", "public investment (district's share within its limit)", "government", False),
    N("fai", "fixed-asset investment", "investment", False),
    N("demand_pot", "local and regional demand at potential", "households", False),
    N("cyclical", "demand deviation: trough, vouchers, relief, extra", "households", False),
    N("output", "value added", "production", False),
    N("employment", "labour demand, unemployment", "labour", False),
    N("expected_income", "real wage x chance of a job", "labour", False),
    N("revenue", "budget revenue, land revenue, spending", "government", False),
    N("rd_spending", "R&D spending", "innovation", False),
    N("potential_growth", "growth of potential output", "expectations", False),
    N("productivity", "output per natural worker", "labour", False),
    N("entry", "firms crossing the threshold", "industry", False),
)  # fmt: skip

#: Influences: (from, to). A stock's own decay or growth (depreciation, exits, prices...) is
#: not drawn.
EDGES: tuple[tuple[str, str], ...] = (
    # potential output
    *((s, "potential") for s in ("K_p", "K_s", "K_t", "A_p", "A_s", "A_t", "G", "KN", "H")),
    *((s, "potential") for s in ("s_p", "s_s", "s_t", "K_c", "z", "z_s", "labour_supply")),
    ("POP", "labour_supply"),
    # investment
    ("potential", "desired_capital"),
    ("PB_t", "desired_capital"),  # services capital follows their price against its base path
    ("POP", "desired_capital"),
    ("g_e", "desired_capital"),
    ("desired_capital", "private_inv"),
    ("finance", "private_inv"),
    *((s, "private_inv") for s in ("K_p", "K_s", "K_t", "H", "g_e", "P_I")),
    ("potential", "finance"),
    *((s, "finance") for s in ("P_p", "P_s", "P_t", "P_I")),
    ("pool", "fai"),
    ("private_inv", "fai"),
    ("public_inv", "fai"),
    ("PC", "fai"),
    ("P_I", "fai"),
    ("fai", "K_p"),
    ("fai", "K_s"),
    ("fai", "K_t"),
    ("fai", "H"),
    ("PC", "K_s"),
    ("public_inv", "G"),
    ("pool", "public_inv"),
    *((f"PD_{c}", "fai") for c in ("agriculture", "industry", "services", "urban")),
    *(
        (f"PD_{c}", "public_inv")
        for c in ("social", "agriculture", "ecology", "urban", "transport")
    ),
    *(
        ("pool", f"PD_{c}")
        for c in ("social", "agriculture", "ecology", "industry", "services", "urban", "transport")
    ),
    # government
    ("potential", "revenue_pot"),
    ("RB", "revenue_pot"),  # current spending follows the revenue base
    ("revenue_pot", "RB"),
    ("private_inv", "revenue_pot"),
    *((s, "revenue_pot") for s in ("TRP", "POP", "P_p", "P_s", "P_t", "P_I")),
    ("revenue_pot", "public_inv"),
    ("desired_capital", "public_inv"),
    *((s, "public_inv") for s in ("G", "D", "B", "P_I")),
    ("public_inv", "B"),
    ("public_inv", "BP"),
    ("B", "BP"),
    ("fai", "PQ"),
    ("output", "revenue"),
    ("revenue_pot", "revenue"),
    ("public_inv", "revenue"),
    ("fai", "revenue"),
    ("D", "revenue"),
    ("revenue", "D"),
    # demand
    ("potential", "demand_pot"),
    ("fai", "demand_pot"),
    ("revenue_pot", "demand_pot"),
    *((s, "demand_pot") for s in ("POP", "V", "R_o", "XR", "P_p", "P_s", "P_t", "PB_t")),
    ("demand_pot", "P_t"),  # services prices respond to demand against capacity
    ("potential", "P_t"),
    ("demand_pot", "z"),
    ("potential", "z"),
    ("XG", "z_s"),
    ("potential", "z_s"),
    ("demand_pot", "cyclical"),
    ("fai", "cyclical"),
    ("TG", "cyclical"),
    ("V", "cyclical"),
    ("potential", "output"),
    ("TG", "output"),
    ("fai", "output"),
    ("cyclical", "output"),
    ("output", "cyclical"),
    # labour
    ("labour_supply", "employment"),
    ("potential", "employment"),
    ("output", "employment"),
    ("output", "expected_income"),
    ("employment", "expected_income"),
    ("employment", "LS"),
    ("employment", "F"),  # posts beyond the labour force are filled less than one for one
    ("F", "output"),  # unfilled posts cost output
    # firms adjust their posts to a value-added shock they perceive as lasting (hoarding)
    *((x, "employment") for x in ("S_p", "S_s", "S_t")),
    ("LS", "employment"),
    ("LS", "expected_income"),
    *((s, "expected_income") for s in ("P_s", "P_t")),
    ("expected_income", "RI"),
    ("REF", "RI"),
    ("RI", "POP"),
    ("potential", "productivity"),
    *((s, "productivity") for s in ("P_p", "P_s", "P_t")),
    ("productivity", "s_p"),
    ("productivity", "s_s"),
    ("productivity", "s_t"),
    ("z", "s_t"),
    ("z_s", "s_s"),
    *((s, s2) for s in ("s_p", "s_s", "s_t") for s2 in ("s_p", "s_s", "s_t") if s != s2),
    # innovation
    ("output", "rd_spending"),
    ("rd_spending", "RP"),
    ("RP", "KN"),
    # industry
    ("output", "entry"),
    ("entry", "N"),
    ("PC", "K_c"),
    ("g_e", "K_c"),  # the cohort expands its plants with expected growth
    # expectations
    ("private_inv", "potential_growth"),
    ("public_inv", "potential_growth"),
    ("fai", "potential_growth"),
    ("potential", "potential_growth"),
    ("productivity", "potential_growth"),
    *((s, "potential_growth") for s in ("K_p", "K_s", "K_t", "G", "KN", "RP", "RI", "POP")),
    *((s, "potential_growth") for s in ("s_p", "s_s", "s_t", "z", "z_s")),
    ("potential_growth", "g_e"),
)


@dataclass(frozen=True)
class Loop:
    """A feedback loop: its polarity (R reinforcing, B balancing), the variables on it, what
    it does, and the parameter value that switches it off (within the parameter's range)."""

    name: str
    polarity: str
    variables: tuple[str, ...]
    meaning: str
    switch: tuple[str, float]


LOOPS: tuple[Loop, ...] = (
    Loop(
        "capital adjustment",
        "B",
        ("capital", "desired capital", "investment", "capital"),
        "investment closes the gap between desired and installed capital: extra capital (an "
        "extra project) is followed by less investment later (crowding out over years)",
        ("investment.adjustment_rate", 0.0),
    ),
    Loop(
        "housing market",
        "B",
        ("housing stock", "housing demand against the stock", "housing investment",
         "housing stock"),
        "developers build above the normal flow (demand growth and replacement) where demand "
        "exceeds the stock and below it where the stock exceeds demand: the gap closes",
        ("housing.investment_response", 0.0),
    ),
    Loop(
        "capital and output",
        "R",
        ("capital", "potential output", "desired capital", "investment", "capital"),
        "more capital raises output, which raises the capital firms want: growth feeds "
        "investment (converges, as the capital elasticity is below 1)",
        ("investment.adjustment_rate", 0.0),
    ),
    Loop(
        "growth expectations",
        "R",
        ("expected growth", "investment", "capital growth", "potential growth", "expected growth"),
        "investment plans for the growth expected; faster capital growth confirms it",
        ("growth.expectation_rate", 0.0),
    ),
    Loop(
        "public capital",
        "B",
        ("public capital", "desired public capital", "public investment", "public capital"),
        "public investment closes the gap to the public capital capacity output calls for",
        ("investment.public_adjustment_rate", 0.0),
    ),
    Loop(
        "local multiplier",
        "R",
        ("services output", "wages", "disposable income", "consumption", "local demand",
         "services output"),
        "spending in the district pays wages that are partly spent in the district again "
        "(the consumption multiplier on demand deviations; closed form within a step)",
        ("consumption.income_response", 0.0),
    ),
    Loop(
        "demand pressure and utilisation",
        "B",
        ("demand pressure", "potential output (capacity in use)", "demand pressure"),
        "where demand presses on capacity, capacity is used more and output follows demand; "
        "more output relieves the pressure",
        ("services.demand_utilisation", 0.0),
    ),
    Loop(
        "services prices",
        "B",
        ("services demand pressure", "services prices", "real services demand",
         "services demand pressure"),
        "services demand above capacity raises services prices against the others; the region "
        "buys fewer of them and households' money buys fewer, and services capital follows "
        "the higher prices: the pressure is cleared",
        ("services.price_response", 0.0),
    ),
    Loop(
        "structural change",
        "B",
        ("demand pressure", "employment shares", "capacity", "demand pressure"),
        "labour moves to the sector whose demand outgrows its capacity (services: income "
        "elasticity above 1, visitors, the region); the capacity it adds relieves the pressure",
        ("services.demand_pull", 0.0),
    ),
    Loop(
        "productivity pull",
        "B",
        ("relative output per worker", "employment shares", "output per worker"),
        "labour moves toward rising relative output per worker, which falls where it goes "
        "(diminishing returns)",
        ("labour.reallocation_elasticity", 0.0),
    ),
    Loop(
        "migration",
        "B",
        ("expected income", "migration", "residents", "labour supply", "output per worker",
         "expected income"),
        "residents move toward expected income (real wage times the chance of a job) "
        "relative to the neighbours'; more people lower output per worker (Harris-Todaro); "
        "the response saturates at `population.migration_limit`",
        ("population.migration_elasticity", 0.0),
    ),
    Loop(
        "wage offered",
        "B",
        ("labour demand beyond the labour force", "wage offered to newcomers",
         "expected income", "migration", "residents", "labour supply",
         "labour demand beyond the labour force"),
        "where employers offer more jobs than the labour force fills at the natural rate, "
        "they bid up the wage offered to newcomers; expected income rises and draws residents, "
        "whose labour closes the shortage (REMI's wage equation, Harris-Todaro)",
        ("labour.vacancy_wage_response", 0.0),
    ),
    Loop(
        "labour shortage",
        "B",
        ("labour demand beyond the labour force", "share of posts filled", "output",
         "income", "services demand", "labour demand beyond the labour force"),
        "posts the labour force cannot fill cost the output their crews would make; the lower "
        "output pays less income and asks for fewer services and their posts, so the shortage "
        "narrows (and the attracted firms' plants run below capacity)",
        ("labour.shortage_output", 0.0),
    ),
    Loop(
        "debt limit",
        "B",
        ("debt", "borrowing room", "public investment", "deficit", "debt"),
        "near the debt limit the district holds public projects back; they wait in a backlog",
        ("fiscal.debt_limit", 3.0),
    ),
    Loop(
        "land finance",
        "R",
        ("housing investment", "land revenue", "public investment", "public capital",
         "output", "housing demand", "housing investment"),
        "land sold for housing finances public projects that raise output and housing demand",
        ("fiscal.land_revenue_elasticity", 0.0),
    ),
    Loop(
        "knowledge",
        "R",
        ("output", "R&D spending", "knowledge", "TFP", "output"),
        "R&D is a share of GDP: knowledge raises output and so R&D (the switch also takes "
        "away what a rise in R&D intensity buys, and leaves its cost)",
        ("innovation.local_capture", 0.0),
    ),
)  # fmt: skip

#: The feedback parameters at the values that switch every loop off.
FEEDBACKS_OFF: dict[str, float] = {lp.switch[0]: lp.switch[1] for lp in LOOPS}


def mermaid() -> str:
    """The stock-and-flow diagram as Mermaid text: stocks as boxes, auxiliaries as rounded
    nodes, grouped by block; arrows are influences."""
    lines = ["flowchart LR"]
    for block in BLOCKS:
        lines.append(f"  subgraph {block}")
        for node in NODES:
            if node.block != block:
                continue
            text = f"{node.label}<br/><i>{node.name}</i>" if node.stock else node.label
            shape = f'["{text}"]' if node.stock else f'("{text}")'
            lines.append(f"    {node.name}{shape}")
        lines.append("  end")
    for a, b in EDGES:
        lines.append(f"  {a} --> {b}")
    return "\n".join(lines)


def loop_table() -> str:
    """The loop table as Markdown."""
    rows = [
        "| loop | polarity | variables on it | what it does | switched off by |",
        "|---|---|---|---|---|",
    ]
    for lp in LOOPS:
        name, off = lp.switch
        rows.append(
            f"| {lp.name} | {lp.polarity} | {' -> '.join(lp.variables)} | {lp.meaning} | "
            f"`{name}` = {off:g} |"
        )
    return "\n".join(rows)


BEGIN = "<!-- structure: generated by `python scripts/update_structure.py`; do not edit -->"
END = "<!-- structure: end -->"


def section() -> str:
    """The generated part of docs/model.md (between BEGIN and END)."""
    return "\n".join(
        [
            BEGIN,
            "",
            "Feedback loops (R reinforcing, B balancing):",
            "",
            loop_table(),
            "",
            "Stock-and-flow diagram (boxes are stocks, rounded nodes auxiliaries; arrows "
            "are influences):",
            "",
            "```mermaid",
            mermaid(),
            "```",
            "",
            END,
        ]
    )


def update(path: str | Path) -> bool:
    """Write the generated section into ``path`` (between BEGIN and END, which must be
    there); returns whether the file changed."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    new = text[:start] + section() + text[end:]
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text
