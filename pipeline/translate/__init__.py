"""Translation: English sentences into French and Spanish, aligned sentence by sentence."""
