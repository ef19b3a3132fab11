"""The analytics service: platform exports and pushed points in (importer), overview and per-video
numbers out (overview, over tallies), and the streamed export (export)."""
