"""Marshmallow schemas of the street_reps plugin: its settings and its API resources."""
