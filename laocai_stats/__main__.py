"""`python -m laocai_stats` is the `laocai-stats` command line."""
import sys

from .cli import main

sys.exit(main())
