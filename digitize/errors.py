"""Exceptions of our own, one per documented exit code."""

from __future__ import annotations

import argparse


class DigitizeError(Exception):
    """Base class; ``exit_code`` is what the CLI exits with."""

    exit_code = 1


class UsageError(DigitizeError):
    """Bad command-line usage."""

    exit_code = 2


class InputError(DigitizeError):
    """The input cannot be read as an image (missing, empty, corrupt, too large)."""

    exit_code = 2


class NotAChartError(DigitizeError):
    """The image holds no chart we can find, or its axes cannot be read."""

    exit_code = 3


class AxisError(NotAChartError):
    """An axis could not be calibrated; the message names the axis and the flag to use."""


class LowConfidenceError(DigitizeError):
    """The result's confidence is below ``--min-confidence``."""

    exit_code = 4


class OCRUnavailableError(DigitizeError):
    """Neither Tesseract backend is usable; the message says what to install."""

    exit_code = 5


class UsageParser(argparse.ArgumentParser):
    """An argument parser whose errors are :class:`UsageError`: one line, exit 2, no usage
    dump (every ``digitize`` command line uses it)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)
