"""File formats below every stage: transcript JSON, sections, subtitle cues, writers, times.

Nothing here imports a stage or the session; the stages, the export and the review page
read and write their files through these modules.
"""
