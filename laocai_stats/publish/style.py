"""The one figure style: notebooks call `sns.set_theme(**THEME)`; `reproduce` applies it in a context; saving."""
from __future__ import annotations

import contextlib
from pathlib import Path

THEME = {
    "context": "notebook",
    "style": "whitegrid",
    "palette": "colorblind",
    "font": "DejaVu Sans",
    "rc": {
        "figure.figsize": (8.0, 4.5),
        "figure.dpi": 100,
        "savefig.dpi": 150,
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        "legend.frameon": False,
        # Fixed salt so that SVG element ids, and so the files, are the same on every run.
        "svg.hashsalt": "laocai-stats",
        "svg.fonttype": "none",
        # Names and labels come from the user's data: a '$' in them is a dollar sign, never mathtext to parse.
        "text.parse_math": False,
    },
}


@contextlib.contextmanager
def themed():
    """Apply THEME for the duration of a block, restoring the caller's settings after."""
    import matplotlib as mpl
    import seaborn as sns

    with mpl.rc_context():
        sns.set_theme(**THEME)
        yield


# What `sns.set_theme(**THEME)` sets besides THEME["rc"], written out so that a command drawing plain matplotlib
# figures (compare) need not import seaborn, and scipy.stats with it: half a second of a short command.
# tests/test_figures.py holds it equal to seaborn's. Left out: image.cmap ('rocket', a seaborn colormap; no
# figure drawn under `plain_themed` shows an image).
SEABORN_RC = {
    'axes.axisbelow': True,
    'axes.edgecolor': '.8',
    'axes.grid': True,
    'axes.labelcolor': '.15',
    'axes.labelsize': 12.0,
    'axes.linewidth': 1.25,
    'axes.prop_cycle': [  # seaborn's 'colorblind' palette
        (0.00392156862745098, 0.45098039215686275, 0.6980392156862745),
        (0.8705882352941177, 0.5607843137254902, 0.0196078431372549),
        (0.00784313725490196, 0.6196078431372549, 0.45098039215686275),
        (0.8352941176470589, 0.3686274509803922, 0.0),
        (0.8, 0.47058823529411764, 0.7372549019607844),
        (0.792156862745098, 0.5686274509803921, 0.3803921568627451),
        (0.984313725490196, 0.6862745098039216, 0.8941176470588236),
        (0.5803921568627451, 0.5803921568627451, 0.5803921568627451),
        (0.9254901960784314, 0.8823529411764706, 0.2),
        (0.33725490196078434, 0.7058823529411765, 0.9137254901960784),
    ],
    'font.family': ['DejaVu Sans'],
    'font.sans-serif': ['Arial', 'DejaVu Sans', 'Liberation Sans', 'Bitstream Vera Sans', 'sans-serif'],
    'font.size': 12.0,
    'grid.color': '.8',
    'grid.linewidth': 1.0,
    'legend.fontsize': 11.0,
    'legend.title_fontsize': 12.0,
    'lines.solid_capstyle': 'round',
    'patch.edgecolor': 'w',
    'patch.force_edgecolor': True,
    'text.color': '.15',
    'xtick.bottom': False,
    'xtick.color': '.15',
    'xtick.labelsize': 11.0,
    'xtick.major.size': 6.0,
    'xtick.major.width': 1.25,
    'xtick.minor.size': 4.0,
    'xtick.minor.width': 1.0,
    'ytick.color': '.15',
    'ytick.labelsize': 11.0,
    'ytick.left': False,
    'ytick.major.size': 6.0,
    'ytick.major.width': 1.25,
    'ytick.minor.size': 4.0,
    'ytick.minor.width': 1.0,
}


@contextlib.contextmanager
def plain_themed():
    """THEME for matplotlib-only figures, without importing seaborn; the same settings as `themed` (image.cmap apart)."""
    import matplotlib as mpl
    from cycler import cycler

    rc = {**SEABORN_RC, **THEME["rc"]}
    rc["axes.prop_cycle"] = cycler(color=rc["axes.prop_cycle"])
    with mpl.rc_context(rc):
        yield


SAVE_METADATA = {".png": {"Software": None}, ".svg": {"Date": None, "Creator": None}}


def save_figure(fig, stem: Path, *, formats=(".png", ".svg"), tight: bool = True) -> list[Path]:
    """Save in each of `formats` with no timestamps, so that the same figure gives the same bytes."""
    paths = []
    for suffix in formats:
        path = stem.with_suffix(suffix)
        fig.savefig(path, bbox_inches="tight" if tight else None, metadata=SAVE_METADATA[suffix])
        paths.append(path)
    return paths


def percent_axis(axis) -> None:
    """Tick labels of fractions as percentages, with the current language's separators (Vietnamese: 29,5 %)."""
    from matplotlib.ticker import FuncFormatter, PercentFormatter

    from ..text import DEFAULT_LANGUAGE, language, percent

    if language() == DEFAULT_LANGUAGE:
        axis.set_major_formatter(PercentFormatter(1.0))
    else:
        axis.set_major_formatter(FuncFormatter(lambda value, _pos: percent(value, 0)))

