"""Figures plot exactly the table's values (read off the returned Axes), gaps for missing values, the same bytes every time."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from conftest import edit_csv  # noqa: E402

from laocai_stats import LaocaiError, load_table, open_dataset  # noqa: E402
from laocai_stats.publish.figures import (
    FIGURES,
    draw,
    plot_groups,
    plot_growth,
    plot_series,
    save_figure,
)
from laocai_stats.publish.style import themed
from laocai_stats.stats.summary import growth_summary


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def lines_by_gid(ax):
    return {line.get_gid(): line for line in ax.get_lines() if line.get_gid()}


@pytest.mark.parametrize("name", ["conferences", "publications", "website", "press"])
def test_plot_series_draws_each_value(name):
    frame = load_table(name)
    for indicator, rows in frame.groupby("indicator"):
        fig, ax = plt.subplots()
        plot_series(frame, indicators=[indicator], ax=ax)
        line = lines_by_gid(ax)[indicator]
        assert list(line.get_xdata()) == rows["year"].tolist()
        assert list(line.get_ydata()) == [float(v) for v in rows["value"]]
        assert ax.get_ylabel() == rows["unit"].iloc[0]
        plt.close(fig)


def test_a_missing_value_is_a_gap_not_zero(package):
    edit_csv(package, "website", "visits,2018,48317", "visits,2018,")
    ax = plot_series(load_table("website", package), indicators=["visits"])
    y = lines_by_gid(ax)["visits"].get_ydata()
    assert np.isnan(y[2]) and y[1] == 47465


def test_mixed_units_are_refused_unless_indexed():
    frame = load_table("website")
    with pytest.raises(LaocaiError, match="different units"):
        plot_series(frame)
    ax = plot_series(frame, index=True)
    assert lines_by_gid(ax)["visits"].get_ydata()[-1] == pytest.approx(364191 / 42650 * 100)


def test_plot_groups_bars_are_the_counts():
    frame = load_table("agents")
    ax = plot_groups(frame)
    widths = sorted(round(p.get_width()) for p in ax.patches if p.get_width() > 0)
    assert widths == sorted(int(v) for v in frame["value"])


def test_plot_growth_bars_are_the_cagr():
    summary = growth_summary(open_dataset())
    ax = plot_growth(summary)
    bars = ax.patches[: len(summary)]
    assert [p.get_width() for p in bars] == pytest.approx(summary["cagr"].astype(float).tolist())


@pytest.mark.parametrize("spec", FIGURES, ids=lambda s: s.name)
def test_every_registered_figure_has_labels_and_a_source_line(spec):
    with themed():
        fig = draw(spec.name, open_dataset())
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any(t.startswith("Source: Le & Bui (2024)") for t in texts)
    for ax in fig.axes:
        assert ax.get_xlabel(), "x axis says what it measures"
        assert ax.get_ylabel() or all(t.get_text() for t in ax.get_yticklabels()), "y axis labelled or its categories named"


def test_registered_website_figure_plots_the_table():
    with themed():
        fig = draw("website_articles_visits", open_dataset())
    articles = lines_by_gid(fig.axes[0])["articles"]
    assert list(articles.get_ydata()) == [182, 206, 218, 266, 264]
    assert fig.axes[1].get_ylabel() == "visits"


def test_same_figure_same_bytes(tmp_path):
    paths = []
    for run in ("a", "b"):
        (tmp_path / run).mkdir()
        with themed():
            paths.append(save_figure(draw("channels_index", open_dataset()), tmp_path / run / "f"))
    for first, second in zip(*paths):
        assert first.read_bytes() == second.read_bytes(), first.suffix


def test_the_plain_theme_is_seaborns_theme_without_seaborn():
    # compare draws under `plain_themed` so as not to import seaborn; the figures must look the same as under `themed`.
    import matplotlib as mpl

    from laocai_stats.publish.style import plain_themed, themed

    with themed():
        seaborn_rc = dict(mpl.rcParams)
    with plain_themed():
        plain_rc = dict(mpl.rcParams)
    differ = sorted(k for k in seaborn_rc if seaborn_rc[k] != plain_rc[k])
    assert differ == ["image.cmap"], differ  # seaborn's 'rocket' colormap: no compare figure shows an image
