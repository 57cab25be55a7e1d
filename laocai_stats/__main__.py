"""`python -m laocai_stats` is the `laocai-stats` command line."""
from .cli import entry

entry()
