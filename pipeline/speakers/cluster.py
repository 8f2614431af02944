"""Voice vectors grouped into speakers, their number estimated, the agenda's count a hint."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from pipeline.speakers.options import SpeakerOptions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Clustering:
    """A voice per point (``labels``, 0..k-1) and each voice's mean direction (``centroids``)."""

    labels: np.ndarray
    centroids: np.ndarray
    method: str

    @property
    def count(self) -> int:
        return len(self.centroids)


def cluster(points: np.ndarray, weights: np.ndarray, options: SpeakerOptions = SpeakerOptions(),
            hint: int | None = None) -> Clustering:
    """Group unit vectors ``points`` (weighted by seconds of speech) into voices.

    The voices are shaped by the sentences of at least ``seed_sentence_s`` (see
    :func:`seeds`); every point then goes to its nearest voice. The number of voices is
    estimated (``options.clustering`` says how); ``hint``, the number of people the agenda
    lists, keeps apart voices that are fairly but not very alike (``hinted_same_voice``)
    while there are fewer voices than that: a hint, never a limit. Voices heard for less
    than ``min_speaker_s`` are folded into their nearest voice.
    """
    points = _unit(np.asarray(points, dtype=np.float64))
    weights = np.asarray(weights, dtype=np.float64)
    if len(points) == 0:
        return Clustering(np.zeros(0, np.int64), np.zeros((0, points.shape[1])), options.clustering)
    chosen = seeds(weights, options)
    if options.speakers is not None:
        labels = _exactly(points[chosen], options.speakers)
        centroids = _centroids(points[chosen], weights[chosen], labels, labels.max() + 1)
    else:
        labels = _METHODS[options.clustering](points[chosen], weights[chosen], options, hint)
        labels = _merge_short(points[chosen], weights[chosen], labels, options)
        centroids = _fold_short(points[chosen], weights[chosen], labels, options.min_speaker_s)
    labels = nearest(points, centroids)
    centroids = _centroids(points, weights, labels, len(centroids))
    log.info("%d voices among %d sentences (%s clustering, hint %s)", len(centroids),
             len(points), options.clustering, hint)
    return Clustering(labels, centroids, options.clustering)


def seeds(weights: np.ndarray, options: SpeakerOptions = SpeakerOptions()) -> np.ndarray:
    """Indices of the points that shape the voices: the sentences heard for at least
    ``seed_sentence_s`` (all of them when fewer than two are), since one window of a short
    sentence gives a noisy vector that would stand apart as a voice of its own; above
    ``max_cluster_points``, an even subsample of them, so the work and memory stay bounded
    on long recordings."""
    long = np.flatnonzero(np.asarray(weights) >= options.seed_sentence_s)
    chosen = long if len(long) >= 2 else np.arange(len(weights))
    return chosen[_subsample(len(chosen), options.max_cluster_points)]


def _exactly(points: np.ndarray, count: int) -> np.ndarray:
    """Ward's method cut into ``count`` voices (fewer only when there are fewer points): the
    number the user gave, with no estimate and no folding."""
    from scipy.cluster.hierarchy import fcluster, linkage

    if len(points) < 2 or count == 1:
        return np.zeros(len(points), np.int64)
    return _renumber(fcluster(linkage(points, "ward"), count, criterion="maxclust") - 1)


