"""digitize: turn a picture of a chart back into the numbers behind it.

>>> import digitize
>>> result = digitize.read("chart.png")      # doctest: +SKIP
>>> print(result.to_csv())                    # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    AxisError,
    DigitizeError,
    InputError,
    LowConfidenceError,
    NotAChartError,
    OCRUnavailableError,
    UsageError,
)

if TYPE_CHECKING:  # pragma: no cover
    from .result import ChartResult

__version__ = "0.1.0"


def read(source: Any, **options: Any) -> ChartResult:
    """Digitize one chart image; see :func:`digitize.pipeline.read`."""
    from .pipeline import read as _read

    return _read(source, **options)


__all__ = [
    "read",
    "DigitizeError",
    "InputError",
    "NotAChartError",
    "AxisError",
    "LowConfidenceError",
    "OCRUnavailableError",
    "UsageError",
]
