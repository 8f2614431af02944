"""CPU settings for CTranslate2, the engine under faster-whisper and the fast translator.

CTranslate2 does its matrix products with a math library that already uses every vector
instruction the CPU has, but it runs its own kernels (softmax, layer norm, quantising the
activations to int8, beam search) with AVX2 unless the environment variable
``CT2_FORCE_CPU_ISA`` says otherwise, even on CPUs with AVX-512. On a CPU that has AVX-512
the pipeline asks for it: measured on this project's workstation, translation with the
opus-mt-sized model ran 12-19% faster on two cores and speech recognition 3-9% faster
(benchmarks/README.md). A value the user set is always kept, so ``CT2_FORCE_CPU_ISA=AVX2``
restores CTranslate2's own choice.

Every thread count the pipeline picks for itself (speech clips decoded at once, translation
workers) is taken from :func:`usable_cores`: the machine's cores, or fewer where
``SESSION_PIPELINE_CORES`` says so (a batch gives each of the sessions it runs side by side
its share of the machine this way, and a user can leave cores to other work).

The choice is made once per process, before the first CTranslate2 model is loaded; both
engines call :func:`prepare_ctranslate2` before loading one, and load it through
:func:`load_ctranslate2`, which falls back to CTranslate2's own choice should CTranslate2
refuse AVX-512 (a system that reports the CPU flags but has not enabled the registers).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

ISA_VARIABLE = "CT2_FORCE_CPU_ISA"
CORES_VARIABLE = "SESSION_PIPELINE_CORES"
# The variables the numeric libraries (PyTorch's OpenMP, MKL, OpenBLAS) read for their threads.
LIBRARY_THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
# What CTranslate2 itself requires before it runs its AVX-512 kernels.
AVX512_FLAGS = frozenset({"avx512f", "avx512cd", "avx512vl", "avx512dq", "avx512bw"})
_chosen_here = False        # whether the variable was set by this module, not by the user


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> frozenset[str]:
    """The instruction-set flags of the first CPU, or none where they cannot be read."""
    try:
        with cpuinfo.open(encoding="ascii", errors="replace") as handle:
            for line in handle:
                key, _, value = line.partition(":")
                if key.strip() == "flags":
                    return frozenset(value.split())
    except OSError:
        pass
    return frozenset()


def prepare_ctranslate2(flags: frozenset[str] | None = None) -> str:
    """Choose the instruction set of CTranslate2's own kernels; returns the choice
    ("AVX512", the user's value, or "default" for CTranslate2's own pick)."""
    global _chosen_here
    chosen = os.environ.get(ISA_VARIABLE)
    if chosen:
        return chosen
    if AVX512_FLAGS <= (cpu_flags() if flags is None else flags):
        os.environ[ISA_VARIABLE] = "AVX512"
        _chosen_here = True
        return "AVX512"
    return "default"


def load_ctranslate2(load: Callable[[], T]) -> T:
    """``load()`` a CTranslate2 model. If it fails while the instruction set is this
    module's choice, the choice is dropped and the model loaded again with CTranslate2's
    own; a value the user set is never dropped, and a second failure is raised."""
    global _chosen_here
    try:
        return load()
    except (ValueError, RuntimeError) as exc:
        if not _chosen_here:
            raise
        log.warning("CTranslate2 refused %s=%s (%s); using its own choice.", ISA_VARIABLE,
                    os.environ.get(ISA_VARIABLE), str(exc).splitlines()[0] if str(exc) else exc)
        os.environ.pop(ISA_VARIABLE, None)
        _chosen_here = False
        return load()


def ctranslate2_isa() -> str:
    """The choice in force in this process, for the manifest."""
    return os.environ.get(ISA_VARIABLE) or "default"


def usable_cores() -> int:
    """The cores this process may keep busy: ``SESSION_PIPELINE_CORES`` where it is set to a
    whole number from 1, else every core of the machine."""
    value = os.environ.get(CORES_VARIABLE, "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    if value:
        log.warning("%s=%r is not a number of cores; using every core.", CORES_VARIABLE, value)
    return os.cpu_count() or 1


def limit_cores(cores: int) -> None:
    """Keep this process to ``cores`` cores from now on: the pipeline's own thread choices,
    and the numeric libraries' threads (PyTorch's at once if it is already loaded)."""
    import sys

    os.environ[CORES_VARIABLE] = str(cores)
    for variable in LIBRARY_THREAD_VARIABLES:
        os.environ[variable] = str(cores)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(cores)
