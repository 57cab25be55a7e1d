"""Re-execute the committed notebooks in place with the pinned environment (`make notebooks`)."""
import sys
from pathlib import Path

from laocai_stats.run.notebooks import execute_in_place

ROOT = Path(__file__).resolve().parents[1]
paths = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
for path in paths:
    print(f"executing {path.relative_to(ROOT) if path.is_absolute() else path}", flush=True)
    execute_in_place(path.resolve())
