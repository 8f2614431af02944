"""Who spoke when: voices from a wheel-shipped encoder, clustered, mapped onto sentences, and named."""
