"""Enrichment of posts: language, categories, urgency, rumor signals, place, near-duplicates.

Deterministic and explainable: every category and every urgency point comes with the words
that produced it. Entry points: `vigie.enrich.pipeline.enrich` and `apply`; see
docs/enrichment.md.
"""
