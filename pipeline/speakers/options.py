"""Speaker attribution options: the only place their defaults live."""

from __future__ import annotations

from dataclasses import dataclass

CLUSTERING_METHODS = ("ward", "spectral", "average")


@dataclass(frozen=True)
class SpeakerOptions:
    """How voices are embedded, grouped into speakers and mapped onto sentences."""

    # Embedding: overlapping windows of speech, one voice vector each.
    window_s: float = 1.6            # the encoder's own partial length (160 frames of 10 ms)
    hop_s: float = 1.2               # step between windows inside a stretch of speech (0.8 gave
                                     # the same voices on eight recordings, 18% slower)
    min_window_s: float = 0.5        # a shorter sentence is embedded over this much audio, centred
    block_s: float = 30.0            # audio is decoded in blocks this long (memory: two blocks)
    device: str = "cpu"
    threads: int = 1                 # torch threads while embedding (one is fastest on a busy CPU)

    # Clustering: sentences' mean vectors, grouped into voices.
    speakers: int | None = None      # a known number of voices; None: estimated (auto)
    clustering: str = "ward"
    max_speakers: int = 16
    seed_sentence_s: float = 3.0     # only sentences this long shape the voices (shorter ones,
                                     # too noisy alone, then join the nearest voice)
    same_voice: float = 0.88         # two voices whose centroids are this alike are one voice
    hinted_same_voice: float = 0.90  # ... up to this, when the agenda lists more speakers
    short_voice_s: float = 12.0      # a voice heard for less than this in all is a short voice:
    short_same_voice: float = 0.78   # ... it joins its nearest voice if at least this alike
    min_speaker_s: float = 2.0       # a voice heard for less is folded into its nearest voice
    max_cluster_points: int = 1500   # larger recordings: clustered on an even subsample

    # Assignment: a voice per embedding window, then per word.
    switch_penalty: float = 0.10     # cost (in cosine similarity) of changing voice between windows
    min_split_s: float = 1.2         # a sentence is split only where each side lasts this long
    min_split_words: int = 2         # ... and has this many words
    turn_gap_s: float = 1.0          # sentences of one voice this close form one turn

    def __post_init__(self) -> None:
        if self.clustering not in CLUSTERING_METHODS:
            raise ValueError(f"clustering must be one of {', '.join(CLUSTERING_METHODS)}, "
                             f"not {self.clustering!r}.")
        if not 0 < self.min_window_s <= self.window_s or self.hop_s <= 0 or self.block_s <= 0:
            raise ValueError("window_s, hop_s and block_s must be positive and "
                             "min_window_s at most window_s.")
        if self.speakers is not None and self.speakers < 1:
            raise ValueError(f"The number of speakers must be 1 or more, not {self.speakers}; "
                             "use 'auto' to have it estimated.")
        if self.max_speakers < 1 or self.max_cluster_points < 2:
            raise ValueError("max_speakers must be at least 1 and max_cluster_points at least 2.")
