"""Write the stock-and-flow diagram and the loop table into docs/model.md.

Both are generated from the model's declared structure (hubinsim/model/structure.py) and
replace the text between the markers of docs/model.md; tests/test_structure.py fails when the
page is not current. Run after changing the declaration:

    python scripts/update_structure.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the checkout's hubinsim, not another installed copy

from hubinsim.model import structure  # noqa: E402

if __name__ == "__main__":
    page = ROOT / "docs" / "model.md"
    changed = structure.update(page)
    print(f"{page.relative_to(ROOT)}: {'updated' if changed else 'already current'}")
