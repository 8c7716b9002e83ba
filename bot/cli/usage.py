"""What every `tcag … --help` ends with: examples to copy."""

from __future__ import annotations

import argparse
from typing import Any


def with_examples(*lines: str) -> dict[str, Any]:
    """Keyword arguments for `add_parser`: an "Examples:" epilog, printed as written."""
    shown = "\n".join(f"  {line}" for line in lines)
    return {
        "epilog": f"Examples:\n{shown}",
        "formatter_class": argparse.RawDescriptionHelpFormatter,
    }
