"""Every registered figure, for Lao Cai and for a 63-province comparison: no two pieces of text overlap, count axes
start at zero, a log axis says so, one unit per axis, and a legend shows only what is drawn."""
from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from laocai_stats import open_dataset  # noqa: E402
from laocai_stats.publish.compare_figures import comparison_tables_with_values, growth_figure  # noqa: E402
from laocai_stats.publish.figures import FIGURES, draw  # noqa: E402
from laocai_stats.publish.style import themed  # noqa: E402
from laocai_stats.stats.compare import compare  # noqa: E402


def texts(fig):
    """Every visible, non-empty text of the figure, with the Axes it belongs to (None for the figure's own)."""
    out = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        mine = []
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            # Ticks outside the view are laid out but never drawn.
            mine += [t for t, loc in zip(axis.get_ticklabels(), axis.get_ticklocs()) if low - 1e-9 <= loc <= high + 1e-9]
        mine += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
        mine += ax.texts  # notes in a panel, and the province names of a comparison of many (drawn as texts, not ticks)
        if ax.get_legend():
            mine += ax.get_legend().get_texts()
        out += [(t, ax) for t in mine]
    own = [t for legend in fig.legends for t in legend.get_texts()]
    own += [t for t in (fig._suptitle, fig._supxlabel, fig._supylabel) if t is not None]
    out += [(t, None) for t in own]
    return [(t, ax) for t, ax in out if t.get_visible() and t.get_text().strip()]


def overlaps(fig) -> list[str]:
    """Pairs of texts whose boxes overlap, and texts that reach into another panel's plotting area."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), ax, t.get_window_extent(renderer).expanded(0.98, 0.9)) for t, ax in texts(fig)]
    found = [f"{a!r} overlaps {b!r}" for (a, _, box_a), (b, _, box_b) in itertools.combinations(boxes, 2)
             if box_a.overlaps(box_b)]
    panels = [ax for ax in fig.axes if ax.get_visible()]
    found += [f"{text!r} reaches into the panel {other.get_title()!r}" for text, owner, box in boxes
              for other in panels if other is not owner and box.overlaps(other.bbox)]
    return found


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


LAO_CAI = open_dataset()


@pytest.mark.parametrize("spec", FIGURES, ids=lambda s: s.name)
def test_lao_cai_figures_are_legible_and_honest(spec):
    with themed():
        fig = draw(spec.name, LAO_CAI)
    assert overlaps(fig) == []
    assert fig._suptitle is not None or any(ax.get_title() for ax in fig.axes)
    for ax in fig.axes:
        if ax.get_yscale() == "log":
            assert "log scale" in ax.get_ylabel()
        label = ax.get_ylabel() + ax.get_xlabel()
        assert " / " not in label, label  # one unit per axis
        if ax.get_yscale() == "linear" and ax.get_lines() and "Index" not in ax.get_ylabel() and ax.get_ylabel():
            assert ax.get_ylim()[0] <= 0, (spec.name, ax.get_title())  # counts start at zero


@pytest.fixture(scope="module")
def sixty_three(tmp_path_factory):
    """63 copies of the shipped package, each province's numbers scaled by its own random factors."""
    import csv
    import json
    import shutil

    import numpy as np

    from laocai_stats.data.dataset import default_data_dir
    from laocai_stats.data.package import rehash

    rng = np.random.default_rng(63)
    root = tmp_path_factory.mktemp("provinces")
    folders = []
    for n in range(1, 64):
        folder = root / f"p{n:02d}"
        shutil.copytree(default_data_dir(), folder)
        for table in ("conferences", "publications", "website", "press"):
            path = folder / f"{table}.csv"
            rows = list(csv.DictReader(path.open(encoding="utf-8")))
            for row in rows:
                row["value"] = str(max(1, round(int(row["value"]) * rng.uniform(0.2, 5.0))))
            with path.open("w", encoding="utf-8", newline="") as f:
                writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        descriptor["province"] = f"Province {n:02d}"
        (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
        rehash(folder)
        folders.append(folder)
    return compare(folders, check=False)  # the copies are made here; validating 63 of them would only cost time


def test_63_province_comparison_figures_do_not_overlap(sixty_three):
    for table in comparison_tables_with_values(sixty_three):
        with themed():
            fig = growth_figure(sixty_three, table)
        assert overlaps(fig) == [], table
        plt.close(fig)


def test_the_compare_legend_shows_no_trend_that_is_not_drawn(sixty_three):
    growth = sixty_three.growth.copy()
    for column in [c for c in growth.columns if c.startswith("trend_growth")]:
        growth[column] = float("nan")
    sixty_three.growth = growth
    with themed():
        fig = growth_figure(sixty_three, "website")
    labels = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    assert not any("Trend" in label for label in labels)
