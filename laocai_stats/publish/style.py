"""The one figure style: notebooks call `sns.set_theme(**THEME)`; `reproduce` applies it in a context."""
from __future__ import annotations

import contextlib

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
