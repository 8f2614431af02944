"""The voice encoder's input: a 40-band mel power spectrogram, 25 ms windows every 10 ms, in numpy."""

from __future__ import annotations

import functools

import numpy as np

SAMPLE_RATE = 16000
N_FFT = 400                 # 25 ms
HOP = 160                   # 10 ms
N_MELS = 40
TARGET_DBFS = -30.0         # the level the encoder was trained at


def raise_level(samples: np.ndarray, target_dbfs: float = TARGET_DBFS) -> np.ndarray:
    """``samples`` made as loud as ``target_dbfs`` (root mean square), never quieter."""
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if samples.size else 0.0
    if rms <= 0:
        return samples
    change = target_dbfs - 20 * np.log10(rms)
    return samples if change <= 0 else (samples * 10 ** (change / 20)).astype(np.float32)


def mel_spectrogram(samples: np.ndarray) -> np.ndarray:
    """(frames, 40) mel power spectrogram of 16 kHz ``samples``, one frame per 10 ms.

    The same numbers as ``librosa.feature.melspectrogram(y, sr=16000, n_fft=400,
    hop_length=160, n_mels=40)`` (centred frames, zero padding, periodic Hann window,
    Slaney mel scale and norm), which the encoder was trained on; computed here so that no
    JIT compilation delays the first call.
    """
    padded = np.pad(samples.astype(np.float32, copy=False), N_FFT // 2)
    count = 1 + (len(padded) - N_FFT) // HOP
    frames = np.lib.stride_tricks.sliding_window_view(padded, N_FFT)[::HOP][:count]
    power = np.abs(np.fft.rfft(frames * _window(), axis=1)) ** 2
    return (power @ _filters().T).astype(np.float32)


@functools.cache
def _window() -> np.ndarray:
    return np.hanning(N_FFT + 1)[:-1].astype(np.float32)


def _hz_to_mel(hz: np.ndarray) -> np.ndarray:
    """Slaney's mel scale: linear below 1 kHz, logarithmic above."""
    hz = np.asarray(hz, dtype=np.float64)
    linear = hz / (200.0 / 3)
    log = 15.0 + np.log(np.maximum(hz, 1e-10) / 1000.0) / (np.log(6.4) / 27.0)
    return np.where(hz >= 1000.0, log, linear)


def _mel_to_hz(mel: np.ndarray) -> np.ndarray:
    mel = np.asarray(mel, dtype=np.float64)
    linear = mel * (200.0 / 3)
    log = 1000.0 * np.exp((np.log(6.4) / 27.0) * (mel - 15.0))
    return np.where(mel >= 15.0, log, linear)


@functools.cache
def _filters() -> np.ndarray:
    """(40, 201) triangular mel filters, each scaled to constant energy (Slaney norm)."""
    bins = np.linspace(0, SAMPLE_RATE / 2, 1 + N_FFT // 2)
    edges = _mel_to_hz(np.linspace(_hz_to_mel(0.0), _hz_to_mel(SAMPLE_RATE / 2), N_MELS + 2))
    widths = np.diff(edges)
    ramps = edges[:, None] - bins[None, :]
    lower = -ramps[:-2] / widths[:-1, None]
    upper = ramps[2:] / widths[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper))
    weights *= (2.0 / (edges[2:] - edges[:-2]))[:, None]
    return weights.astype(np.float32)
