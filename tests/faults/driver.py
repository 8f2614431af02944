"""Run the whole pipeline on one session folder, as a separate process the tests can kill.

Usage: python tests/faults/driver.py RECORDING AGENDA OUT ASR_MODEL_DIR FR_DIR ES_DIR

Settings: tiny.en with 60-second transcription windows (so the sample has several windows and
therefore several checkpoints), the given Marian folders with greedy decoding in batches of
8 (several translation-memory checkpoints per language), one thread per model (fastest on
a busy two-core machine), no progress bars. Stage logs go to stderr so a test can see
where a run resumed. Prints
"done" on success; a pipeline error is printed as "Error: <sentence>" with exit status 1.
"""

from __future__ import annotations

import sys

WINDOW_S = 60.0


def options(asr_model: str, fr_dir: str, es_dir: str):
    """The run's options: the tests' reference run and every killed run use the same."""
    from pipeline.runner import RunOptions
    from pipeline.transcribe import TranscribeOptions
    from pipeline.translate.options import TranslateOptions

    return RunOptions(
        transcribe=TranscribeOptions(asr_model=asr_model, window_s=WINDOW_S, cpu_threads=1),
        translate=TranslateOptions(models={"fr": fr_dir, "es": es_dir}, beam_size=1,
                                   batch_size=8, threads=1))


def main(argv: list[str]) -> int:
    import logging

    from pipeline.errors import PipelineError
    from pipeline.progress import NullReporter
    from pipeline.runner import run_session

    recording, agenda, out, asr_model, fr_dir, es_dir = argv
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    logging.getLogger("pipeline").setLevel(logging.INFO)
    logging.getLogger("pipeline.translate.batching").setLevel(logging.WARNING)
    try:
        run_session(recording, agenda, out, options=options(asr_model, fr_dir, es_dir),
                    reporter=NullReporter())
    except PipelineError as exc:
        print(f"Error: {exc}", file=sys.stderr, flush=True)
        return 1
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
