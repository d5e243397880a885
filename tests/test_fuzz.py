"""Fuzzing in the test suite: a short, deterministic slice of ``scripts/fuzz.py``.

* :func:`digitize.image.load_image` on mutated real image bytes (hypothesis): it only ever
  raises :class:`~digitize.errors.InputError`, with a one-line message, or returns RGB uint8.
* A couple of dozen mutated files through ``digitize.cli.main`` in-process: no exception
  escapes, only documented exit codes, and a failure is one ``digitize: error:`` line with
  nothing on stdout.

The long campaigns are ``python scripts/fuzz.py --n 5000``.
"""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from digitize.cli import main
from digitize.errors import InputError
from digitize.image import load_image

ROOT = Path(__file__).resolve().parent.parent
SEED_BYTES = (ROOT / "fixtures" / "seed" / "chart.png").read_bytes()
DOCUMENTED = {0, 2, 3, 4, 5}


def _load_fuzz_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("digitize_fuzz_script", ROOT / "scripts/fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


fuzz = _load_fuzz_script()


def _small_png() -> bytes:
    """A 64x48 chart-ish PNG: cheap to decode many times."""
    a = np.full((48, 64, 3), 255, np.uint8)
    a[4, 4:-4] = a[-5, 4:-4] = 0
    a[4:-4, 4] = a[4:-4, -5] = 0
    a[np.arange(10, 38), np.arange(10, 38) + 10] = (200, 30, 30)
    buf = io.BytesIO()
    Image.fromarray(a).save(buf, format="PNG")
    return buf.getvalue()


def _small_jpeg() -> bytes:
    buf = io.BytesIO()
    Image.open(io.BytesIO(_small_png())).save(buf, format="JPEG", quality=80)
    return buf.getvalue()


BASES = [_small_png(), _small_jpeg(), SEED_BYTES[:4096]]


def _check_loaded(data: bytes) -> None:
    try:
        out = load_image(data, max_pixels=2_000_000)
    except InputError as exc:
        msg = str(exc)
        assert msg and "\n" not in msg
        assert msg.startswith("<bytes>: ")
    else:
        assert out.dtype == np.uint8 and out.ndim == 3 and out.shape[2] == 3
        assert min(out.shape[:2]) >= 32 and out.shape[0] * out.shape[1] <= 2_000_000


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.sampled_from(BASES),
    flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 7)), max_size=12),
    cut=st.one_of(st.none(), st.integers(0, 10**6)),
    insert=st.binary(max_size=64),
    at=st.integers(0, 10**6),
)
def test_load_image_on_mutated_bytes_only_raises_input_error(
    base: bytes, flips: list[tuple[int, int]], cut: int | None, insert: bytes, at: int
) -> None:
    data = bytearray(base)
    for pos, bit in flips:
        data[pos % len(data)] ^= 1 << bit
    pos = at % (len(data) + 1)
    data[pos:pos] = insert
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    _check_loaded(bytes(data))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.binary(max_size=2048), magic=st.sampled_from(fuzz.MAGICS))
def test_load_image_on_random_bytes_only_raises_input_error(body: bytes, magic: bytes) -> None:
    _check_loaded(magic + body)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(0, 10**6))
def test_png_structure_mutations_only_raise_input_error(index: int) -> None:
    import random

    small = fuzz.Corpus(raw=[_small_png()], images=[], names=["small.png"])
    _ext, data = fuzz.gen_png_chunks(small, random.Random(index))
    _check_loaded(data)


# -- mutated files through the CLI, in-process -------------------------------------------------

# fast byte-level mutations and a few that reach the pipeline; a fixed seed keeps it repeatable
N_CLI = 24
CLI_SEED = 20240601


@pytest.fixture(scope="module")
def corpus() -> object:
    return fuzz.Corpus.load()


@pytest.mark.parametrize("index", range(N_CLI))
def test_mutated_files_through_cli_main(
    index: int, corpus: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gen, ext, data, flags = fuzz.make_input(index, CLI_SEED, corpus)
    path = tmp_path / f"{index:03d}-{gen}.{ext}"
    path.write_bytes(data)
    out = tmp_path / "out.csv"
    rc = main([str(path), *flags, "-o", str(out), "--timeout", "30"])  # must not raise
    captured = capsys.readouterr()
    assert rc in DOCUMENTED, (gen, flags, captured.err)
    assert "Traceback" not in captured.err
    assert captured.out == ""  # -o: nothing on stdout, ever
    if rc == 0:
        text = out.read_text()
        assert text.startswith("{" if "--json" in flags else "series,x,y,y_lower,y_upper")
    else:
        lines = captured.err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("digitize: error:"), captured.err
        assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # nothing left behind
