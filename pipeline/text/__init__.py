"""Language knowledge shared by the stages: content words, meeting phrases, honorifics."""