def nearest(points: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Index of the most similar centroid (cosine) of each point."""
    return np.argmax(_unit(points) @ _unit(centroids).T, axis=1).astype(np.int64)


def _ward(points, weights, options: SpeakerOptions, hint: int | None) -> np.ndarray:
    """Ward's method cut into many small groups, then the two most alike voices merged, again
    and again, while their centroids are at least ``same_voice`` alike (``hinted_same_voice``
    while the agenda lists more people than there are voices left)."""
    from scipy.cluster.hierarchy import fcluster, linkage

    if len(points) < 2:
        return np.zeros(len(points), np.int64)
    start = min(len(points), 3 * options.max_speakers)
    labels = fcluster(linkage(points, "ward"), start, criterion="maxclust") - 1
    return _merge_alike(points, weights, labels, options, hint)


def _merge_alike(points, weights, labels, options: SpeakerOptions, hint: int | None):
    labels = _renumber(labels)
    while True:
        count = labels.max() + 1
        if count == 1:
            return labels
        centroids = _centroids(points, weights, labels, count)
        sims = centroids @ centroids.T
        np.fill_diagonal(sims, -np.inf)
        a, b = np.unravel_index(np.argmax(sims), sims.shape)
        needed = options.hinted_same_voice if hint and count <= hint else options.same_voice
        if sims[a, b] < needed and count <= options.max_speakers:
            return labels
        labels = _renumber(np.where(labels == max(a, b), min(a, b), labels))


def _merge_short(points, weights, labels, options: SpeakerOptions) -> np.ndarray:
    """Each short voice (heard for less than ``short_voice_s``) joins its most alike voice
    if they are at least ``short_same_voice`` alike: a few sentences give a noisy centroid."""
    labels = _renumber(labels)
    while labels.max() > 0:
        count = labels.max() + 1
        centroids = _centroids(points, weights, labels, count)
        heard = np.bincount(labels, weights=weights, minlength=count)
        sims = centroids @ centroids.T
        np.fill_diagonal(sims, -np.inf)
        short = [(sims[i].max(), i) for i in range(count)
                 if heard[i] < options.short_voice_s and sims[i].max() >= options.short_same_voice]
        if not short:
            return labels
        _, i = max(short)
        labels = _renumber(np.where(labels == i, int(np.argmax(sims[i])), labels))
    return labels


def _average(points, weights, options: SpeakerOptions, hint: int | None) -> np.ndarray:
    """Average linkage on cosine distance, cut where groups are on average less alike than
    ``same_voice`` minus the typical spread between two windows of one voice."""
    from scipy.cluster.hierarchy import fcluster, linkage

    if len(points) < 2:
        return np.zeros(len(points), np.int64)
    tree = linkage(points, "average", metric="cosine")
    labels = fcluster(tree, 1 - (options.same_voice - AVERAGE_SPREAD), criterion="distance") - 1
    if hint and labels.max() + 1 < hint:
        hinted = fcluster(tree, 1 - (options.hinted_same_voice - AVERAGE_SPREAD),
                          criterion="distance") - 1
        labels = hinted if hinted.max() + 1 <= hint else labels
    if labels.max() + 1 > options.max_speakers:
        labels = fcluster(tree, options.max_speakers, criterion="maxclust") - 1
    return _renumber(labels)


AVERAGE_SPREAD = 0.08
"""Two sentences of one voice are less alike than a sentence and its voice's centroid."""


def _spectral(points, weights, options: SpeakerOptions, hint: int | None) -> np.ndarray:
    """Spectral clustering of the cosine affinities (each row keeps its closest tenth), the
    number of voices from the largest gap between the Laplacian's smallest eigenvalues."""
    from scipy.cluster.vq import kmeans2

    n = len(points)
    if n < 3:
        return np.zeros(n, np.int64)
    affinity = np.clip(points @ points.T, 0, None)
    keep = max(2, n // 10)
    cutoff = -np.sort(-affinity, axis=1)[:, keep - 1:keep]
    affinity = np.where(affinity >= cutoff, affinity, 0)
    affinity = (affinity + affinity.T) / 2
    degree = affinity.sum(axis=1)
    scale = 1 / np.sqrt(np.maximum(degree, 1e-12))
    laplacian = np.eye(n) - scale[:, None] * affinity * scale[None, :]
    values, vectors = np.linalg.eigh(laplacian)
    top = min(options.max_speakers, n - 1)
    gaps = np.diff(values[:top + 1])
    count = int(np.argmax(gaps)) + 1
    if hint and count < hint <= top and gaps[hint - 1] >= 0.5 * gaps.max():
        count = hint
    if count == 1:
        return np.zeros(n, np.int64)
    embedding = _unit(vectors[:, :count])
    _, labels = kmeans2(embedding, embedding[_spread(embedding, count)], minit="matrix")
    return _renumber(labels)


_METHODS = {"ward": _ward, "average": _average, "spectral": _spectral}


def _spread(points: np.ndarray, count: int) -> list[int]:
    """``count`` points far apart from each other (farthest-point seeding, deterministic)."""
    chosen = [0]
    distance = np.linalg.norm(points - points[0], axis=1)
    while len(chosen) < count:
        chosen.append(int(np.argmax(distance)))
        distance = np.minimum(distance, np.linalg.norm(points - points[chosen[-1]], axis=1))
    return chosen


def _fold_short(points, weights, labels, min_s: float) -> np.ndarray:
    """Centroids of the voices heard for at least ``min_s`` (all voices if none is)."""
    count = labels.max() + 1
    centroids = _centroids(points, weights, labels, count)
    heard = np.bincount(labels, weights=weights, minlength=count)
    keep = heard >= min_s
    return centroids[keep] if keep.any() else centroids[[int(np.argmax(heard))]]


def _centroids(points, weights, labels, count: int) -> np.ndarray:
    sums = np.zeros((count, points.shape[1]))
    np.add.at(sums, labels, points * np.maximum(weights, 1e-3)[:, None])
    return _unit(sums)


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Labels 0..k-1 in order of first appearance."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first))
    return order[inverse].astype(np.int64)


def _subsample(count: int, limit: int) -> np.ndarray:
    if count <= limit:
        return np.arange(count)
    return np.unique(np.linspace(0, count - 1, limit).round().astype(np.int64))


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    return rows / np.where(norms == 0, 1, norms)
